// The default output: one line per problem, `path:line:column  severity  rule-id  message`, which
// editors and CI logs turn into links, then a summary line. Colour is the caller's choice.
import type { Severity } from '../../rules/define';
import { position, type FileReport } from './report';

export type { FileReport } from './report';

const SEVERITY_ORDER: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

const ANSI = {
  reset: '\u001b[0m',
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  blue: '\u001b[34m',
  green: '\u001b[32m',
} as const;

const SEVERITY_COLOUR: Record<Severity, string> = { error: ANSI.red, warning: ANSI.yellow, info: ANSI.blue, hint: ANSI.dim };

/**
 * Formats the reports of every linted file (clean ones included, for the count; files that could
 * not be linted are left out: their reason went to stderr). Ends with a newline.
 */
export function formatStylish(all: readonly FileReport[], options: { color: boolean }): string {
  const reports = all.filter((r) => r.lines !== undefined);
  const files = reports.length;
  const paint = (code: string, s: string): string => (options.color ? code + s + ANSI.reset : s);
  const out: string[] = [];
  const counts = new Map<Severity, number>();
  let withProblems = 0;
  for (const report of reports) {
    const lines = report.lines;
    if (!lines) continue;
    if (report.findings.length > 0) withProblems++;
    for (const f of report.findings) {
      counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
      const { line, column } = position(lines, f.span.start);
      // A message is one line in this format; a line break would split it from its location.
      const message = f.message.replace(/\s*[\r\n]+\s*/g, ' ');
      out.push(`${report.path}:${line}:${column}  ${paint(SEVERITY_COLOUR[f.severity], f.severity)}  ${paint(ANSI.dim, f.ruleId)}  ${message}`);
    }
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const fileWord = (n: number): string => `${n} ${n === 1 ? 'file' : 'files'}`;
  if (total === 0) {
    out.push(paint(ANSI.green, `No problems in ${fileWord(files)}`));
  } else {
    const parts = SEVERITY_ORDER.filter((s) => counts.has(s)).map((s) => severityCount(s, counts.get(s)!));
    const where = withProblems === files ? fileWord(files) : `${withProblems} of ${fileWord(files)}`;
    out.push(paint(ANSI.bold, `${total} ${total === 1 ? 'problem' : 'problems'} (${parts.join(', ')}) in ${where}`));
  }
  return out.join('\n') + '\n';
}

function severityCount(severity: Severity, n: number): string {
  // "info" reads as a mass noun: "2 info", like "2 warnings".
  if (severity === 'info' || n === 1) return `${n} ${severity}`;
  return `${n} ${severity}s`;
}
