// Slimfile inside VS Code: the extension activates on a Dockerfile, the server's diagnostics reach
// the editor, the preferred quick fix and the fix-all command change the text as expected.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const RULE = 'apk-no-cache';

function codeOf(d: vscode.Diagnostic): string | number | undefined {
  return typeof d.code === 'object' ? d.code.value : d.code;
}

/** Our diagnostics of `uri` once `ready` holds for them (events drive it; the timer only guards). */
function diagnosticsWhen(uri: vscode.Uri, ready: (ds: vscode.Diagnostic[]) => boolean, guardMs = 30_000): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const ours = (): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'slimfile');
    const finish = (): void => {
      subscription.dispose();
      clearTimeout(timer);
    };
    const check = (): void => {
      const ds = ours();
      if (!ready(ds)) return;
      finish();
      resolve(ds);
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`diagnostics of ${uri.toString()} never matched; last: ${JSON.stringify(ours().map((d) => [codeOf(d), d.range]))}`));
    }, guardMs);
    check();
  });
}

async function setText(editor: vscode.TextEditor, text: string): Promise<void> {
  const doc = editor.document;
  const whole = doc.validateRange(new vscode.Range(0, 0, doc.lineCount, 0));
  assert.ok(await editor.edit((b) => b.replace(whole, text)));
}

describe('Slimfile in VS Code', () => {
  let editor: vscode.TextEditor;

  before(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the runner opens a temporary workspace folder');
    const uri = vscode.Uri.joinPath(folder.uri, 'Dockerfile');
    await vscode.workspace.fs.writeFile(uri, Buffer.from('FROM alpine:3.20\nRUN apk add curl\n'));
    editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  });

  after(async () => {
    await editor.document.save();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens a Dockerfile as the dockerfile language and activates with its commands', async () => {
    assert.equal(editor.document.languageId, 'dockerfile');
    const extension = vscode.extensions.getExtension('slimfile.slimfile');
    assert.ok(extension, 'the extension under development is installed');
    await extension.activate();
    assert.ok(extension.isActive);
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['slimfile.showOutput', 'slimfile.restartServer', 'slimfile.fixAll', 'slimfile.generateDockerignore', 'slimfile.convertToMultiStage', 'slimfile.showSizeBreakdown']) {
      assert.ok(commands.includes(id), id);
    }
  });

  it('shows the apk-no-cache diagnostic from the server with its range and docs link', async () => {
    const ds = await diagnosticsWhen(editor.document.uri, (all) => all.some((d) => codeOf(d) === RULE));
    const d = ds.find((x) => codeOf(x) === RULE);
    assert.ok(d);
    assert.deepEqual([d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character], [1, 4, 1, 16]);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.ok(typeof d.code === 'object' && d.code.target.toString().endsWith('/docs/rules/apk-no-cache.md'));
  });

  it('applies the preferred quick fix', async () => {
    const [d] = (await diagnosticsWhen(editor.document.uri, (all) => all.some((x) => codeOf(x) === RULE))).filter((x) => codeOf(x) === RULE);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, d.range);
    const preferred = actions.filter((a) => a.isPreferred && a.kind?.value === 'quickfix');
    assert.deepEqual(preferred.map((a) => a.title), ['Add --no-cache']);
    const edit = preferred[0].edit;
    assert.ok(edit);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal(editor.document.getText(), 'FROM alpine:3.20\nRUN apk add --no-cache curl\n');
    await diagnosticsWhen(editor.document.uri, (all) => !all.some((x) => codeOf(x) === RULE));
  });

  it('fixes every safe problem with "Slimfile: Fix All Problems in This File"', async () => {
    await setText(editor, 'FROM alpine:3.20\nRUN apk add curl\nRUN apk update && apk add git\n');
    await diagnosticsWhen(editor.document.uri, (all) => all.filter((x) => codeOf(x) === RULE).length === 2);
    const changed = await vscode.commands.executeCommand<boolean>('slimfile.fixAll');
    assert.equal(changed, true);
    assert.equal(editor.document.getText(), 'FROM alpine:3.20\nRUN apk add --no-cache curl\nRUN apk update && apk add --no-cache git\n');
    await diagnosticsWhen(editor.document.uri, (all) => !all.some((x) => codeOf(x) === RULE));
    assert.equal(await vscode.commands.executeCommand<boolean>('slimfile.fixAll'), false, 'nothing left to fix');
  });

  it('hovers a FROM with the image size, and shows the size estimate as a CodeLens', async () => {
    await setText(editor, 'FROM python:3.12\nCMD ["python"]\n');
    await diagnosticsWhen(editor.document.uri, () => true);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(0, 7));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /`python:3\.12`: about \d+ MB compressed/);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
    assert.ok(lenses.some((l) => l.command?.command === 'slimfile.showSizeBreakdown' && l.range.start.line === 0));
  });

  it('turns a rule off through the slimfile.rules setting without a reload', async () => {
    await setText(editor, 'FROM alpine:3.20\nRUN apk add jq\n');
    await diagnosticsWhen(editor.document.uri, (all) => all.some((x) => codeOf(x) === RULE));
    const config = vscode.workspace.getConfiguration('slimfile');
    await config.update('rules', { [RULE]: 'off' }, vscode.ConfigurationTarget.Workspace);
    try {
      await diagnosticsWhen(editor.document.uri, (all) => !all.some((x) => codeOf(x) === RULE));
    } finally {
      await config.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await diagnosticsWhen(editor.document.uri, (all) => all.some((x) => codeOf(x) === RULE));
  });

  it('generates a .dockerignore for the build context with "Slimfile: Generate .dockerignore"', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri;
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, '.env'), Buffer.from('TOKEN=1\n'));
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'node_modules', 'x', 'index.js'), Buffer.from('//\n'));
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('slimfile.generateDockerignore', editor.document.uri);
    const written = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, '.dockerignore')));
    assert.match(written, /^\.env$/m);
    assert.match(written, /^\*\*\/node_modules$/m);
    editor = await vscode.window.showTextDocument(editor.document);
  });

  it('restarts the server and analyses again', async () => {
    await vscode.commands.executeCommand('slimfile.restartServer');
    await setText(editor, 'FROM alpine:3.20\nRUN apk add jq\n');
    await diagnosticsWhen(editor.document.uri, (all) => all.some((x) => codeOf(x) === RULE));
  });
});
