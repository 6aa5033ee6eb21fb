// The language server as the extension sees it: starts it over IPC, restarts it, reports its state,
// and tells the user (once, with a way to the log) when it stopped and will not come back by itself.
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

/** Dockerfiles by language, plus the usual file names in case another extension claims them. */
// Written without a type so it fits both vscode's and the language client's selector types.
export const DOCUMENT_SELECTOR = [
  { language: 'dockerfile' },
  { scheme: 'file', pattern: '**/{Dockerfile.*,*.Dockerfile,*.dockerfile,Containerfile,Containerfile.*}' },
];

/** Restarts allowed within RESTART_WINDOW_MS before the server is left stopped (a crash loop). */
const MAX_RESTARTS = 4;
const RESTART_WINDOW_MS = 3 * 60 * 1000;

export type ServerStatus = 'starting' | 'running' | 'stopped';

export class LanguageServer implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private listener: vscode.Disposable | undefined;
  private readonly statusEmitter = new vscode.EventEmitter<ServerStatus>();
  private crashes: number[] = [];

  /** Fires when the server starts, runs or stops. */
  readonly onDidChangeStatus = this.statusEmitter.event;

  constructor(
    private readonly serverModule: string,
    private readonly output: vscode.OutputChannel,
  ) {}

  /** The running client, for Slimfile's own requests; undefined while stopped. */
  get running(): LanguageClient | undefined {
    return this.client?.state === State.Running ? this.client : undefined;
  }

  get status(): ServerStatus {
    switch (this.client?.state) {
      case State.Running:
        return 'running';
      case State.Starting:
        return 'starting';
      default:
        return 'stopped';
    }
  }

  async start(): Promise<void> {
    if (this.client) return;
    const serverOptions: ServerOptions = {
      run: { module: this.serverModule, transport: TransportKind.ipc },
      debug: { module: this.serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      outputChannel: this.output,
      traceOutputChannel: this.output,
      errorHandler: this.errorHandler(),
      // Routine server messages stay in the output channel; only a stopped server notifies.
      revealOutputChannelOn: RevealOutputChannelOn.Never,
    };
    // The id "slimfile" makes the client read the `slimfile.trace.server` setting.
    const client = new LanguageClient('slimfile', 'Slimfile', serverOptions, clientOptions);
    this.client = client;
    this.listener = client.onDidChangeState(() => this.statusEmitter.fire(this.status));
    try {
      await client.start();
    } catch (e) {
      // The language client has already logged this and shown a notification with the output.
      this.output.appendLine(`The Slimfile server did not start: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Stops the server (if it runs) and forgets the client; a later `start` makes a new one. */
  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.listener?.dispose();
    this.listener = undefined;
    if (client) {
      try {
        if (client.needsStop()) await client.stop();
      } catch (e) {
        this.output.appendLine(`Stopping the Slimfile server failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    this.statusEmitter.fire('stopped');
  }

  async restart(): Promise<void> {
    this.crashes = [];
    await this.stop();
    await this.start();
  }

  dispose(): void {
    void this.stop();
    this.statusEmitter.dispose();
  }

  private errorHandler(): ErrorHandler {
    return {
      error: (_error, _message, count): ErrorHandlerResult => {
        // Transient write/read errors: carry on a few times, as the default handler does.
        if (count !== undefined && count <= 3) return { action: ErrorAction.Continue, handled: true };
        this.notifyStopped('The Slimfile language server stopped after repeated connection errors.');
        return { action: ErrorAction.Shutdown, handled: true };
      },
      closed: (): CloseHandlerResult => {
        const now = Date.now();
        this.crashes = [...this.crashes.filter((t) => now - t < RESTART_WINDOW_MS), now];
        if (this.crashes.length > MAX_RESTARTS) {
          this.notifyStopped(`The Slimfile language server stopped ${this.crashes.length} times in 3 minutes and will not be restarted.`);
          return { action: CloseAction.DoNotRestart, handled: true };
        }
        this.output.appendLine('The Slimfile language server stopped unexpectedly; restarting it.');
        this.notifyStopped('The Slimfile language server stopped unexpectedly and was restarted.', false);
        return { action: CloseAction.Restart, handled: true };
      },
    };
  }

  /** An error notification with a button to the output (and one to restart when it stays stopped). */
  private notifyStopped(message: string, offerRestart = true): void {
    const buttons = offerRestart ? ['Show Output', 'Restart Server'] : ['Show Output'];
    void vscode.window.showErrorMessage(message, ...buttons).then((choice) => {
      if (choice === 'Show Output') this.output.show(true);
      else if (choice === 'Restart Server') void vscode.commands.executeCommand('slimfile.restartServer');
    });
  }
}
