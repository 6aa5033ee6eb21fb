// Fix safety over the real corpus: every quick fix offered on every shared real-world Dockerfile,
// one at a time and then all together (fix-all), must leave a Dockerfile that parses, no longer
// have what it fixed, keep every instruction it did not target byte for byte, and keep the words
// of every RUN in order (only the fix's own flags and clean-up commands are added). The checks
// live in test/helpers/fix-safety.ts, shared with the fuzz test.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lint } from '../../server/src/engine/lint';
import { corpusDir } from '../helpers/corpus';
import { extraWords, fixAllProblems, fixProblems } from '../helpers/fix-safety';

describe('the fix-safety checks themselves', () => {
  it('find the words a fix adds, and notice lost or reordered ones', () => {
    assert.deepEqual(extraWords(['apk', 'add', 'curl'], ['apk', 'add', '--no-cache', 'curl']), ['--no-cache']);
    assert.equal(extraWords(['apk', 'add', 'curl'], ['apk', 'curl', 'add']), undefined);
    assert.equal(extraWords(['apk', 'add', 'curl'], ['apk', 'add']), undefined);
  });
  it('reject a fix that drops a word, or brings in one its edits do not hold', () => {
    const text = 'FROM alpine\nRUN apk add curl # wget\n';
    const at = text.indexOf('curl');
    const flag = { title: 't', safe: true, edits: [{ span: { start: at, end: at }, text: '--no-cache ' }] };
    assert.deepEqual(fixProblems(text, 'apk-no-cache', flag, 1, { shell: false }), []);
    const swapped = { ...flag, edits: [{ span: { start: at, end: at + 4 }, text: '--no-cache wget' }] };
    assert.ok(fixProblems(text, 'apk-no-cache', swapped, 1, { shell: false }).includes('RUN words lost or reordered'));
    // Deleting the comment sign turns "wget" into a word no edit wrote.
    const hash = text.indexOf('#');
    const uncomment = { ...flag, edits: [...flag.edits, { span: { start: hash, end: hash + 2 }, text: '' }] };
    assert.deepEqual(fixProblems(text, 'apk-no-cache', uncomment, 1, { shell: false }), [`RUN words added that the fix's edits do not bring: ["wget"]`]);
  });
});

const dir = corpusDir();

describe('fix safety over the real corpus', { skip: dir ? false : 'shared corpus not found next to the repository' }, () => {
  const files = dir ? fs.readdirSync(dir).filter((f) => f.endsWith('.Dockerfile')).sort() : [];
  it('has corpus files', () => assert.ok(files.length > 0));
  for (const file of files) {
    it(file, () => {
      const text = fs.readFileSync(path.join(dir!, file), 'utf8');
      const result = lint(text);
      assert.deepEqual(result.failures, [], 'no rule throws');
      for (const f of result.findings) {
        assert.ok(f.span.start >= 0 && f.span.end <= text.length && f.span.start <= f.span.end, `${f.ruleId}: range inside the document`);
      }
      const counts = new Map<string, number>();
      for (const f of result.findings) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
      const problems: string[] = [];
      for (const f of result.findings) {
        for (const fix of f.fixes ?? []) {
          if (fix.edits.length === 0) continue;
          problems.push(...fixProblems(text, f.ruleId, fix, counts.get(f.ruleId)!).map((p) => `${f.ruleId} "${fix.title}" (line ${text.slice(0, f.span.start).split('\n').length}): ${p}`));
        }
      }
      problems.push(...fixAllProblems(text));
      assert.deepEqual(problems, []);
    });
  }
});
