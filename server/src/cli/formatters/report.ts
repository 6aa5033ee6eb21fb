// What every formatter receives: one entry per file the run looked at, with its findings in
// document order (already filtered by --quiet) or the reason it could not be linted.
import type { LineIndex } from '../../analysis/text';
import type { LintFinding } from '../../engine/lint';

export interface FileReport {
  /** The path as shown to the user (as given, joined under a folder given, or `<stdin>`). */
  path: string;
  /** Undefined when the file could not be linted. */
  lines: LineIndex | undefined;
  findings: readonly LintFinding[];
  /** Why the file could not be linted (missing, binary, too large...). */
  error?: string;
}

/** 1-based line and column (UTF-16 units) of an offset, as editors and compilers print them. */
export function position(lines: LineIndex, offset: number): { line: number; column: number } {
  const p = lines.positionAt(offset);
  return { line: p.line + 1, column: p.character + 1 };
}

/** Whether a finding has a fix that --fix applies. */
export function isFixable(f: LintFinding): boolean {
  return f.fixes?.some((x) => x.safe && x.edits.length > 0) ?? false;
}
