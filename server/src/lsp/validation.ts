// One analysis of one document version: the engine's lint result with the diagnostics made from it,
// kept by the server so that code actions look fixes up instead of analysing again.
import type { Diagnostic } from 'vscode-languageserver';
import { lint, type LintFailure, type LintFinding, type LintResult } from '../engine/lint';
import type { ContextFacts, Rule } from '../rules/define';
import { skippedDiagnostic, toDiagnostic, type DiagnosticOptions } from './diagnostics';
import type { DocumentConfig } from './settings';

export interface Analysis {
  uri: string;
  version: number;
  /** The text analysed (the document at `version`). */
  text: string;
  config: DocumentConfig;
  /** The build context facts the rules saw; undefined when not measured (yet). */
  context: ContextFacts | undefined;
  /** Undefined when analysis is off for the document. */
  result: LintResult | undefined;
  /** Each finding with the diagnostic published for it, in document order. */
  entries: { finding: LintFinding; diagnostic: Diagnostic }[];
  /** Everything to publish: the entries' diagnostics, or the one "not analysed" diagnostic. */
  diagnostics: Diagnostic[];
}

/** Analyses a document's text under its configuration. Never throws (the engine isolates rules). */
export function analyse(
  doc: { uri: string; version: number; text: string },
  config: DocumentConfig,
  rules: readonly Rule[],
  options: DiagnosticOptions,
  context?: ContextFacts,
): Analysis {
  const base = { uri: doc.uri, version: doc.version, text: doc.text, config, context };
  if (!config.enabled) return { ...base, result: undefined, entries: [], diagnostics: [] };
  const result = lint(doc.text, config.lint, rules, context);
  if (result.skipped !== undefined || !result.model) {
    return { ...base, result, entries: [], diagnostics: [skippedDiagnostic(doc.text, result.skipped ?? 'the text could not be read')] };
  }
  const lines = result.model.lines;
  const entries = result.findings.map((finding) => ({ finding, diagnostic: toDiagnostic(doc.uri, lines, finding, options) }));
  return { ...base, result, entries, diagnostics: entries.map((e) => e.diagnostic) };
}

/**
 * Remembers which rule failures were logged, so each is logged once per rule and document version
 * however often that version is analysed (a settings change re-analyses every open document).
 */
export class FailureLog {
  private readonly logged = new Map<string, { version: number; ruleIds: Set<string> }>();

  /** The failures not yet logged for this document version; marks them logged. */
  fresh(uri: string, version: number, failures: readonly LintFailure[]): LintFailure[] {
    let seen = this.logged.get(uri);
    if (!seen || seen.version !== version) {
      seen = { version, ruleIds: new Set() };
      this.logged.set(uri, seen);
    }
    const out: LintFailure[] = [];
    for (const f of failures) {
      if (seen.ruleIds.has(f.ruleId)) continue;
      seen.ruleIds.add(f.ruleId);
      out.push(f);
    }
    return out;
  }

  forget(uri: string): void {
    this.logged.delete(uri);
  }
}
