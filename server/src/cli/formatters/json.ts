// `--format json`: an array with one object per file, for scripts. Positions are 1-based; the end
// column is exclusive (the column just after the last character), as in the stylish output.
import { isFixable, position, type FileReport } from './report';

export interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  docsUrl: string;
  /** Whether `--fix` fixes it. */
  fixable: boolean;
}

export interface JsonFileReport {
  file: string;
  findings: JsonFinding[];
  /** Why the file could not be linted. */
  error?: string;
}

export function toJson(reports: readonly FileReport[]): JsonFileReport[] {
  return reports.map((r) => {
    const lines = r.lines;
    const findings: JsonFinding[] = lines
      ? r.findings.map((f) => {
          const start = position(lines, f.span.start);
          const end = position(lines, f.span.end);
          return {
            ruleId: f.ruleId,
            severity: f.severity,
            message: f.message,
            line: start.line,
            column: start.column,
            endLine: end.line,
            endColumn: end.column,
            docsUrl: f.docsUrl,
            fixable: isFixable(f),
          };
        })
      : [];
    return r.error !== undefined ? { file: r.path, findings, error: r.error } : { file: r.path, findings };
  });
}

export function formatJson(reports: readonly FileReport[]): string {
  return JSON.stringify(toJson(reports), null, 2) + '\n';
}
