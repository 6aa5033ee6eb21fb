// "Slimfile: Convert to Multi-Stage Build": asks the server for the conversion of the active
// Dockerfile, applies it as one undoable edit, and puts the cursor on the first line to fill in.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CONVERT_REQUEST, type ConvertResult } from '../../../server/src/lsp/protocol';

export async function convertToMultiStage(client: LanguageClient | undefined, selector: vscode.DocumentSelector): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || vscode.languages.match(selector, editor.document) === 0) {
    void vscode.window.showWarningMessage('Slimfile: open a Dockerfile to convert it to a multi-stage build.');
    return;
  }
  if (!client) {
    void vscode.window.showErrorMessage('Slimfile: the language server is not running.');
    return;
  }
  const doc = editor.document;
  // The server's copy must have caught up with the editor before it can convert this version.
  const result = await client.sendRequest<ConvertResult>(CONVERT_REQUEST, { uri: doc.uri.toString(), version: doc.version });
  if (!result.edits || result.edits.length === 0) {
    void vscode.window.showInformationMessage(`Slimfile: ${result.reason ?? 'no conversion for this file.'}`);
    return;
  }
  const edit = new vscode.WorkspaceEdit();
  for (const e of result.edits) {
    edit.replace(doc.uri, new vscode.Range(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character), e.newText);
  }
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage('Slimfile: the file changed while converting; try again.');
    return;
  }
  const text = doc.getText();
  const at = text.indexOf('TODO(slimfile)');
  if (at >= 0) {
    const pos = doc.positionAt(at);
    const next = new vscode.Position(Math.min(pos.line + 1, doc.lineCount - 1), 0);
    editor.selection = new vscode.Selection(next, doc.lineAt(next.line).range.end);
    editor.revealRange(new vscode.Range(next, next), vscode.TextEditorRevealType.InCenter);
  }
}
