// Findings to LSP diagnostics. Spans are UTF-16 offsets and LSP positions count UTF-16 code units
// too (the protocol's default encoding), so the model's line index converts them as they are.
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation, type Range } from 'vscode-languageserver';
import type { LineIndex, Span } from '../analysis/text';
import type { LintFinding } from '../engine/lint';
import type { Severity } from '../rules/define';

export const SOURCE = 'slimfile';

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toSeverity(severity: Severity): DiagnosticSeverity {
  return SEVERITIES[severity] ?? DiagnosticSeverity.Warning;
}

export function toRange(lines: LineIndex, span: Span): Range {
  return { start: lines.positionAt(span.start), end: lines.positionAt(span.end) };
}

export interface DiagnosticOptions {
  /** The client shows `relatedInformation` (otherwise it is left out). */
  relatedInformation: boolean;
}

/** One finding as a diagnostic of the document `uri`, whose text `lines` indexes. */
export function toDiagnostic(uri: string, lines: LineIndex, finding: LintFinding, options: DiagnosticOptions): Diagnostic {
  const diagnostic: Diagnostic = {
    range: toRange(lines, finding.span),
    severity: toSeverity(finding.severity),
    source: SOURCE,
    code: finding.ruleId,
    codeDescription: { href: finding.docsUrl },
    message: finding.message,
  };
  if (options.relatedInformation && finding.related && finding.related.length > 0) {
    diagnostic.relatedInformation = finding.related.map(
      (r): DiagnosticRelatedInformation => ({ location: { uri, range: toRange(lines, r.span) }, message: r.message }),
    );
  }
  return diagnostic;
}

/** The single diagnostic on line 1 of a document that was not analysed, saying why. */
export function skippedDiagnostic(text: string, reason: string): Diagnostic {
  // Underline the first line (up to 200 characters), or nothing in an empty first line.
  const firstBreak = text.search(/[\r\n]/);
  const end = Math.min(firstBreak < 0 ? text.length : firstBreak, 200);
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: end } },
    severity: DiagnosticSeverity.Information,
    source: SOURCE,
    message: `Slimfile did not analyse this file: ${reason}.`,
  };
}

/** Whether two LSP ranges share at least a position (touching ends count, as a cursor does). */
export function rangesTouch(a: Range, b: Range): boolean {
  return !(before(a.end, b.start) || before(b.end, a.start));
}

function before(p: Range['start'], q: Range['start']): boolean {
  return p.line < q.line || (p.line === q.line && p.character < q.character);
}

/** A key that identifies a diagnostic we published, to match the ones a client sends back. */
export function diagnosticKey(d: Diagnostic): string {
  const { start, end } = d.range;
  return `${String(d.code ?? '')}|${start.line}:${start.character}-${end.line}:${end.character}|${d.message}`;
}
