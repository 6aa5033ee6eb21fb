// The built `slimfile` command with its options: output formats, stdin, folders, configuration and
// its precedence, exit thresholds, fixing, hadolint pragmas and the subcommands. Each case builds
// its own files in a temp folder and runs dist/cli.js as a process.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { rules as registry } from '../../server/src/rules';
import { splitLines, unifiedDiff } from '../../server/src/cli/diff';
import { findDockerfiles, isDockerfileName } from '../../server/src/cli/files';
import { BLOCK_START } from '../../server/src/context/generate';
import { lines } from '../helpers/rule-tester';
import { repoRoot } from '../helpers/corpus';
import { applyUnifiedDiff, checkSarif } from './sarif-check';

const root = repoRoot();
const cli = path.join(root, 'dist', 'cli.js');
let tmp = '';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function slimfile(args: string[], options: { cwd?: string; input?: string } = {}): Run {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: options.cwd ?? tmp, input: options.input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh folder under the temp folder with these files. */
function project(name: string, files: Record<string, string>): string {
  const dir = path.join(tmp, name);
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

const APK = lines('FROM alpine:3.20', 'RUN apk add curl');
const TWO_RUNS = lines('FROM alpine:3.20', 'RUN apk add --no-cache curl', 'RUN echo done');
const has = (id: string) => registry.some((r) => r.meta.id === id);

interface JsonReport {
  file: string;
  findings: { ruleId: string; severity: string; message: string; line: number; column: number; endLine: number; endColumn: number; docsUrl: string; fixable: boolean }[];
  error?: string;
}

describe('slimfile options (dist/cli.js)', { skip: fs.existsSync(cli) ? false : 'dist/cli.js is not built: run `node esbuild.mjs`' }, () => {
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slimfile-cli-opts-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('--format json: one object per file with 1-based ranges, docs URL and fixable', () => {
    const dir = project('json', { 'Dockerfile': APK, 'missing-not': '' });
    const r = slimfile(['--format', 'json', 'Dockerfile', 'nope.Dockerfile'], { cwd: dir });
    assert.equal(r.code, 2);
    const report = JSON.parse(r.stdout) as JsonReport[];
    assert.deepEqual(report[0], {
      file: 'Dockerfile',
      findings: [
        {
          ruleId: 'apk-no-cache',
          severity: 'warning',
          message: report[0].findings[0].message,
          line: 2,
          column: 5,
          endLine: 2,
          endColumn: 17,
          docsUrl: 'https://github.com/slimfile/slimfile/blob/main/docs/rules/apk-no-cache.md',
          fixable: true,
        },
      ],
    });
    assert.match(report[0].findings[0].message, /--no-cache/);
    assert.deepEqual(report[1], { file: 'nope.Dockerfile', findings: [], error: 'no such file or directory' });
    assert.equal(r.stderr, 'nope.Dockerfile: no such file or directory\n');
  });

  it('--format sarif: valid 2.1.0 shape, relative URIs, levels, rule indexes', () => {
    const dir = project('sarif', { 'app/Dockerfile': APK, 'web/web.Dockerfile': TWO_RUNS });
    const r = slimfile(['--format', 'sarif', '.'], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    const sarif = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(checkSarif(sarif), []);
    const run = (sarif.runs as { results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: Record<string, number> } }[] }[]; tool: { driver: { rules: { id: string }[] } } }[])[0];
    assert.equal(run.tool.driver.rules.length, registry.length);
    const apk = run.results.find((x) => x.ruleId === 'apk-no-cache')!;
    assert.equal(apk.level, 'warning');
    assert.deepEqual(apk.locations[0].physicalLocation.artifactLocation, { uri: 'app/Dockerfile', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(apk.locations[0].physicalLocation.region, { startLine: 2, startColumn: 5, endLine: 2, endColumn: 17 });
    if (has('consecutive-run')) assert.ok(run.results.some((x) => x.ruleId === 'consecutive-run' && x.locations[0].physicalLocation.artifactLocation.uri === 'web/web.Dockerfile'));
  });

  it('--output writes the report to a file (nothing on stdout, no temp file left)', () => {
    const dir = project('output', { 'Dockerfile': APK });
    const r = slimfile(['--format', 'sarif', '--output', 'out/report.sarif', 'Dockerfile'], { cwd: dir });
    assert.equal(r.code, 2, 'a missing output folder is an error');
    fs.mkdirSync(path.join(dir, 'out'));
    const ok = slimfile(['--format', 'sarif', '--output', 'out/report.sarif', 'Dockerfile'], { cwd: dir });
    assert.equal(ok.code, 1, ok.stderr);
    assert.equal(ok.stdout, '');
    assert.deepEqual(checkSarif(JSON.parse(fs.readFileSync(path.join(dir, 'out/report.sarif'), 'utf8'))), []);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'out')), ['report.sarif']);
  });

  it('- reads standard input, shown as <stdin>', () => {
    const r = slimfile(['-'], { input: APK });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^<stdin>:2:5  warning  apk-no-cache  /);
    const clean = slimfile(['-'], { input: 'FROM alpine:3.20\n' });
    assert.equal(clean.code, 0);
    const binary = slimfile(['-'], { input: 'FROM a\u0000' });
    assert.equal(binary.code, 2);
    assert.match(binary.stderr, /^<stdin>: binary content/);
  });

  it('a folder is searched recursively for Dockerfile names, skipping node_modules and dot-folders', () => {
    const dir = project('search', {
      'Dockerfile': APK,
      'Containerfile': APK,
      'api/Dockerfile.prod': APK,
      'api/Dockerfile.prod.dockerignore': 'x',
      'web/app.dockerfile': APK,
      'web/app.Dockerfile': APK,
      'node_modules/pkg/Dockerfile': APK,
      '.hidden/Dockerfile': APK,
      'docs/README.md': 'x',
    });
    const found = findDockerfiles(dir).map((f) => path.relative(dir, f));
    assert.deepEqual(found, ['Containerfile', 'Dockerfile', 'api/Dockerfile.prod', 'web/app.Dockerfile', 'web/app.dockerfile']);
    const r = slimfile(['--format', 'json', '.'], { cwd: dir });
    assert.deepEqual((JSON.parse(r.stdout) as JsonReport[]).map((x) => x.file), found);
    // A hidden folder given as the root is searched.
    const hidden = slimfile(['--format', 'json', '.hidden'], { cwd: dir });
    assert.deepEqual((JSON.parse(hidden.stdout) as JsonReport[]).map((x) => x.file), ['.hidden/Dockerfile']);
    assert.equal(isDockerfileName('Dockerfile.dockerignore'), false);
  });

  it('config: .slimfile.json above the file applies; --config replaces it; --rule wins over both', () => {
    const dir = project('config', {
      '.slimfile.json': JSON.stringify({ rules: { 'apk-no-cache': 'error' } }),
      'other.json': JSON.stringify({ rules: { 'apk-no-cache': 'info' } }),
      'svc/Dockerfile': APK,
    });
    const severity = (args: string[]): string => (JSON.parse(slimfile(['--format', 'json', ...args, 'svc/Dockerfile'], { cwd: dir }).stdout) as JsonReport[])[0].findings[0]?.severity ?? 'none';
    assert.equal(severity([]), 'error');
    assert.equal(severity(['--config', 'other.json']), 'info');
    assert.equal(severity(['--config', 'other.json', '--rule', 'apk-no-cache=warning']), 'warning');
    assert.equal(severity(['--rule', 'apk-no-cache=off']), 'none');
    assert.equal(severity(['--rule', 'apk-no-cache=hint', '--rule', 'apk-no-cache=error']), 'error');
  });

  it('config: extends is followed; config problems exit 2 as file: message', () => {
    const dir = project('config-extends', {
      'base.json': JSON.stringify({ rules: { 'apk-no-cache': 'off' } }),
      '.slimfile.json': JSON.stringify({ extends: './base.json' }),
      'Dockerfile': APK,
      'bad/.slimfile.json': '{ "rules": { "apk-no-cach": "off" } }',
      'bad/Dockerfile': APK,
    });
    const r = slimfile(['Dockerfile'], { cwd: dir });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const bad = slimfile(['bad/Dockerfile'], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, 'bad/.slimfile.json: unknown rule id "apk-no-cach" (did you mean "apk-no-cache"?)\n');
    const missing = slimfile(['--config', 'nope.json', 'Dockerfile'], { cwd: dir });
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'nope.json: cannot read the configuration: no such file\n');
  });

  it('config ignore: files found in a folder are skipped silently; a named file warns and is skipped', () => {
    const dir = project('config-ignore', { '.slimfile.json': JSON.stringify({ ignore: ['legacy/**'] }), 'legacy/Dockerfile': APK, 'app/Dockerfile': TWO_RUNS.replace('RUN echo done\n', '') });
    const r = slimfile(['--format', 'json', '.'], { cwd: dir });
    assert.deepEqual((JSON.parse(r.stdout) as JsonReport[]).map((x) => x.file), ['app/Dockerfile']);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    const named = slimfile(['legacy/Dockerfile'], { cwd: dir });
    assert.equal(named.code, 0);
    assert.equal(named.stderr, 'legacy/Dockerfile: warning: ignored by .slimfile.json ("ignore"); not linted\n');
  });

  it('--rule with an unknown id exits 2 with a suggestion', () => {
    const r = slimfile(['--rule', 'apk-nocache=off', '-'], { input: APK });
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'slimfile: --rule: unknown rule id "apk-nocache" (did you mean "apk-no-cache"?)\n');
    const level = slimfile(['--rule', 'apk-no-cache=loud', '-'], { input: APK });
    assert.equal(level.code, 2);
    assert.match(level.stderr, /level must be one of "off", "hint", "info", "warning", "error"/);
  });

  it('--severity-threshold: findings below it do not fail the run', () => {
    assert.equal(slimfile(['-'], { input: APK }).code, 1);
    assert.equal(slimfile(['--severity-threshold', 'warning', '-'], { input: APK }).code, 1);
    assert.equal(slimfile(['--severity-threshold', 'error', '-'], { input: APK }).code, 0);
    assert.equal(slimfile(['--rule', 'apk-no-cache=info', '-'], { input: APK }).code, 1, 'info fails at the default threshold');
    assert.equal(slimfile(['--rule', 'apk-no-cache=hint', '-'], { input: APK }).code, 0, 'hints never fail');
    assert.equal(slimfile(['--rule', 'apk-no-cache=error', '--severity-threshold', 'error', '-'], { input: APK }).code, 1);
  });

  it('--max-warnings: more warnings than N exit 1 even under a higher threshold', () => {
    const two = lines('FROM alpine:3.20', 'RUN apk add curl && apk add git');
    assert.equal(slimfile(['--severity-threshold', 'error', '--max-warnings', '2', '-'], { input: two }).code, 0);
    const over = slimfile(['--severity-threshold', 'error', '--max-warnings', '1', '-'], { input: two });
    assert.equal(over.code, 1);
    assert.match(over.stderr, /2 warnings, more than --max-warnings 1/);
  });

  it('--quiet reports errors only', () => {
    const r = slimfile(['--quiet', '-'], { input: APK });
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'No problems in 1 file\n');
    const err = slimfile(['--quiet', '--rule', 'apk-no-cache=error', '-'], { input: APK });
    assert.equal(err.code, 1);
    assert.match(err.stdout, /^<stdin>:2:5  error  apk-no-cache/);
  });

  it('--target is handed to the rules (an unknown stage changes nothing else)', () => {
    const r = slimfile(['--format', 'json', '--target', 'nosuchstage', '-'], { input: APK });
    assert.equal((JSON.parse(r.stdout) as JsonReport[])[0].findings[0].ruleId, 'apk-no-cache');
  });

  it('hadolint pragmas silence the mapped rules', () => {
    const cases: [string, string, string][] = [
      ['DL3019', 'apk-no-cache', lines('FROM alpine:3.20', '# hadolint ignore=DL3019', 'RUN apk add curl')],
      ['DL3042', 'pip-no-cache', lines('FROM python:3.12', '# hadolint ignore=DL3042', 'RUN pip install flask')],
      ['DL3009', 'apt-lists-not-removed', lines('FROM debian:12', '# hadolint ignore=DL3009', 'RUN apt-get update && apt-get install -y --no-install-recommends curl')],
      ['DL3015', 'apt-no-install-recommends', lines('FROM debian:12', '# hadolint ignore=DL3015', 'RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*')],
    ];
    let checked = 0;
    for (const [code, id, text] of cases) {
      if (!has(id)) continue;
      checked++;
      const silenced = JSON.parse(slimfile(['--format', 'json', '-'], { input: text }).stdout) as JsonReport[];
      assert.ok(!silenced[0].findings.some((f) => f.ruleId === id), `${code} silences ${id}`);
      const loud = JSON.parse(slimfile(['--format', 'json', '-'], { input: text.replace(`# hadolint ignore=${code}\n`, '') }).stdout) as JsonReport[];
      assert.ok(loud[0].findings.some((f) => f.ruleId === id), `${id} reports without the pragma`);
    }
    if (has('consecutive-run')) {
      checked++;
      // File-wide: the per-instruction form binds to the RUN below it, where our finding does not start.
      const text = lines('# hadolint global ignore=DL3059', 'FROM alpine:3.20', 'RUN echo a', 'RUN echo b');
      const r = JSON.parse(slimfile(['--format', 'json', '-'], { input: text }).stdout) as JsonReport[];
      assert.ok(!r[0].findings.some((f) => f.ruleId === 'consecutive-run'), JSON.stringify(r));
    }
    assert.ok(checked >= 2);
  });

  it('--fix rewrites in place keeping the mode, leaves unchanged files alone, reports what remains', () => {
    const dir = project('fix', { 'a/Dockerfile': APK, 'b/Dockerfile': 'FROM alpine:3.20\nRUN apk add --no-cache curl\n' });
    const a = path.join(dir, 'a/Dockerfile');
    const b = path.join(dir, 'b/Dockerfile');
    fs.chmodSync(a, 0o640);
    const old = new Date('2020-01-01T00:00:00Z');
    fs.utimesSync(b, old, old);
    const r = slimfile(['--fix', '.'], { cwd: dir });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.stderr, 'Fixed 1 problem in 1 file.\n');
    assert.equal(r.stdout, 'No problems in 2 files\n');
    assert.equal(fs.readFileSync(a, 'utf8'), 'FROM alpine:3.20\nRUN apk add --no-cache curl\n');
    assert.equal(fs.statSync(a).mode & 0o777, 0o640);
    assert.equal(fs.statSync(b).mtimeMs, old.getTime(), 'an unchanged file is not rewritten');
    assert.deepEqual(fs.readdirSync(path.join(dir, 'a')), ['Dockerfile'], 'no temp file left');
  });

  it('--fix through a symbolic link rewrites the file it points to and keeps the link', () => {
    const dir = project('fix-link', { 'real/app.Dockerfile': APK });
    fs.symlinkSync(path.join(dir, 'real/app.Dockerfile'), path.join(dir, 'Dockerfile'));
    const r = slimfile(['--fix', 'Dockerfile'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(fs.lstatSync(path.join(dir, 'Dockerfile')).isSymbolicLink());
    assert.equal(fs.readFileSync(path.join(dir, 'real/app.Dockerfile'), 'utf8'), 'FROM alpine:3.20\nRUN apk add --no-cache curl\n');
  });

  it('--fix keeps a byte order mark and CRLF line ends', () => {
    const dir = project('fix-bom', { 'Dockerfile': '\uFEFFFROM alpine:3.20\r\nRUN apk add curl\r\n' });
    assert.equal(slimfile(['--fix', 'Dockerfile'], { cwd: dir }).code, 0);
    assert.equal(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), '\uFEFFFROM alpine:3.20\r\nRUN apk add --no-cache curl\r\n');
  });

  it('--fix-dry-run prints a unified diff that patch applies, and writes nothing', () => {
    const text = lines('FROM alpine:3.20', 'WORKDIR /app', 'ENV A=1', 'ENV B=2', 'ENV C=3', 'ENV D=4', 'RUN apk add curl', 'ENV E=5', 'ENV F=6', 'ENV G=7', 'ENV H=8', 'RUN apk add git');
    const dir = project('dry', { 'Dockerfile': text });
    const r = slimfile(['--fix-dry-run', 'Dockerfile'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), text);
    assert.match(r.stdout, /^--- Dockerfile\n\+\+\+ Dockerfile\n@@ -4,9 \+4,9 @@\n/);
    const expected = text.replace(/apk add/g, 'apk add --no-cache');
    assert.equal(applyUnifiedDiff(text, r.stdout), expected);
    if (spawnSync('patch', ['--version']).status === 0) {
      const p = spawnSync('patch', ['-p0', '--dry-run'], { cwd: dir, input: r.stdout, encoding: 'utf8' });
      assert.equal(p.status, 0, p.stdout + p.stderr);
      const real = spawnSync('patch', ['-p0'], { cwd: dir, input: r.stdout, encoding: 'utf8' });
      assert.equal(real.status, 0, real.stdout + real.stderr);
      assert.equal(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), expected);
    }
  });

  it('copy-all-without-dockerignore sees the build context; --no-context turns it off', { skip: has('copy-all-without-dockerignore') ? false : 'rule not registered' }, () => {
    const dir = project('ctx', { 'Dockerfile': lines('FROM node:20-alpine', 'COPY . /app'), 'src/index.js': 'x'.repeat(1000) });
    const ids = (args: string[]) => (JSON.parse(slimfile(['--format', 'json', ...args, 'Dockerfile'], { cwd: dir }).stdout) as JsonReport[])[0].findings.map((f) => f.ruleId);
    assert.ok(ids([]).includes('copy-all-without-dockerignore'));
    assert.ok(!ids(['--no-context']).includes('copy-all-without-dockerignore'));
    fs.writeFileSync(path.join(dir, '.dockerignore'), '.git\n');
    assert.ok(!ids([]).includes('copy-all-without-dockerignore'));
    const missing = slimfile(['--context', 'nope', 'Dockerfile'], { cwd: dir });
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'nope: no such folder (given with --context)\n');
  });

  it('slimfile rules lists every rule as a table and as JSON', () => {
    const table = slimfile(['rules']);
    assert.equal(table.code, 0);
    for (const r of registry) {
      assert.match(table.stdout, new RegExp(`^${r.meta.id} +${r.meta.defaultSeverity} +${r.meta.fixable ? 'yes' : 'no'} +${r.meta.description.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
      assert.ok(table.stdout.includes(r.meta.docsUrl));
    }
    const json = JSON.parse(slimfile(['rules', '--format', 'json']).stdout) as { id: string; defaultSeverity: string; fixable: boolean; docsUrl: string }[];
    assert.deepEqual(json.map((r) => r.id), registry.map((r) => r.meta.id));
    assert.equal(json[0].docsUrl, registry[0].meta.docsUrl);
  });

  it('slimfile dockerignore prints a .dockerignore; --write creates it, then merges keeping every user line', () => {
    const dir = project('ignore', {
      'Dockerfile': lines('FROM node:20-alpine', 'COPY package.json dist/ /app/'),
      'package.json': '{}',
      'dist/index.js': 'x',
      'node_modules/left-pad/index.js': 'x',
      '.env': 'SECRET=1',
      'debug.log': 'x',
    });
    fs.mkdirSync(path.join(dir, '.git'));
    fs.writeFileSync(path.join(dir, '.git/HEAD'), 'ref');
    const printed = slimfile(['dockerignore', dir]);
    assert.equal(printed.code, 0, printed.stderr);
    assert.match(printed.stdout, /^\*\*\/node_modules$/m);
    assert.match(printed.stdout, /^\.env$/m);
    assert.match(printed.stdout, /^\.git$/m);
    assert.doesNotMatch(printed.stdout, /^dist$/m, 'the Dockerfile copies dist/');
    assert.ok(!fs.existsSync(path.join(dir, '.dockerignore')), 'printing writes nothing');

    const user = '# mine\nsecrets/\n!keep.txt\n**/*.log\n';
    fs.writeFileSync(path.join(dir, '.dockerignore'), user);
    const merged = slimfile(['dockerignore', '--write'], { cwd: dir });
    assert.equal(merged.code, 0, merged.stderr);
    assert.match(merged.stdout, /^Added to \.dockerignore \(\d+ patterns\):\n/);
    const text = fs.readFileSync(path.join(dir, '.dockerignore'), 'utf8');
    assert.ok(text.startsWith(user), 'every user line kept, in place');
    assert.ok(text.includes(BLOCK_START));
    assert.match(text, /^\*\*\/node_modules$/m);
    assert.doesNotMatch(merged.stdout, /^ {2}\*\*\/\*\.log$/m, '*.log was there already');

    const again = slimfile(['dockerignore', '--write'], { cwd: dir });
    assert.equal(again.stdout, '.dockerignore: nothing to add\n');
    assert.equal(fs.readFileSync(path.join(dir, '.dockerignore'), 'utf8'), text);

    const fresh = project('ignore-fresh', { 'Dockerfile': 'FROM alpine\n', '.env': 'x' });
    const created = slimfile(['dockerignore', '--write', '.'], { cwd: fresh });
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /^Created \.dockerignore \(\d+ patterns?\):\n/);
    assert.match(fs.readFileSync(path.join(fresh, '.dockerignore'), 'utf8'), /^\.env$/m);
    assert.equal(slimfile(['dockerignore', 'nope']).code, 2);
  });
});

describe('unified diff', () => {
  it('is empty for equal texts', () => assert.equal(unifiedDiff('a', 'b', 'x\n', 'x\n'), ''));

  it('marks a missing final line break', () => {
    assert.equal(unifiedDiff('f', 'f', 'a\nb', 'a\nc'), '--- f\n+++ f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n');
  });

  it('numbers an insertion into an empty file from 0', () => {
    assert.equal(unifiedDiff('f', 'f', '', 'a\n'), '--- f\n+++ f\n@@ -0,0 +1 @@\n+a\n');
  });

  it('splits distant changes into hunks with 3 lines of context and applies back', () => {
    const before = Array.from({ length: 30 }, (_, i) => `line ${i}\n`).join('');
    const after = before.replace('line 2\n', 'line two\n').replace('line 20\n', '').replace('line 29\n', 'line 29\nline 30\n');
    const d = unifiedDiff('f', 'f', before, after);
    // As `diff -u` numbers them: changes more than 6 unchanged lines apart get their own hunk.
    assert.deepEqual(d.match(/^@@ .* @@$/gm), ['@@ -1,6 +1,6 @@', '@@ -18,7 +18,6 @@', '@@ -28,3 +27,4 @@']);
    assert.equal(applyUnifiedDiff(before, d), after);
  });

  it('random edits always apply back exactly', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let k = 0; k < 200; k++) {
      const a = Array.from({ length: rand(15) }, () => `${'abc'[rand(3)]}\n`);
      const b = a.filter(() => rand(4) > 0).flatMap((l) => (rand(5) === 0 ? [l, `${'xyz'[rand(3)]}\n`] : [l]));
      const before = a.join('');
      const after = b.join('');
      assert.equal(applyUnifiedDiff(before, unifiedDiff('f', 'f', before, after)), after, JSON.stringify({ before, after }));
    }
    assert.deepEqual(splitLines('a\r\nb\rc'), ['a\r\n', 'b\r', 'c']);
  });
});
