// The shape of a rule and of what it reports. Rules are pure: they read the model (and facts the
// engine hands them) and return findings; the engine adds severity, message text and docs links.
import type { DockerfileModel } from '../analysis/model';
import type { Edit, Span } from '../analysis/text';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** Where the rule pages live; `defineRule` adds each rule's page to its meta. */
export const DOCS_BASE = 'https://github.com/slimfile/slimfile/blob/main/docs/rules/';

export interface RuleMeta {
  /** Kebab-case, equal to the file name; public and never renamed. */
  id: string;
  /** One line, sentence case, no final period. */
  description: string;
  defaultSeverity: Severity;
  /** Has fixes safe enough for fix-all and `--fix`. */
  fixable: boolean;
  /** Has fixes a person must choose (never applied in bulk). */
  hasSuggestions?: boolean;
  /** Message templates by id, with `{placeholder}`s filled from a finding's `data`. */
  messages: Record<string, string>;
  /** Typed option defaults. */
  options?: Record<string, unknown>;
  /** Equivalent hadolint codes. */
  hadolint?: string[];
}

export interface Fix {
  /** Starts with a verb and says the effect: "Add --no-cache". */
  title: string;
  /** Text edits; may be empty when the fix is a `command` the editor runs. */
  edits: Edit[];
  /** An editor command that performs the fix (generating a file, say), run instead of or after the edits. */
  command?: { command: string; arguments?: unknown[] };
  /** Safe for fix-all and `--fix`; otherwise a suggestion a person must choose. */
  safe?: boolean;
  /** The obvious fix for this finding (shown first, `isPreferred` in the editor). */
  preferred?: boolean;
}

export interface Related {
  span: Span;
  message: string;
}

export interface Finding {
  span: Span;
  messageId: string;
  /** Raises (or sets) this finding's severity above the rule's configured level, e.g. past a hard limit. */
  severity?: Severity;
  data?: Record<string, string | number>;
  fixes?: Fix[];
  related?: Related[];
}

/** What one COPY/ADD source brings in from the build context, after `.dockerignore`. */
export interface SourceMeasure {
  files: number;
  bytes: number;
  /** The biggest entries it brings (context-relative paths), biggest first. */
  biggest: { path: string; bytes: number }[];
  /** A lower bound: the scan was cut short. */
  atLeast: boolean;
}

/**
 * Facts about the build context, measured by the front end (the server or the CLI) and handed to
 * rules as plain data. Absent when the context is unknown (an unsaved file, a test).
 */
export interface ContextFacts {
  /** The ignore file that applies, as a name relative to the context (`.dockerignore`), if any. */
  ignoreFile: string | undefined;
  /** Everything the context sends, after the ignore file. */
  total: SourceMeasure;
  /** Top-level entries sent, biggest first. */
  top: { path: string; bytes: number; files: number }[];
  /** Measures a COPY/ADD source (path or glob, context-relative); undefined when nothing matches. */
  measure(source: string): SourceMeasure | undefined;
  /** The files a source brings in, biggest first (context-relative paths). */
  filesOf(source: string): { path: string; bytes: number }[];
  /** Whether a context-relative path is (or lies under) a symbolic link pointing out of the context. */
  linkEscapes(source: string): string | undefined;
}

export interface RuleContext {
  model: DockerfileModel;
  /** The rule's options: its defaults overridden by configuration. */
  options: Record<string, unknown>;
  /** The build target, when configured: it picks the final stage. */
  target: string | undefined;
  /** The build context, when the front end measured it. */
  context?: ContextFacts;
}

export interface Rule {
  meta: RuleMeta & { docsUrl: string };
  check(ctx: RuleContext): Finding[];
}

export function defineRule(rule: { meta: RuleMeta; check(ctx: RuleContext): Finding[] }): Rule {
  return { meta: { ...rule.meta, docsUrl: `${DOCS_BASE}${rule.meta.id}.md` }, check: rule.check };
}
