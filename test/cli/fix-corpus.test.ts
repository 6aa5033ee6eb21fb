// `slimfile --fix` on copies of every real-world Dockerfile (in a temp folder, never the repo):
// every fixed file still parses, and a second --fix changes nothing. One CLI call per pass.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { corpusDir, repoRoot } from '../helpers/corpus';
import { parseProblems } from '../helpers/dockerfile-check';

const corpus = corpusDir();
const cli = path.join(repoRoot(), 'dist', 'cli.js');
const skip = !corpus ? 'the shared corpus (../shared/corpus/real) is absent' : !fs.existsSync(cli) ? 'dist/cli.js is not built' : false;

describe('--fix on the corpus', { skip }, () => {
  let tmp = '';
  const originals = new Map<string, string>();
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slimfile-fix-corpus-'));
    for (const name of fs.readdirSync(corpus!)) {
      if (!name.endsWith('Dockerfile')) continue;
      const text = fs.readFileSync(path.join(corpus!, name), 'utf8');
      originals.set(name, text);
      fs.writeFileSync(path.join(tmp, name), text);
    }
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('every fixed file still parses, and a second --fix changes nothing', () => {
    const first = spawnSync(process.execPath, [cli, '--fix', '--format', 'json', '.'], { cwd: tmp, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    assert.ok(first.status === 0 || first.status === 1, first.stderr);
    assert.match(first.stderr, /^Fixed \d+ problems? in \d+ files?\.\n$/);
    let changed = 0;
    const problems: string[] = [];
    const fixed = new Map<string, string>();
    for (const [name, before] of originals) {
      const after = fs.readFileSync(path.join(tmp, name), 'utf8');
      fixed.set(name, after);
      if (after === before) continue;
      changed++;
      problems.push(...parseProblems(before, after).map((p) => `${name}: ${p}`));
    }
    assert.deepEqual(problems, []);
    assert.ok(changed > 0, 'the corpus has fixable problems');
    const second = spawnSync(process.execPath, [cli, '--fix', '--format', 'json', '.'], { cwd: tmp, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    assert.doesNotMatch(second.stderr, /Fixed/);
    for (const [name, text] of fixed) assert.equal(fs.readFileSync(path.join(tmp, name), 'utf8'), text, name);
    // What remains is reported: no finding left marked fixable.
    const report = JSON.parse(second.stdout) as { file: string; findings: { fixable: boolean; ruleId: string }[] }[];
    assert.deepEqual(report.flatMap((r) => r.findings.filter((f) => f.fixable).map((f) => `${r.file}: ${f.ruleId}`)), []);
  });
});
