// A small LSP client for tests: spawns the built server (`node dist/server.js --stdio`), speaks
// JSON-RPC over its stdio, answers the requests a server sends (settings, registrations), records
// every diagnostics publication in order, and waits on notifications (a timeout only guards failure).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CodeActionRequest,
  CodeLensRequest,
  DidSaveTextDocumentNotification,
  HoverRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type CodeAction,
  type CodeLens,
  type Command,
  type Hover,
  type Position,
  type Diagnostic,
  type InitializeResult,
  type LogMessageParams,
  type ShowMessageParams,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
  type TextDocumentContentChangeEvent,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';

/** How long a wait may take before the test fails (a guard, never a pause). */
export const WAIT_TIMEOUT_MS = 15_000;

/** The repository root: the nearest folder above this file (or the working directory) with our package.json. */
export function repoRoot(): string {
  for (const start of [__dirname, process.cwd()]) {
    let dir = path.resolve(start);
    for (;;) {
      const pkg = path.join(dir, 'package.json');
      if (fs.existsSync(pkg) && /"name":\s*"slimfile"/.test(fs.readFileSync(pkg, 'utf8'))) return dir;
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error(`no package.json named "slimfile" above ${__dirname} or ${process.cwd()}`);
}

/** The capabilities of a modern editor, as far as the Slimfile server looks at them. */
export const FULL_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceEdit: { documentChanges: true },
  },
  textDocument: {
    synchronization: { dynamicRegistration: false },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true },
    codeAction: {
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
      isPreferredSupport: true,
    },
  },
};

interface Waiter {
  match(p: PublishDiagnosticsParams): boolean;
  resolve(p: PublishDiagnosticsParams): void;
}

export interface StartOptions {
  capabilities?: ClientCapabilities;
  /** The `slimfile` section answered to `workspace/configuration` (mutable through `settings`). */
  settings?: Record<string, unknown>;
  rootUri?: string | null;
  workspaceFolders?: { uri: string; name: string }[] | null;
  /** The server bundle; dist/server.js of the repository by default. */
  serverPath?: string;
}

export class LspClient {
  /** Every publishDiagnostics received, in arrival order. */
  readonly published: PublishDiagnosticsParams[] = [];
  /** Every window/logMessage received. */
  readonly logs: LogMessageParams[] = [];
  /** Every window/showMessage received (what the editor shows as a notification). */
  readonly shown: ShowMessageParams[] = [];
  /** Registrations the server asked for (method names). */
  readonly registrations: string[] = [];
  /** Answered to `workspace/configuration` for the `slimfile` section. */
  settings: Record<string, unknown>;
  /** The `scopeUri`s the server asked settings for. */
  readonly settingsAskedFor: string[] = [];
  initializeResult: InitializeResult | undefined;

  private readonly texts = new Map<string, string>();
  private waiters: Waiter[] = [];
  private stderr = '';
  private exited: string | undefined;

  private constructor(
    private readonly connection: ProtocolConnection,
    private readonly child: ChildProcessWithoutNullStreams | undefined,
    settings: Record<string, unknown>,
  ) {
    this.settings = settings;
  }

  /** Spawns the built server, initializes it and sends `initialized`. */
  static async start(options: StartOptions = {}): Promise<LspClient> {
    const serverPath = options.serverPath ?? path.join(repoRoot(), 'dist', 'server.js');
    if (!fs.existsSync(serverPath)) throw new Error(`${serverPath} is missing: run \`node esbuild.mjs\` first`);
    const child = spawn(process.execPath, [serverPath, '--stdio'], { stdio: 'pipe' });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new LspClient(connection, child, options.settings ?? { enable: true });
    child.stderr.on('data', (d: Buffer) => (client.stderr += d.toString()));
    child.on('exit', (code, signal) => {
      client.exited = `server exited (code ${code}, signal ${signal})${client.stderr ? `: ${client.stderr}` : ''}`;
    });
    await client.initialize(options);
    return client;
  }

  /** Talks to a server in this process through a pair of streams (for glue tests with custom rules). */
  static async connect(fromServer: NodeJS.ReadableStream, toServer: NodeJS.WritableStream, options: StartOptions = {}): Promise<LspClient> {
    const connection = createProtocolConnection(new StreamMessageReader(fromServer), new StreamMessageWriter(toServer));
    const client = new LspClient(connection, undefined, options.settings ?? { enable: true });
    await client.initialize(options);
    return client;
  }

