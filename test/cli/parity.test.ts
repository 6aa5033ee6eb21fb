// One engine everywhere: for every real-world Dockerfile, the CLI reports exactly what the engine's
// lint() returns for the same text and config (with and without the build context), and what the
// language server publishes for a sample of them. The CLI runs once for the whole corpus.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { mergeConfigs } from '../../server/src/engine/config';
import { loadConfigFor } from '../../server/src/engine/config-files';
import { lint } from '../../server/src/engine/lint';
import { rules as registry } from '../../server/src/rules';
import type { ContextFacts } from '../../server/src/rules/define';
import { buildContextFor } from '../../server/src/context/compose';
import { contextFacts } from '../../server/src/context/facts';
import { scanContext } from '../../server/src/context/scan';
import { findDockerfiles, readDockerfile } from '../../server/src/cli/files';
import { corpusDir, repoRoot } from '../helpers/corpus';
import { LspClient } from '../helpers/lsp-client';

const corpus = corpusDir();
const cli = path.join(repoRoot(), 'dist', 'cli.js');
const built = fs.existsSync(cli) && fs.existsSync(path.join(repoRoot(), 'dist', 'server.js'));
const skip = !corpus ? 'the shared corpus (../shared/corpus/real) is absent' : !built ? 'dist/ is not built: run `node esbuild.mjs`' : false;

interface JsonReport {
  file: string;
  findings: { ruleId: string; severity: string; message: string; line: number; column: number; endLine: number; endColumn: number }[];
  error?: string;
}

/** Runs the CLI once over the corpus folder and returns its JSON report by file name. */
function cliReports(args: string[]): Map<string, JsonReport> {
  const r = spawnSync(process.execPath, [cli, '--format', 'json', ...args, '.'], { cwd: corpus, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
  return new Map((JSON.parse(r.stdout) as JsonReport[]).map((x) => [x.file, x]));
}

/** The engine's findings for a file, in the JSON report's shape. */
function assertEqualQuietly(a: unknown, b: unknown): boolean {
  try {
    assert.deepEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

function engineFindings(file: string, context?: ContextFacts): JsonReport['findings'] {
  const read = readDockerfile(file);
  if ('reason' in read) return [];
  const config = mergeConfigs(loadConfigFor(file, registry).config);
  const result = lint(read.text, config, registry, context);
  const lines = result.model!.lines;
  return result.findings.map((f) => {
    const s = lines.positionAt(f.span.start);
    const e = lines.positionAt(f.span.end);
    return { ruleId: f.ruleId, severity: f.severity, message: f.message, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
  });
}

const strip = (fs_: JsonReport['findings']) => fs_.map(({ ruleId, severity, message, line, column, endLine, endColumn }) => ({ ruleId, severity, message, line, column, endLine, endColumn }));

describe('CLI, engine and language server agree on the corpus', { skip }, () => {
  let files: string[] = [];
  let plain = new Map<string, JsonReport>();
  before(() => {
    files = findDockerfiles(corpus!).map((f) => path.relative(corpus!, f));
    plain = cliReports(['--no-context']);
  });

  it('the CLI lints every corpus Dockerfile', () => {
    assert.ok(files.length >= 20, `only ${files.length} files`);
    assert.deepEqual([...plain.keys()].sort(), [...files].sort());
  });

  it('without the context: CLI findings equal lint(text, config) for every file', () => {
    for (const f of files) assert.deepEqual(strip(plain.get(f)!.findings), engineFindings(path.join(corpus!, f)), f);
  });

  it('with the context: CLI findings equal lint(text, config, rules, contextFacts(scan))', async () => {
    const withContext = cliReports([]);
    const scans = new Map<string, ContextFacts>();
    for (const f of files) {
      const abs = path.join(corpus!, f);
      const root = buildContextFor(abs).root;
      if (!scans.has(root)) scans.set(root, contextFacts(await scanContext(root, { dockerfile: abs })));
      assert.deepEqual(strip(withContext.get(f)!.findings), engineFindings(abs, scans.get(root)), f);
    }
  });

  describe('language server', () => {
    let client: LspClient;
    let withContext: ReturnType<typeof cliReports>;
    before(async () => {
      client = await LspClient.start();
      withContext = cliReports([]);
    });
    after(async () => {
      await client.stop();
    });

    it('publishes the same rule ids and ranges as the CLI (with the build context) for a sample of 24 files', async () => {
      const step = Math.max(1, Math.floor(files.length / 24));
      const sample = files.filter((_, i) => i % step === 0).slice(0, 24);
      assert.ok(sample.length >= 20);
      const expected = (f: string) =>
        withContext.get(f)!.findings.map((x) => ({ ruleId: x.ruleId, line: x.line, column: x.column, endLine: x.endLine, endColumn: x.endColumn }));
      const actual = (p: { diagnostics: { code?: unknown; range: { start: { line: number; character: number }; end: { line: number; character: number } } }[] }) =>
        p.diagnostics.map((d) => ({ ruleId: String(d.code), line: d.range.start.line + 1, column: d.range.start.character + 1, endLine: d.range.end.line + 1, endColumn: d.range.end.character + 1 }));
      // The server analyses at once and again when the context scan lands; the corpus files share
      // one context, so once the first file's context-aware publication arrives, the scan is cached.
      for (const [k, f] of sample.entries()) {
        const abs = path.join(corpus!, f);
        const read = readDockerfile(abs);
        if ('reason' in read) continue;
        const uri = pathToFileURL(abs).href;
        const start = client.published.length;
        await client.open(uri, read.text);
        const published = k === 0 ? await client.waitForDiagnostics(uri, (p) => assertEqualQuietly(actual(p), expected(f)), start) : await client.diagnosticsFor(uri, 1);
        assert.deepEqual(actual(published), expected(f), f);
        await client.close(uri);
      }
    });
  });
});
