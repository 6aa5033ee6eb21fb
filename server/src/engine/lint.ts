// Runs the enabled rules over one document with its configuration. A rule that throws is recorded
// as a failure and the others still report. Input that is not a Dockerfile (binary, too large) is
// not analysed: the result says why.
import { analyze, RunInstruction, type DockerfileModel } from '../analysis/model';
import type { Edit } from '../analysis/text';
import type { ContextFacts, Finding, Fix, Rule, Severity } from '../rules/define';
import { rules as registry } from '../rules';
import { UNUSED_SUPPRESSION } from '../rules/unused-suppression';
import { findSuppressions, isSuppressed, type Suppression } from './suppress';

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
export function lint(text: string, config: LintConfig = {}, rules: readonly Rule[] = registry, context?: ContextFacts): LintResult {
  const skipped = unanalysableReason(text);
  if (skipped) return { model: undefined, findings: [], failures: [], skipped };
  const model = analyze(text);
  const findings: LintFinding[] = [];
  const failures: LintFailure[] = [];
  // Only files that mention "ignore" can hold suppression comments; most do not.
  const suppressions = text.includes('ignore') ? findSuppressions(model, rules === registry ? rules : [...registry, ...rules]) : [];
  const enabled = new Set<string>();
  // Whether each fix applies, asked once per fix: one "merge all" fix is shared by every finding.
  const verdicts = new Map<Fix, boolean>();
  for (const rule of rules) {
    const { level, options } = ruleSetting(rule, config);
    if (level === 'off') continue;
    enabled.add(rule.meta.id);
    let found: Finding[];
    try {
      found = rule.check({ model, options, target: config.target, context });
    } catch (e) {
      failures.push({ ruleId: rule.meta.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      continue;
    }
    for (const f of found) {
      if (suppressions.length > 0 && isSuppressed(suppressions, rule.meta.id, f.span)) continue;
      const template = rule.meta.messages[f.messageId] ?? f.messageId;
      // The rule's own object, completed: a copy by spread gave each of thousands of findings a
      // hidden class of its own (5 MB on a 50k-line file).
      const done = f as LintFinding;
      // A new array (filter) also drops the room for 17 entries an array grown by push keeps.
      if (f.fixes) done.fixes = fixesThatApply(model, f.fixes, verdicts);
      done.ruleId = rule.meta.id;
      done.severity = f.severity ?? level;
      done.message = renderMessage(template, f.data);
      done.docsUrl = rule.meta.docsUrl;
      findings.push(done);
    }
  }
  const unused = rules.find((r) => r.meta.id === UNUSED_SUPPRESSION);
  if (unused && enabled.has(UNUSED_SUPPRESSION)) findings.push(...unusedSuppressions(suppressions, enabled, unused, ruleSetting(unused, config).level as Severity));
  findings.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || a.ruleId.localeCompare(b.ruleId));
  return { model, findings, failures, skipped: undefined };
}

/**
 * The fixes whose every edit lands where it means what the rule meant: not in or after a heredoc
 * that never closes (Docker reads the rest of the file as its body), not after a line continuation
 * with nothing after it at the end of the file (the text would join that instruction), and not
 * in the script of a RUN where a quote, `$(` or backtick is left open (where a word ends there is a
 * guess). Undefined when none is left.
 */
function fixesThatApply(model: DockerfileModel, fixes: readonly Fix[], verdicts: Map<Fix, boolean>): Fix[] | undefined {
  const dangling = model.danglingContinuation;
  const applies = (e: Edit): boolean => {
    if (model.openHeredoc && e.span.end > model.openHeredoc.span.start) return false;
    if (dangling !== undefined && e.span.end >= dangling) return false;
    const ins = model.instructionAt(e.span.start);
    if (ins instanceof RunInstruction && ins.argsSpan && e.span.end > ins.argsSpan.start && !scriptsEndCleanly(ins)) return false;
    return true;
  };
  const kept = fixes.filter((fix) => {
    let ok = verdicts.get(fix);
    if (ok === undefined) verdicts.set(fix, (ok = fix.edits.every(applies)));
    return ok;
  });
  return kept.length > 0 || fixes.length === 0 ? kept : undefined;
}

/** Whether every script of a RUN (nested `sh -c` ones included) ends with no quote or substitution open. */
function scriptsEndCleanly(run: RunInstruction): boolean {
  if (run.script && !run.script.endsCleanly()) return false;
  return run.commands.every((c) => c.script.endsCleanly());
}

/**
 * Findings for suppression comments that silenced nothing among the rules that ran. Ids of rules
 * that are off are not judged. The comment can be removed when every id it names is idle or unknown.
 */
function unusedSuppressions(suppressions: readonly Suppression[], enabled: ReadonlySet<string>, rule: Rule, severity: Severity): LintFinding[] {
  const out: LintFinding[] = [];
  for (const s of suppressions) {
    const idle = s.ruleIds.filter((id) => enabled.has(id) && !s.used.has(id));
    const messageId = s.unknown.length > 0 ? 'unknownRule' : 'unused';
    const ids = s.unknown.length > 0 ? s.unknown : idle;
    if (ids.length === 0) continue;
    const data = { ids: ids.join(', ') };
    const removable = idle.length === s.ruleIds.length;
    out.push({
      span: s.span,
      messageId,
      data,
      ruleId: rule.meta.id,
      severity,
      message: renderMessage(rule.meta.messages[messageId], data),
      docsUrl: rule.meta.docsUrl,
      fixes: removable ? [{ title: 'Remove this suppression comment', edits: [{ span: s.lineSpan, text: '' }] }] : undefined,
    });
  }
  return out;
}
