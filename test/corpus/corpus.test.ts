// Every registered rule over the shared real-world Dockerfiles (read in place, never copied): no
// throw, no rule failure, findings and fix edits inside the document, no fix whose own edits
// overlap, and a fix-all whose result still parses and is stable under a second fix-all.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/analysis/model';
import { lint } from '../../server/src/engine/lint';
import { editsConflict, fixAll } from '../../server/src/engine/fix';
import { rules } from '../../server/src/rules';
import { parseProblems } from '../helpers/dockerfile-check';

/**
 * `<repo>/../shared/corpus/real`. The repository is the nearest folder above this test (or, when
 * the tests were compiled elsewhere, above the working directory) whose package.json is ours.
 */
function corpusFolder(): string | undefined {
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
      const pkg = path.join(dir, 'package.json');
      if (fs.existsSync(pkg) && /"name":\s*"slimfile"/.test(fs.readFileSync(pkg, 'utf8'))) {
        const corpus = path.resolve(dir, '..', 'shared', 'corpus', 'real');
        return fs.existsSync(corpus) ? corpus : undefined;
      }
      if (path.dirname(dir) === dir) break;
    }
  }
  return undefined;
}

const dir = corpusFolder();
const files = dir ? fs.readdirSync(dir).filter((f) => f.endsWith('.Dockerfile')).sort() : [];

describe('real-world corpus', { skip: dir ? false : 'shared/corpus/real not found beside the repository' }, () => {
  it('has files to check', () => assert.ok(files.length > 0));

  it('analysis reads every file without throwing and with spans inside the document', () => {
    for (const file of files) {
      const text = fs.readFileSync(path.join(dir!, file), 'utf8');
      const model = analyze(text);
      for (const ins of model.instructions) {
        assert.ok(ins.span.start >= 0 && ins.span.end <= text.length && ins.span.start <= ins.span.end, `${file}: instruction ${ins.index} span`);
      }
      for (const run of model.runs()) {
        for (const c of run.commands) {
          for (const w of c.words) assert.ok(w.span.start >= 0 && w.span.end <= text.length && w.span.start <= w.span.end, `${file}: word ${JSON.stringify(w.value)} span`);
        }
      }
    }
  });

  for (const file of files) {
    it(file, () => {
      const text = fs.readFileSync(path.join(dir!, file), 'utf8');
      const result = lint(text, {}, rules);
      assert.equal(result.skipped, undefined, 'analysed');
      assert.deepEqual(result.failures, [], 'no rule fails');
      for (const f of result.findings) {
        assert.ok(f.span.start >= 0 && f.span.end <= text.length && f.span.start <= f.span.end, `${f.ruleId}: finding inside the document`);
        assert.ok(f.message.trim().length > 0, `${f.ruleId}: has a message`);
        for (const fix of f.fixes ?? []) {
          for (const e of fix.edits) {
            assert.ok(e.span.start >= 0 && e.span.end <= text.length && e.span.start <= e.span.end, `${f.ruleId} "${fix.title}": edit inside the document`);
          }
          for (let i = 0; i < fix.edits.length; i++) {
            for (let j = i + 1; j < fix.edits.length; j++) assert.ok(!editsConflict(fix.edits[i], fix.edits[j]), `${f.ruleId} "${fix.title}": edits overlap`);
          }
        }
      }
      const fixed = fixAll(text, {}, rules);
      if (fixed.applied > 0) assert.deepEqual(parseProblems(text, fixed.text), [], 'fix-all result parses');
      const again = fixAll(fixed.text, {}, rules);
      assert.equal(again.applied, 0, 'a second fix-all applies nothing');
      assert.equal(again.text, fixed.text);
    });
  }
});
