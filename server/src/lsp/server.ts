// The Slimfile language server. It syncs documents, schedules an analysis per document after a
// short pause in typing, publishes the findings as diagnostics (only for the version analysed) and
// answers code actions from the stored results. It holds no Dockerfile knowledge: the engine does
// the work. Runs as `node dist/server.js --stdio` for any LSP editor, or over IPC from the VS Code
// client.
import {
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_FILE_NAMES } from '../engine/config';
import { rules as registry } from '../rules';
import type { Rule } from '../rules/define';
import { CODE_ACTION_KINDS, codeActionsFor } from './code-actions';
import { fsPathOf, SettingsCache } from './settings';
import { analyse, FailureLog, type Analysis } from './validation';

/**
 * Pause after the last change before analysing, in milliseconds: long enough that a burst of
 * keystrokes is analysed once, short enough that results feel immediate. Analysis of a typical
 * Dockerfile takes a few milliseconds, so the pause is what the user waits for.
 */
export const DEBOUNCE_MS = 150;

export interface ServerOptions {
  /** The rules to run; the registry by default (tests pass their own). */
  rules?: readonly Rule[];
}

/** Wires the Slimfile handlers onto a connection and starts listening. */
export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const rules = options.rules ?? registry;
  const documents = new TextDocuments(TextDocument);
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  const analyses = new Map<string, Analysis>();
  const failures = new FailureLog();
  const loggedConfigProblems = new Set<string>();
  let folders: string[] = [];
  let canPullSettings = false;
  let canRegisterConfigChange = false;
  let canRegisterWatchers = false;
  let codeActionLiterals = false;
  let documentChanges = false;
  let relatedInformation = false;
  let hasFolderEvents = false;
  /** Counts refreshes, so an analysis begun under settings that changed meanwhile is not kept. */
  let generation = 0;

  const settings = new SettingsCache({
    pull: (uri) => (canPullSettings ? connection.workspace.getConfiguration({ scopeUri: uri, section: 'slimfile' }) : undefined),
    folders: () => folders,
    rules,
  });

  const log = (what: string) => (e: unknown) => connection.console.error(`${what}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);

  connection.onInitialize((params): InitializeResult => {
    const caps = params.capabilities;
    canPullSettings = caps.workspace?.configuration === true;
    canRegisterConfigChange = caps.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    canRegisterWatchers = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    codeActionLiterals = caps.textDocument?.codeAction?.codeActionLiteralSupport !== undefined;
    documentChanges = caps.workspace?.workspaceEdit?.documentChanges === true;
    relatedInformation = caps.textDocument?.publishDiagnostics?.relatedInformation === true;
    folders = (params.workspaceFolders ?? []).map((f) => fsPathOf(f.uri)).filter((p): p is string => p !== undefined);
    if (folders.length === 0 && params.rootUri) folders = [fsPathOf(params.rootUri)].filter((p): p is string => p !== undefined);
    hasFolderEvents = caps.workspace?.workspaceFolders === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: CODE_ACTION_KINDS, resolveProvider: false },
        ...(hasFolderEvents ? { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } } : {}),
      },
      serverInfo: { name: 'Slimfile' },
    };
  });

  connection.onInitialized(() => {
    if (canRegisterConfigChange) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'slimfile' }).catch(log('registering for settings changes'));
    }
    if (canRegisterWatchers) {
      const watchers = CONFIG_FILE_NAMES.map((name) => ({ globPattern: `**/${name}` }));
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers }).catch(log('watching config files'));
    }
    if (hasFolderEvents) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        const removed = new Set(e.removed.map((f) => fsPathOf(f.uri)));
        const added = e.added.map((f) => fsPathOf(f.uri)).filter((p): p is string => p !== undefined);
        folders = [...folders.filter((f) => !removed.has(f)), ...added];
        refreshAll();
      });
    }
  });

  /** Drops every cached setting and result, then analyses the open documents again. */
  function refreshAll(): void {
    generation++;
    settings.clear();
    loggedConfigProblems.clear();
    analyses.clear();
    for (const doc of documents.all()) schedule(doc.uri);
  }

  connection.onDidChangeConfiguration((change) => {
    settings.push(change.settings);
    refreshAll();
  });

  connection.onDidChangeWatchedFiles(() => {
    // Only config files are watched; one changed, was created or deleted.
    refreshAll();
  });

  function schedule(uri: string): void {
    clearTimeout(pending.get(uri));
    pending.set(
      uri,
      setTimeout(() => {
        pending.delete(uri);
        void publish(uri).catch(log(`analysing ${uri}`));
      }, DEBOUNCE_MS),
    );
  }

  /**
   * The analysis of a document's current version: the stored one when it is current, else a new
   * one. Undefined when the document was closed, or the settings changed, while its settings were
   * being read (the refresh that follows analyses it again).
   */
  async function analysisOf(doc: TextDocument): Promise<Analysis | undefined> {
    const stored = analyses.get(doc.uri);
    if (stored && stored.version === doc.version) return stored;
    const started = generation;
    const config = await settings.get(doc.uri);
    if (documents.get(doc.uri) !== doc || generation !== started) return undefined;
    // The document may have changed while the settings were read: analyse what it holds now.
    const analysis = analyse({ uri: doc.uri, version: doc.version, text: doc.getText() }, config, rules, { relatedInformation });
    analyses.set(doc.uri, analysis);
    reportProblems(analysis);
    return analysis;
  }

  async function publish(uri: string): Promise<void> {
    const doc = documents.get(uri);
    if (!doc) return;
    const { version } = doc;
    const analysis = await analysisOf(doc);
    // A newer edit (or a close) came in meanwhile: its own scheduled analysis will publish.
    if (!analysis || documents.get(uri) !== doc || doc.version !== version || analysis.version !== version) return;
    await connection.sendDiagnostics({ uri, version, diagnostics: analysis.diagnostics });
  }

  function reportProblems(analysis: Analysis): void {
    for (const f of failures.fresh(analysis.uri, analysis.version, analysis.result?.failures ?? [])) {
      connection.console.error(`Rule ${f.ruleId} failed on ${analysis.uri} (version ${analysis.version}); its findings are missing.\n${f.error}`);
    }
    for (const problem of analysis.config.configProblems) {
      if (loggedConfigProblems.has(problem)) continue;
      loggedConfigProblems.add(problem);
      connection.console.warn(`Problem in the Slimfile configuration (what it concerns is ignored): ${problem}`);
    }
  }

  documents.onDidChangeContent((e) => schedule(e.document.uri));

  documents.onDidClose((e) => {
    const { uri } = e.document;
    clearTimeout(pending.get(uri));
    pending.delete(uri);
    analyses.delete(uri);
    settings.delete(uri);
    failures.forget(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] }).catch(log(`clearing diagnostics of ${uri}`));
  });

  connection.onCodeAction(async (params): Promise<CodeAction[]> => {
    if (!codeActionLiterals) return [];
    try {
      const doc = documents.get(params.textDocument.uri);
      if (!doc) return [];
      const analysis = await analysisOf(doc);
      // Edits are positions in one version: answer only for the version the document is at.
      if (!analysis || analysis.version !== doc.version) return [];
      return codeActionsFor(analysis, params, { documentChanges, rules });
    } catch (e) {
      log(`code actions for ${params.textDocument.uri}`)(e);
      return [];
    }
  });

  connection.onShutdown(() => {
    for (const timer of pending.values()) clearTimeout(timer);
    pending.clear();
  });

  documents.listen(connection);
  connection.listen();
}

// Started as a program (the bundle, or `node out/.../server.js`); imported by tests, it waits.
if (require.main === module) startServer(createConnection(ProposedFeatures.all));
