// Applies fixes. Fix-all takes the first safe fix of every finding, applies those whose edits do not
// conflict, re-analyses and repeats (at most 10 passes, like ESLint), so fixes that touch the same
// lines land in turn. The editor's fix-all and the CLI's --fix both call `fixAll`.
import { applyEdits, type Edit } from '../analysis/text';
import type { ContextFacts, Fix, Rule } from '../rules/define';
import { rules as registry } from '../rules';
import { lint, type LintConfig, type LintFinding } from './lint';

export const MAX_FIX_PASSES = 10;

/** Whether two edits cannot both be applied in one pass (overlap, or inserts at the same place). */
export function editsConflict(a: Edit, b: Edit): boolean {
  if (a.span.start < b.span.end && b.span.start < a.span.end) return true;
  const aInsert = a.span.start === a.span.end;
  const bInsert = b.span.start === b.span.end;
  if (aInsert && a.span.start >= b.span.start && a.span.start <= b.span.end) return true;
  if (bInsert && b.span.start >= a.span.start && b.span.start <= a.span.end) return true;
  return false;
}

/** The text after applying one fix. */
export function applyFix(text: string, fix: Fix): string {
  return applyEdits(text, fix.edits);
}

/** The first safe fix of a finding that is made of edits, if any. */
export function safeFixOf(finding: LintFinding): Fix | undefined {
  return finding.fixes?.find((f) => f.safe && f.edits.length > 0);
}

/** Picks fixes in document order whose edits conflict with none picked before. */
export function compatibleFixes(fixes: readonly Fix[]): Fix[] {
  const picked: Fix[] = [];
  const edits: Edit[] = [];
  const ordered = [...fixes].sort((a, b) => firstOffset(a) - firstOffset(b));
  for (const fix of ordered) {
    if (fix.edits.some((e) => edits.some((p) => editsConflict(e, p)))) continue;
    if (hasInternalConflict(fix.edits)) continue;
    picked.push(fix);
    edits.push(...fix.edits);
  }
  return picked;
}

function firstOffset(fix: Fix): number {
  return Math.min(...fix.edits.map((e) => e.span.start));
}

function hasInternalConflict(edits: readonly Edit[]): boolean {
  for (let i = 0; i < edits.length; i++) for (let j = i + 1; j < edits.length; j++) if (editsConflict(edits[i], edits[j])) return true;
  return false;
}

export interface FixAllResult {
  text: string;
  /** Fixes applied over all passes. */
  applied: number;
  passes: number;
}

/** Applies every safe fix, re-analysing between passes. Returns the input unchanged when nothing applies. */
export function fixAll(text: string, config: LintConfig = {}, rules: readonly Rule[] = registry, context?: ContextFacts): FixAllResult {
  let current = text;
  let applied = 0;
  let passes = 0;
  while (passes < MAX_FIX_PASSES) {
    const result = lint(current, config, rules, context);
    const fixes = compatibleFixes(result.findings.map(safeFixOf).filter((f): f is Fix => f !== undefined));
    if (fixes.length === 0) break;
    passes++;
    const next = applyEdits(current, fixes.flatMap((f) => f.edits));
    if (next === current) break;
    current = next;
    applied += fixes.length;
  }
  return { text: current, applied, passes };
}
