// Fix safety over the real corpus: every quick fix offered on every shared real-world Dockerfile,
// one at a time and then all together (fix-all), must leave a Dockerfile that parses, no longer
// have what it fixed, keep every instruction it did not target byte for byte, and keep the words
// of every RUN in order (only the fix's own flags and clean-up commands are added).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/analysis/model';
import { applyEdits, type Edit } from '../../server/src/analysis/text';
import { lint } from '../../server/src/engine/lint';
import { fixAll, editsConflict } from '../../server/src/engine/fix';
import type { Fix } from '../../server/src/rules/define';
import { parseProblems } from '../helpers/dockerfile-check';
import { corpusDir } from '../helpers/corpus';

/** Fixes that rewrite commands on purpose (a base switch, a move, a new stage) skip the word check. */
const REWRITING_RULES = new Set(['large-base-image', 'build-tools-in-final-stage', 'removed-in-later-layer', 'chown-after-copy', 'add-remote-url']);

/** All RUN words of a file, in order. */
function runWords(text: string): string[] {
  return analyze(text)
    .runs()
    .flatMap((r) => r.commands.flatMap((c) => c.words.map((w) => w.value)));
}

function isSubsequence(small: readonly string[], big: readonly string[]): boolean {
  let k = 0;
  for (const w of big) if (k < small.length && w === small[k]) k++;
  return k === small.length;
}

/** Instructions no edit touches must be identical after the edits (at their shifted offsets). */
function untouchedInstructionsKept(before: string, after: string, edits: readonly Edit[]): string[] {
  const problems: string[] = [];
  for (const ins of analyze(before).instructions) {
    const touched = edits.some((e) => e.span.start <= ins.span.end && e.span.end >= ins.span.start);
    if (touched) continue;
    let shift = 0;
    for (const e of edits) if (e.span.end <= ins.span.start) shift += e.text.length - (e.span.end - e.span.start);
    const now = after.slice(ins.span.start + shift, ins.span.end + shift);
    if (now !== ins.text) problems.push(`line ${ins.startLine + 1} changed: ${JSON.stringify(ins.text.slice(0, 60))}`);
  }
  return problems;
}

function checkFix(file: string, text: string, ruleId: string, fix: Fix, before: number): void {
  const where = `${file}: ${ruleId} "${fix.title}"`;
  for (const e of fix.edits) {
    assert.ok(e.span.start >= 0 && e.span.end <= text.length && e.span.start <= e.span.end, `${where}: edit outside the document`);
  }
  for (let i = 0; i < fix.edits.length; i++) {
    for (let j = i + 1; j < fix.edits.length; j++) assert.ok(!editsConflict(fix.edits[i], fix.edits[j]), `${where}: overlapping edits`);
  }
  const after = applyEdits(text, fix.edits);
  assert.deepEqual(parseProblems(text, after), [], `${where}: result must parse`);
  const again = lint(after).findings.filter((f) => f.ruleId === ruleId).length;
  assert.ok(again < before, `${where}: the rule still reports as much after the fix (${before} → ${again})`);
  assert.deepEqual(untouchedInstructionsKept(text, after, fix.edits), [], `${where}: instructions it did not target changed`);
  if (!REWRITING_RULES.has(ruleId)) assert.ok(isSubsequence(runWords(text), runWords(after)), `${where}: RUN words lost or reordered`);
}

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
      for (const f of result.findings) {
        for (const fix of f.fixes ?? []) if (fix.edits.length > 0) checkFix(file, text, f.ruleId, fix, counts.get(f.ruleId)!);
      }
      const once = fixAll(text);
      assert.deepEqual(parseProblems(text, once.text), [], 'fix-all result parses');
      assert.equal(fixAll(once.text).text, once.text, 'fixing twice equals fixing once');
      if (!result.findings.some((f) => REWRITING_RULES.has(f.ruleId) && f.fixes?.some((x) => x.safe))) {
        assert.ok(isSubsequence(runWords(text), runWords(once.text)), 'fix-all keeps every RUN word in order');
      }
    });
  }
});
