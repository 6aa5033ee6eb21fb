// "Slimfile: Generate .dockerignore": asks the server to plan an ignore file for the active
// Dockerfile's build context (or a folder the user picks), then creates it, or, when one exists,
// shows what would be added and appends a marked block only with the user's consent. Every edit
// goes through the editor, so it can be undone; the file is opened afterwards.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DOCKERIGNORE_REQUEST, type DockerignoreParams, type DockerignoreResult } from '../../../server/src/lsp/protocol';

/** The Dockerfile the command is for: the argument (a URI from a quick fix), else the active editor's. */
function dockerfileOf(arg: unknown, selector: vscode.DocumentSelector): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') {
    try {
      return vscode.Uri.parse(arg, true);
    } catch {
      return undefined;
    }
  }
  const doc = vscode.window.activeTextEditor?.document;
  return doc && vscode.languages.match(selector, doc) > 0 && doc.uri.scheme === 'file' ? doc.uri : undefined;
}

export async function generateDockerignore(client: LanguageClient | undefined, selector: vscode.DocumentSelector, arg?: unknown): Promise<void> {
  if (!client) {
    void vscode.window.showErrorMessage('Slimfile: the language server is not running; run "Slimfile: Restart Server".');
    return;
  }
  const dockerfile = dockerfileOf(arg, selector);
  let params: DockerignoreParams;
  if (dockerfile) {
    params = { uri: dockerfile.toString() };
  } else {
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      openLabel: 'Use as Build Context',
      title: 'Slimfile: the build context folder to write a .dockerignore for',
    });
    if (!picked?.[0]) return;
    params = { folder: picked[0].fsPath };
  }
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Slimfile: scanning the build context…', cancellable: false },
    () => client.sendRequest<DockerignoreResult>(DOCKERIGNORE_REQUEST, params),
  );
  if (result.error || !result.fileUri || result.appended === undefined) {
    void vscode.window.showErrorMessage(`Slimfile: ${result.error ?? 'no .dockerignore could be generated.'}`);
    return;
  }
  const target = vscode.Uri.parse(result.fileUri, true);
  const name = vscode.workspace.asRelativePath(target);
  if (result.appended === '') {
    void vscode.window.showInformationMessage(
      result.exists ? `Slimfile: ${name} already has everything the generator would add.` : 'Slimfile: nothing to ignore: the context holds nothing the generator knows to leave out.',
    );
    if (result.exists) await vscode.window.showTextDocument(target, { preview: false });
    return;
  }
  const added = result.added ?? [];
  const edit = new vscode.WorkspaceEdit();
  if (result.exists) {
    const shown = added.slice(0, 12).join('\n') + (added.length > 12 ? `\n… and ${added.length - 12} more` : '');
    const choice = await vscode.window.showInformationMessage(
      `Slimfile: append ${added.length} ${added.length === 1 ? 'pattern' : 'patterns'} to ${name}?`,
      { modal: true, detail: `Every line already in the file stays as it is; the new patterns go in a marked block at the end:\n\n${shown}` },
      'Append',
      'Preview',
    );
    if (choice === 'Preview') {
      const preview = await vscode.workspace.openTextDocument({ language: 'ignore', content: result.appended });
      await vscode.window.showTextDocument(preview, { preview: true });
      return;
    }
    if (choice !== 'Append') return;
    const doc = await vscode.workspace.openTextDocument(target);
    // Unsaved edits in the editor would be overwritten by a plan made from the file on disk.
    if (doc.isDirty || doc.getText() !== result.existing) {
      void vscode.window.showWarningMessage(`Slimfile: ${name} has changes that are not saved. Save it and run the command again.`);
      return;
    }
    edit.insert(target, doc.lineAt(doc.lineCount - 1).range.end, result.appended);
  } else {
    edit.createFile(target, { ignoreIfExists: true });
    edit.insert(target, new vscode.Position(0, 0), result.appended);
  }
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage(`Slimfile: ${name} could not be written.`);
    return;
  }
  const doc = await vscode.workspace.openTextDocument(target);
  await doc.save();
  await vscode.window.showTextDocument(doc, { preview: false });
  const kept = result.kept?.length ? ` Kept in the context because a Dockerfile copies it: ${result.kept.length}.` : '';
  const truncated = result.truncated ? ' The context is too big to list in full; the patterns cover what was seen.' : '';
  vscode.window.setStatusBarMessage(`Slimfile: ${result.exists ? 'added' : 'wrote'} ${added.length} ${added.length === 1 ? 'pattern' : 'patterns'} to ${name}.${kept}${truncated}`, 8000);
}
