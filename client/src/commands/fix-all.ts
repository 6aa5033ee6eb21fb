// "Slimfile: Fix All Problems in This File": asks the server for its `source.fixAll.slimfile`
// action on the active Dockerfile and applies it. The same action runs on save when
// `editor.codeActionsOnSave` asks for `source.fixAll`.
import * as vscode from 'vscode';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('slimfile');

/**
 * Applies the server's fix-all to `document`. Returns whether the text changed; tells the user
 * when there was nothing to fix or the edit could not be applied.
 */
export async function fixAllProblems(document: vscode.TextDocument): Promise<boolean> {
  const whole = document.validateRange(new vscode.Range(0, 0, document.lineCount, 0));
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[] | undefined>(
    'vscode.executeCodeActionProvider',
    document.uri,
    whole,
    FIX_ALL_KIND.value,
  );
  const fix = (actions ?? []).find((a) => a.kind !== undefined && FIX_ALL_KIND.contains(a.kind) && a.edit !== undefined);
  if (!fix?.edit) {
    vscode.window.setStatusBarMessage('Slimfile: nothing to fix automatically in this file', 4000);
    return false;
  }
  const applied = await vscode.workspace.applyEdit(fix.edit);
  if (!applied) {
    void vscode.window.showWarningMessage('Slimfile: the file changed while the fixes were computed. Run the command again.');
  }
  return applied;
}

/** The command handler: fixes the active editor's document when it is a Dockerfile. */
export async function fixAllCommand(selector: vscode.DocumentSelector): Promise<boolean> {
  const document = vscode.window.activeTextEditor?.document;
  if (!document || vscode.languages.match(selector, document) === 0) {
    void vscode.window.showInformationMessage('Slimfile: open a Dockerfile to fix its problems.');
    return false;
  }
  return fixAllProblems(document);
}