  private async initialize(options: StartOptions): Promise<void> {
    const connection = this.connection;
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => this.onPublish(p));
    connection.onNotification(LogMessageNotification.type, (p) => void this.logs.push(p));
    connection.onNotification(ShowMessageNotification.type, (p) => void this.shown.push(p));
    connection.onRequest(ConfigurationRequest.type, (params) =>
      params.items.map((item) => {
        if (item.scopeUri) this.settingsAskedFor.push(item.scopeUri);
        return item.section === 'slimfile' ? this.settings : null;
      }),
    );
    connection.onRequest(RegistrationRequest.type, (params) => {
      this.registrations.push(...params.registrations.map((r) => r.method));
    });
    connection.listen();
    this.initializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: this.child ? process.pid : null,
      rootUri: options.rootUri ?? null,
      capabilities: options.capabilities ?? FULL_CAPABILITIES,
      workspaceFolders: options.workspaceFolders ?? null,
    });
    await connection.sendNotification(InitializedNotification.type, {});
  }

  private onPublish(p: PublishDiagnosticsParams): void {
    this.published.push(p);
    const ready = this.waiters.filter((w) => w.match(p));
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve(p);
  }

  /**
   * The first publication for `uri` that satisfies `match`, among those already received after
   * index `since` (default: all) or still to come.
   */
  waitForDiagnostics(uri: string, match: (p: PublishDiagnosticsParams) => boolean, since = 0): Promise<PublishDiagnosticsParams> {
    const isIt = (p: PublishDiagnosticsParams): boolean => p.uri === uri && match(p);
    const earlier = this.published.slice(since).find(isIt);
    if (earlier) return Promise.resolve(earlier);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const seen = this.published.filter((p) => p.uri === uri).map((p) => `v${p.version ?? '-'}:${p.diagnostics.length}`);
        reject(new Error(`no matching diagnostics for ${uri} within ${WAIT_TIMEOUT_MS} ms (received: ${seen.join(', ') || 'none'})${this.exited ? `; ${this.exited}` : ''}`));
      }, WAIT_TIMEOUT_MS);
      const waiter: Waiter = {
        match: isIt,
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** The publication for exactly this document version. */
  diagnosticsFor(uri: string, version: number): Promise<PublishDiagnosticsParams> {
    return this.waitForDiagnostics(uri, (p) => p.version === version);
  }

  text(uri: string): string {
    const t = this.texts.get(uri);
    if (t === undefined) throw new Error(`${uri} is not open`);
    return t;
  }

  async open(uri: string, text: string, version = 1, languageId = 'dockerfile'): Promise<void> {
    this.texts.set(uri, text);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
  }

  /** Sends incremental changes (applied to our copy too, in order, as the protocol says). */
  async change(uri: string, version: number, changes: { range: Range; text: string }[]): Promise<void> {
    let text = this.text(uri);
    for (const c of changes) text = applyTextEdits(text, [{ range: c.range, newText: c.text }]);
    this.texts.set(uri, text);
    const contentChanges: TextDocumentContentChangeEvent[] = changes.map((c) => ({ range: c.range, text: c.text }));
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges });
  }

  /** Replaces the whole text with one incremental change covering the old text. */
  replace(uri: string, version: number, text: string): Promise<void> {
    return this.change(uri, version, [{ range: { start: { line: 0, character: 0 }, end: endOf(this.text(uri)) }, text }]);
  }

  async close(uri: string): Promise<void> {
    this.texts.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async changeConfiguration(settings: unknown = null): Promise<void> {
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings });
  }

  /** What an editor sends when watched files changed (2 = changed). */
  async changeWatchedFiles(uris: string[], type: 1 | 2 | 3 = 2): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: uris.map((uri) => ({ uri, type })) });
  }

  async save(uri: string): Promise<void> {
    await this.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  codeLenses(uri: string): Promise<CodeLens[] | null> {
    return this.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
  }

  /** One of Slimfile's own requests (`slimfile/...`). */
  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<(CodeAction | Command)[] | null> {
    return this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics, only } });
  }

  /**
   * Shuts the server down politely. A spawned server also gets `exit` and is waited for; a server
   * in this process does not (its `exit` would end the test process).
   */
  async stop(): Promise<void> {
    const child = this.child;
    if (child && this.exited === undefined) {
      const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      try {
        await this.connection.sendRequest(ShutdownRequest.type);
        await this.connection.sendNotification(ExitNotification.type);
      } catch {
        child.kill();
      }
      const guard = setTimeout(() => child.kill(), WAIT_TIMEOUT_MS);
      await ended;
      clearTimeout(guard);
    } else if (!child) {
      await this.connection.sendRequest(ShutdownRequest.type);
    }
    this.connection.dispose();
  }

  /** Whether the server process is still running. */
  get alive(): boolean {
    return this.exited === undefined;
  }
}

/** The position just after the last character of `text`. */
export function endOf(text: string): Range['end'] {
  const lines = text.split(/\r\n|\r|\n/);
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

/** Offset of an LSP position in `text` (lines end at \n, \r\n or \r). */
export function offsetAt(text: string, pos: Range['start']): number {
  let line = 0;
  let i = 0;
  while (line < pos.line && i < text.length) {
    const c = text[i++];
    if (c === '\n' || (c === '\r' && text[i] !== '\n')) line++;
  }
  let end = i;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  return Math.min(i + pos.character, end);
}

/** Applies non-overlapping TextEdits, as an editor does. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const located = edits
    .map((e) => ({ start: offsetAt(text, e.range.start), end: offsetAt(text, e.range.end), newText: e.newText }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const e of located) {
    if (e.start < at) throw new Error(`overlapping edits at offset ${e.start}`);
    out += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  return out + text.slice(at);
}

/** The TextEdits of a WorkspaceEdit for one document (from `documentChanges` or `changes`). */
export function editsFor(edit: WorkspaceEdit | undefined, uri: string): { edits: TextEdit[]; version: number | null | undefined } {
  if (!edit) return { edits: [], version: undefined };
  if (edit.documentChanges) {
    const edits: TextEdit[] = [];
    let version: number | null | undefined;
    for (const change of edit.documentChanges) {
      if (!('textDocument' in change) || change.textDocument.uri !== uri) continue;
      version = change.textDocument.version;
      edits.push(...change.edits.filter((e): e is TextEdit => 'range' in e && 'newText' in e));
    }
    return { edits, version };
  }
  return { edits: edit.changes?.[uri] ?? [], version: undefined };
}
