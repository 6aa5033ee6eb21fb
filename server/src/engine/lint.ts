// Runs the enabled rules over one document with its configuration. A rule that throws is recorded
// as a failure and the others still report. Input that is not a Dockerfile (binary, too large) is
// not analysed: the result says why.
import { analyze, type DockerfileModel } from '../analysis/model';
import type { Finding, Rule, Severity } from '../rules/define';
import { rules as registry } from '../rules';

export type RuleLevel = Severity | 'off';
export type RuleSetting = RuleLevel | [RuleLevel] | [RuleLevel, Record<string, unknown>];

export interface LintConfig {
  /** Per-rule level and options; rules not named keep their default severity. */
  rules?: Record<string, RuleSetting>;
  /** The build target (`--target`): picks the final stage. */
  target?: string;
}

export interface LintFinding extends Finding {
  ruleId: string;
  severity: Severity;
  /** The rendered message. */
  message: string;
  docsUrl: string;
}

export interface LintFailure {
  ruleId: string;
  error: string;
}

export interface LintResult {
  model: DockerfileModel | undefined;
  findings: LintFinding[];
  failures: LintFailure[];
  /** Why the text was not analysed (binary or too large), if it was not. */
  skipped: string | undefined;
}

/** Largest text analysed, in UTF-16 code units (about 5 MB of ASCII). */
export const MAX_TEXT_LENGTH = 5 * 1024 * 1024;

/** Why a text cannot be analysed as a Dockerfile, or undefined when it can. */
export function unanalysableReason(text: string): string | undefined {
  if (text.length > MAX_TEXT_LENGTH) {
    return `file too large to analyse (${(text.length / 1048576).toFixed(1)} MB; the limit is ${MAX_TEXT_LENGTH / 1048576} MB)`;
  }
  if (text.includes('\u0000')) return 'binary content (NUL bytes): not a Dockerfile';
  return undefined;
}

/** Effective level and options of a rule under a config. */
export function ruleSetting(rule: Rule, config: LintConfig): { level: RuleLevel; options: Record<string, unknown> } {
  const setting = config.rules?.[rule.meta.id];
  const defaults = rule.meta.options ?? {};
  if (setting === undefined) return { level: rule.meta.defaultSeverity, options: { ...defaults } };
  if (typeof setting === 'string') return { level: setting, options: { ...defaults } };
  return { level: setting[0], options: { ...defaults, ...(setting[1] ?? {}) } };
}

/** Fills `{name}` placeholders from data; unknown placeholders are left as written. */
export function renderMessage(template: string, data: Record<string, string | number> | undefined): string {
  return template.replace(/\{(\w+)\}/g, (m, key: string) => (data && data[key] !== undefined ? String(data[key]) : m));
}

/** Analyses `text` and runs every enabled rule. Never throws. */
export function lint(text: string, config: LintConfig = {}, rules: readonly Rule[] = registry): LintResult {
  const skipped = unanalysableReason(text);
  if (skipped) return { model: undefined, findings: [], failures: [], skipped };
  const model = analyze(text);
  const findings: LintFinding[] = [];
  const failures: LintFailure[] = [];
  for (const rule of rules) {
    const { level, options } = ruleSetting(rule, config);
    if (level === 'off') continue;
    let found: Finding[];
    try {
      found = rule.check({ model, options, target: config.target });
    } catch (e) {
      failures.push({ ruleId: rule.meta.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      continue;
    }
    for (const f of found) {
      const template = rule.meta.messages[f.messageId] ?? f.messageId;
      findings.push({
        ...f,
        ruleId: rule.meta.id,
        severity: level,
        message: renderMessage(template, f.data),
        docsUrl: rule.meta.docsUrl,
      });
    }
  }
  findings.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || a.ruleId.localeCompare(b.ruleId));
  return { model, findings, failures, skipped: undefined };
}
