// Code actions from a stored analysis: each fix of a finding in the requested range becomes a
// quick fix attached to its diagnostic, followed by "Ignore <id> for this instruction"; and
// `source.fixAll.slimfile` applies every safe fix through the engine's fix-all, as one edit.
import { CodeActionKind, TextDocumentEdit, type CodeAction, type CodeActionParams, type Diagnostic, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import type { Edit, LineIndex } from '../analysis/text';
import { fixAll } from '../engine/fix';
import { findSuppressions, ignoreFix, type Suppression } from '../engine/suppress';
import type { Fix, Rule } from '../rules/define';
import { diagnosticKey, rangesTouch, SOURCE, toRange } from './diagnostics';
import type { Analysis } from './validation';

/** Our fix-all kind: `source.fixAll` requests (such as `editor.codeActionsOnSave`) include it. */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.slimfile`;

/** The kinds the server advertises. */
export const CODE_ACTION_KINDS: string[] = [CodeActionKind.QuickFix, FIX_ALL_KIND];

export interface CodeActionOptions {
  /** The client takes `documentChanges` (versioned edits) in a WorkspaceEdit. */
  documentChanges: boolean;
  rules: readonly Rule[];
}

/**
 * Whether a request's `only` list asks for `kind`: a listed kind covers its sub-kinds
 * (`source.fixAll` covers `source.fixAll.slimfile`). Without a list, `byDefault` decides.
 */
export function isRequested(only: readonly string[] | undefined, kind: string, byDefault: boolean): boolean {
  if (!only || only.length === 0) return byDefault;
  return only.some((k) => kind === k || kind.startsWith(`${k}.`));
}

/** The code actions for a request on the analysed document version. */
export function codeActionsFor(analysis: Analysis, params: CodeActionParams, options: CodeActionOptions): CodeAction[] {
  const model = analysis.result?.model;
  if (!model) return [];
  const only = params.context.only;
  const actions: CodeAction[] = [];
  if (isRequested(only, CodeActionKind.QuickFix, true)) actions.push(...quickFixes(analysis, params, options));
  // Fix-all re-analyses up to ten times, so it is computed only when asked for by kind (on save,
  // or from the source action menu), never for the light bulb.
  if (isRequested(only, FIX_ALL_KIND, false)) {
    const action = fixAllAction(analysis, options);
    if (action) actions.push(action);
  }
  return actions;
}

function quickFixes(analysis: Analysis, params: CodeActionParams, options: CodeActionOptions): CodeAction[] {
  const model = analysis.result?.model;
  if (!model) return [];
  const sent = new Set(params.context.diagnostics.filter((d) => d.source === SOURCE).map(diagnosticKey));
  const fixes: CodeAction[] = [];
  const ignores: CodeAction[] = [];
  const ignoreKeys = new Set<string>();
  let suppressions: Suppression[] | undefined;
  for (const { finding, diagnostic } of analysis.entries) {
    if (!sent.has(diagnosticKey(diagnostic)) && !rangesTouch(diagnostic.range, params.range)) continue;
    for (const fix of finding.fixes ?? []) {
      const action = quickFix(analysis, model.lines, fix, diagnostic, options);
      if (action) fixes.push(action);
    }
    suppressions ??= findSuppressions(model, options.rules);
    const ignore = ignoreFix(model, suppressions, finding.ruleId, finding.span);
    if (!ignore) continue;
    // Two findings of one rule in one instruction need one comment, not two.
    const key = `${finding.ruleId}@${ignore.edits.map((e) => e.span.start).join(',')}`;
    if (ignoreKeys.has(key)) continue;
    ignoreKeys.add(key);
    const action = quickFix(analysis, model.lines, ignore, diagnostic, options);
    if (action) ignores.push(action);
  }
  return [...fixes, ...ignores];
}

function quickFix(analysis: Analysis, lines: LineIndex, fix: Fix, diagnostic: Diagnostic, options: CodeActionOptions): CodeAction | undefined {
  if (fix.edits.length === 0 && !fix.command) return undefined;
  const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic] };
  if (fix.preferred) action.isPreferred = true;
  if (fix.edits.length > 0) {
    action.edit = workspaceEdit(analysis.uri, analysis.version, fix.edits.map((e) => toTextEdit(lines, e)), options.documentChanges);
  }
  // A command without arguments of its own acts on the document the fix is for.
  if (fix.command) action.command = { title: fix.title, command: fix.command.command, arguments: fix.command.arguments ?? [analysis.uri] };
  return action;
}

function fixAllAction(analysis: Analysis, options: CodeActionOptions): CodeAction | undefined {
  const model = analysis.result?.model;
  if (!model) return undefined;
  const fixed = fixAll(analysis.text, analysis.config.lint, options.rules, analysis.context);
  const edit = minimalEdit(analysis.text, fixed.text);
  if (fixed.applied === 0 || !edit) return undefined;
  return {
    title: `Apply ${fixed.applied} safe Slimfile fix${fixed.applied === 1 ? '' : 'es'}`,
    kind: FIX_ALL_KIND,
    edit: workspaceEdit(analysis.uri, analysis.version, [toTextEdit(model.lines, edit)], options.documentChanges),
  };
}

export function toTextEdit(lines: LineIndex, edit: Edit): TextEdit {
  return { range: toRange(lines, edit.span), newText: edit.text };
}

/** Edits of one document as a WorkspaceEdit: versioned `documentChanges` when the client takes them. */
export function workspaceEdit(uri: string, version: number, edits: TextEdit[], documentChanges: boolean): WorkspaceEdit {
  if (documentChanges) return { documentChanges: [TextDocumentEdit.create({ uri, version }, edits)] };
  return { changes: { [uri]: edits } };
}

/**
 * The single edit that turns `before` into `after`: the differing middle between their common
 * prefix and suffix, so the editor keeps the cursor and folding outside it. Its ends never split
 * a `\r\n` or a surrogate pair (positions there do not exist for the editor). Undefined when the
 * texts are equal.
 */
export function minimalEdit(before: string, after: string): Edit | undefined {
  if (before === after) return undefined;
  const limit = Math.min(before.length, after.length);
  let start = 0;
  while (start < limit && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  while (start > 0 && splitsPair(before, start)) start--;
  let suffix = 0;
  while (suffix < limit - start && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  while (suffix > 0 && splitsPair(before, before.length - suffix)) suffix--;
  return { span: { start, end: before.length - suffix }, text: after.slice(start, after.length - suffix) };
}

/** Whether offset `i` falls inside a `\r\n` or a surrogate pair of `text`. */
function splitsPair(text: string, i: number): boolean {
  if (i <= 0 || i >= text.length) return false;
  const prev = text.charCodeAt(i - 1);
  const next = text.charCodeAt(i);
  if (prev === 13 && next === 10) return true;
  return prev >= 0xd800 && prev <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
}
