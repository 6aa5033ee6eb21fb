// The VS Code side of Slimfile: starts the language server (dist/server.js, over IPC), gives it the
// "Slimfile" output channel, and adds the commands and the language status item. Analysis, quick
// fixes and fix-all all come from the server.
import * as vscode from 'vscode';
import { generateDockerignore } from './commands/dockerignore';
import { fixAllCommand } from './commands/fix-all';
import { convertToMultiStage } from './commands/multi-stage';
import { showSizeBreakdown } from './commands/size-breakdown';
import { DOCUMENT_SELECTOR, LanguageServer, type ServerStatus } from './language-server';

let server: LanguageServer | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Slimfile');
  server = new LanguageServer(context.asAbsolutePath('dist/server.js'), output);
  const status = vscode.languages.createLanguageStatusItem('slimfile.server', DOCUMENT_SELECTOR);
  status.name = 'Slimfile';
  status.command = { title: 'Show Output', command: 'slimfile.showOutput' };
  const showStatus = (s: ServerStatus): void => {
    status.text = s === 'running' ? 'Slimfile' : s === 'starting' ? 'Slimfile: starting' : 'Slimfile: stopped';
    status.busy = s === 'starting';
    status.severity = s === 'stopped' ? vscode.LanguageStatusSeverity.Error : vscode.LanguageStatusSeverity.Information;
    status.detail = s === 'stopped' ? 'The language server is not running' : undefined;
  };
  showStatus('starting');

  context.subscriptions.push(
    output,
    status,
    server,
    server.onDidChangeStatus(showStatus),
    vscode.commands.registerCommand('slimfile.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('slimfile.restartServer', async () => {
      output.appendLine('Restarting the Slimfile server.');
      await server?.restart();
    }),
    vscode.commands.registerCommand('slimfile.fixAll', () => fixAllCommand(DOCUMENT_SELECTOR)),
    vscode.commands.registerCommand('slimfile.generateDockerignore', (arg?: unknown) => generateDockerignore(server?.running, DOCUMENT_SELECTOR, arg)),
    vscode.commands.registerCommand('slimfile.convertToMultiStage', () => convertToMultiStage(server?.running, DOCUMENT_SELECTOR)),
    vscode.commands.registerCommand('slimfile.showSizeBreakdown', showSizeBreakdown),
  );
  await server.start();
}

export async function deactivate(): Promise<void> {
  const stopping = server;
  server = undefined;
  await stopping?.stop();
}
