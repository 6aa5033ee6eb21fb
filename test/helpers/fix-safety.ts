// The fix-safety checks shared by the corpus test and the fuzz test: a fix stays inside the
// document without overlapping edits, leaves a Dockerfile that parses, no longer has what it
// fixed, keeps every instruction it did not target byte for byte, and keeps the words of every RUN
// in order, adding only words its own edits bring (a flag, a clean-up command).
import { analyze } from '../../server/src/analysis/model';
import { applyEdits, type Edit } from '../../server/src/analysis/text';
import { lint } from '../../server/src/engine/lint';
import { editsConflict, fixAll, MAX_FIX_PASSES, safeFixOf } from '../../server/src/engine/fix';
import type { Fix } from '../../server/src/rules/define';
import { parseProblems } from './dockerfile-check';

/** Fixes that rewrite commands on purpose (a base switch, a move, a new stage) skip the word checks. */
export const REWRITING_RULES = new Set(['large-base-image', 'build-tools-in-final-stage', 'removed-in-later-layer', 'chown-after-copy', 'add-remote-url']);

/**
 * All RUN words of a file, in order. The script word of `sh -c '...'` is left out: its own
 * commands follow it, word by word.
 */
export function runWords(text: string): string[] {
  return analyze(text)
    .runs()
    .flatMap((r) => r.commands.flatMap((c) => c.words.filter((w) => c.nested === undefined || w.value !== c.nested.source.text).map((w) => w.value)));
}

/**
 * The words of `big` left over once `small` is matched in order (greedily), or undefined when
 * `small` is not a subsequence of `big`.
 */
export function extraWords(small: readonly string[], big: readonly string[]): string[] | undefined {
  const extra: string[] = [];
  let k = 0;
  for (const w of big) {
    if (k < small.length && w === small[k]) k++;
    else extra.push(w);
  }
  return k === small.length ? extra : undefined;
}

/** Instructions no edit touches must be identical after the edits (at their shifted offsets). */
export function untouchedInstructionsKept(before: string, after: string, edits: readonly Edit[]): string[] {
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

/** Problems with the edits alone: outside the document, or overlapping one another. */
export function editProblems(text: string, edits: readonly Edit[]): string[] {
  const problems: string[] = [];
  for (const e of edits) {
    if (!(e.span.start >= 0 && e.span.end <= text.length && e.span.start <= e.span.end)) problems.push(`edit ${e.span.start}-${e.span.end} outside the document (length ${text.length})`);
  }
  for (let i = 0; i < edits.length; i++) {
    for (let j = i + 1; j < edits.length; j++) if (editsConflict(edits[i], edits[j])) problems.push(`edits ${i} and ${j} overlap`);
  }
  return problems;
}

export interface FixCheckOptions {
  /** Run `bash -n` over the RUN scripts before and after (a process per check). Default true. */
  shell?: boolean;
}

/**
 * Everything wrong with applying one fix of `ruleId` to `text`, where the rule reported `before`
 * findings; an empty list when the fix is safe.
 */
export function fixProblems(text: string, ruleId: string, fix: Fix, before: number, options: FixCheckOptions = {}): string[] {
  const edits = editProblems(text, fix.edits);
  if (edits.length > 0) return edits;
  const problems: string[] = [];
  const after = applyEdits(text, fix.edits);
  if (options.shell !== false) problems.push(...parseProblems(text, after).map((p) => `does not parse: ${p}`));
  const again = lint(after).findings.filter((f) => f.ruleId === ruleId).length;
  if (again >= before) problems.push(`the rule still reports as much after the fix (${before} → ${again})`);
  problems.push(...untouchedInstructionsKept(text, after, fix.edits).map((p) => `not targeted, yet ${p}`));
  if (!REWRITING_RULES.has(ruleId)) {
    const extra = extraWords(runWords(text), runWords(after));
    if (!extra) problems.push('RUN words lost or reordered');
    else {
      const inserted = fix.edits.map((e) => e.text).join('\n');
      const foreign = extra.filter((w) => !inserted.includes(w));
      if (foreign.length > 0) problems.push(`RUN words added that the fix's edits do not bring: ${JSON.stringify(foreign.slice(0, 5))}`);
    }
  }
  return problems;
}

/** Everything wrong with fix-all on `text`: not parsing, not idempotent, safe fixes left, RUN words lost. */
export function fixAllProblems(text: string, options: FixCheckOptions = {}): string[] {
  const problems: string[] = [];
  const result = lint(text);
  const once = fixAll(text);
  if (options.shell !== false) problems.push(...parseProblems(text, once.text).map((p) => `fix-all result does not parse: ${p}`));
  if (fixAll(once.text).text !== once.text) problems.push('fixing twice differs from fixing once');
  if (once.passes < MAX_FIX_PASSES) {
    const left = lint(once.text).findings.filter((f) => safeFixOf(f) !== undefined);
    if (left.length > 0) problems.push(`fix-all left findings it has safe fixes for: ${left.slice(0, 3).map((f) => f.ruleId).join(', ')}`);
  }
  if (!result.findings.some((f) => REWRITING_RULES.has(f.ruleId) && f.fixes?.some((x) => x.safe))) {
    if (!extraWords(runWords(text), runWords(once.text))) problems.push('fix-all lost or reordered RUN words');
  }
  return problems;
}
