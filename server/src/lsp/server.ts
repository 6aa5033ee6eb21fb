// The Slimfile language server. It syncs documents, schedules an analysis per document after a
// short pause in typing (or on save), publishes the findings as diagnostics (only for the version
// analysed) and answers code actions, hovers, the size CodeLens and Slimfile's own requests from
// the stored results. Build contexts are scanned in the background; a document is analysed again
// when its context's scan lands. It holds no Dockerfile knowledge: the engine does the work. Runs
// as `node dist/server.js --stdio` for any LSP editor, or over IPC from the VS Code client.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DiagnosticSeverity,
  MessageType,
  ProposedFeatures,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type CodeLens,
  type Connection,
  type Diagnostic,
  type Hover,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../analysis/model';
import { planDockerignore, PlanError } from '../context/plan';
import { CONFIG_FILE_NAMES } from '../engine/config';
import { ruleSetting } from '../engine/lint';
import { rules as registry } from '../rules';
import { convertToMultiStage } from '../rules/build-tools-in-final-stage';
import type { Rule } from '../rules/define';
import { CODE_ACTION_KINDS, codeActionsFor } from './code-actions';
import { CONVERT_REQUEST, DOCKERIGNORE_REQUEST, type ConvertParams, type ConvertResult, type DockerignoreParams, type DockerignoreResult } from './protocol';
import { ContextCache, type ContextState } from './context-cache';
import { hoverMarkdown } from './hover';
import { folderOf, fsPathOf, SettingsCache } from './settings';
import { sizeLenses } from './size-lens';
import { analyse, FailureLog, type Analysis } from './validation';
import { warmUp } from './warm-up';

const MB = 1000 * 1000;

/**
 * Pause after the last change before analysing, in milliseconds: long enough that a burst of
 * keystrokes is analysed once, short enough that results feel immediate. Analysis of a typical
 * Dockerfile takes a few milliseconds, so the pause is what the user waits for.
 */
export const DEBOUNCE_MS = 150;

export interface ServerOptions {
  /** The rules to run; the registry by default (tests pass their own). */
  rules?: readonly Rule[];
  /** Context scan limits (tests pass small ones). */
  scan?: { maxEntries?: number; maxMs?: number };
  /** Analyses of the built-in sample after `initialized` (see warm-up.ts); WARM_UP_ROUNDS by default. */
  warmUpRounds?: number;
}

/** Enough rounds for V8 to compile the engine's hot paths: about 100 ms of idle time at start-up. */
export const WARM_UP_ROUNDS = 30;

/** Wires the Slimfile handlers onto a connection and starts listening. */
export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const rules = options.rules ?? registry;
  const documents = new TextDocuments(TextDocument);
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  const analyses = new Map<string, Analysis>();
  const failures = new FailureLog();
  const loggedConfigProblems = new Set<string>();
  /** Diagnostics published on config files (URI → messages), so fixed files are cleared. */
  let configDiagnostics = new Map<string, Diagnostic[]>();
  /** The build context each open document was last analysed with. */
  const documentContexts = new Map<string, ContextState>();
  let shuttingDown = false;
  let folders: string[] = [];
  let canPullSettings = false;
  let canRegisterConfigChange = false;
  let canRegisterWatchers = false;
  let codeActionLiterals = false;
  let documentChanges = false;
  let relatedInformation = false;
  let hasFolderEvents = false;
  let canShowProgress = false;
  /** Counts refreshes, so an analysis begun under settings that changed meanwhile is not kept. */
  let generation = 0;

  const settings = new SettingsCache({
    pull: (uri) => (canPullSettings ? connection.workspace.getConfiguration({ scopeUri: uri, section: 'slimfile' }) : undefined),
    folders: () => folders,
    rules,
  });

  const log = (what: string) => (e: unknown) => connection.console.error(`${what}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);

  const contexts = new ContextCache({
    ...options.scan,
    onScanStart: (root) => {
      connection.console.info(`Measuring the build context ${root}`);
      if (!canShowProgress) return undefined;
      // Only scans that take a while show progress: most finish before anyone could read it.
      let finished = false;
      let end: (() => void) | undefined;
      const timer = setTimeout(() => {
        void connection.window
          .createWorkDoneProgress()
          .then((progress) => {
            if (finished) return progress.done();
            progress.begin('Slimfile', undefined, `Measuring the build context ${path.basename(root)}`);
            end = () => progress.done();
          })
          .catch(log('showing progress'));
      }, 500);
      return {
        done: () => {
          finished = true;
          clearTimeout(timer);
          end?.();
        },
      };
    },
    onProblem: (problem, choice) => {
      connection.console.warn(`Slimfile: ${problem}; the rules that measure the context are skipped for its Dockerfiles.`);
      // A folder the user named in the settings deserves a visible word; a guessed one does not.
      if (choice.source === 'setting') {
        void connection
          .sendNotification(ShowMessageNotification.type, {
            type: MessageType.Warning,
            message: `Slimfile: slimfile.buildContext names ${choice.root}, which cannot be read. Fix the setting to measure the build context.`,
          })
          .catch(log('showing a warning'));
      }
    },
  });
  contexts.onDidScan((key) => {
    for (const [uri, state] of documentContexts) {
      if (state.key !== key) continue;
      analyses.delete(uri);
      schedule(uri, 0);
    }
  });

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
    canShowProgress = caps.window?.workDoneProgress === true;
    // Clients that cannot be asked for settings may send them here.
    if (params.initializationOptions && typeof params.initializationOptions === 'object') {
      settings.push({ slimfile: (params.initializationOptions as Record<string, unknown>).settings });
    }
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: CODE_ACTION_KINDS, resolveProvider: false },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        ...(hasFolderEvents ? { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } } : {}),
      },
      serverInfo: { name: 'Slimfile' },
    };
  });

  connection.onInitialized(() => {
    // Compile the engine's hot paths before the first keystroke (see warm-up.ts); stopped on shutdown.
    warmUp(options.warmUpRounds ?? WARM_UP_ROUNDS, undefined, () => shuttingDown);
    if (canRegisterConfigChange) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'slimfile' }).catch(log('registering for settings changes'));
    }
    if (canRegisterWatchers) {
      // Config files change the rules; every other file may change what a build context holds.
      const watchers = [...CONFIG_FILE_NAMES.map((name) => ({ globPattern: `**/${name}` })), { globPattern: '**/*' }];
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers }).catch(log('watching files'));
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
  function refreshAll(options: { contexts: boolean } = { contexts: true }): void {
    generation++;
    settings.clear();
    loggedConfigProblems.clear();
    configDiagnostics = clearConfigDiagnostics(configDiagnostics);
    analyses.clear();
    if (options.contexts) contexts.clear();
    for (const doc of documents.all()) schedule(doc.uri);
  }

  connection.onDidChangeConfiguration((change) => {
    settings.push(change.settings);
    refreshAll();
  });

  connection.onDidChangeWatchedFiles((params) => {
    let configChanged = false;
    for (const change of params.changes) {
      const file = fsPathOf(change.uri);
      if (!file) continue;
      const name = path.basename(file);
      if ((CONFIG_FILE_NAMES as readonly string[]).includes(name)) {
        configChanged = true;
        continue;
      }
      // An open Dockerfile saved: its text is known already, and a build context scan for every
      // save would be wasted work.
      if (documents.get(change.uri) && !name.endsWith('.dockerignore')) continue;
      contexts.invalidate(file);
    }
    if (configChanged) refreshAll({ contexts: false });
  });

  /** Publishes config file problems on the config files themselves (the Problems panel shows them). */
  function publishConfigProblems(analysis: Analysis): void {
    const byFile = new Map<string, Diagnostic[]>();
    for (const p of analysis.config.configProblems) {
      if (!p.file) continue;
      const uri = pathToFileURL(p.file).href;
      const list = byFile.get(uri) ?? [];
      const at = offsetPosition(p.file, p.offset);
      list.push({ range: { start: at, end: at }, severity: DiagnosticSeverity.Error, source: 'slimfile', message: p.message });
      byFile.set(uri, list);
    }
    for (const [uri, diagnostics] of byFile) {
      const known = configDiagnostics.get(uri);
      if (known && JSON.stringify(known) === JSON.stringify(diagnostics)) continue;
      configDiagnostics.set(uri, diagnostics);
      void connection.sendDiagnostics({ uri, diagnostics }).catch(log(`publishing problems of ${uri}`));
    }
  }

  function clearConfigDiagnostics(published: Map<string, Diagnostic[]>): Map<string, Diagnostic[]> {
    for (const uri of published.keys()) void connection.sendDiagnostics({ uri, diagnostics: [] }).catch(log(`clearing ${uri}`));
    return new Map();
  }

  function schedule(uri: string, delay = DEBOUNCE_MS): void {
    clearTimeout(pending.get(uri));
    pending.set(
      uri,
      setTimeout(() => {
        pending.delete(uri);
        void publish(uri).catch(log(`analysing ${uri}`));
      }, delay),
    );
  }

  /** The build context of a document on disk (starting its scan when needed); undefined otherwise. */
  function contextOf(uri: string, buildContext: string): ContextState | undefined {
    const file = fsPathOf(uri);
    if (!file) return undefined;
    try {
      const state = contexts.stateFor(file, folderOf(file, folders), buildContext);
      documentContexts.set(uri, state);
      return state;
    } catch (e) {
      log(`finding the build context of ${uri}`)(e);
      return undefined;
    }
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
    const context = config.enabled ? contextOf(doc.uri, config.buildContext)?.facts : undefined;
    const analysis = analyse({ uri: doc.uri, version: doc.version, text: doc.getText() }, config, rules, { relatedInformation }, context);
    analyses.set(doc.uri, analysis);
    reportProblems(analysis);
    publishConfigProblems(analysis);
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
      const line = problem.file ? `${problem.file}: ${problem.message}` : problem.message;
      if (loggedConfigProblems.has(line)) continue;
      loggedConfigProblems.add(line);
      connection.console.warn(`Problem in the Slimfile configuration (what it concerns is ignored): ${line}`);
    }
  }

  documents.onDidChangeContent((e) => {
    const { uri } = e.document;
    // In onSave mode typing does not analyse; the first version (the open) always does.
    void settings.get(uri).then(
      (config) => {
        if (config.run === 'onType' || !analyses.has(uri)) schedule(uri);
      },
      () => schedule(uri),
    );
  });

  documents.onDidSave((e) => schedule(e.document.uri, 0));

  documents.onDidClose((e) => {
    const { uri } = e.document;
    clearTimeout(pending.get(uri));
    pending.delete(uri);
    analyses.delete(uri);
    settings.delete(uri);
    failures.forget(uri);
    documentContexts.delete(uri);
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

  /** The current analysis of an open document when it has a model (enabled, parsed). */
  async function modelOf(uri: string): Promise<{ doc: TextDocument; analysis: Analysis } | undefined> {
    const doc = documents.get(uri);
    if (!doc) return undefined;
    const analysis = await analysisOf(doc);
    if (!analysis || analysis.version !== doc.version || !analysis.result?.model) return undefined;
    return { doc, analysis };
  }

  connection.onHover(async (params): Promise<Hover | null> => {
    try {
      const found = await modelOf(params.textDocument.uri);
      if (!found) return null;
      const { doc, analysis } = found;
      const state = documentContexts.get(doc.uri);
      const missing = !fsPathOf(doc.uri)
        ? 'the file is not saved on disk'
        : (state?.problem ?? (state && !state.facts ? 'still measuring it; hover again in a moment' : undefined));
      const markdown = hoverMarkdown(analysis.result!.model!, doc.offsetAt(params.position), analysis.config.lint.target, {
        root: state?.choice.root,
        facts: analysis.context ?? state?.facts,
        missing,
      });
      return markdown ? { contents: { kind: 'markdown', value: markdown } } : null;
    } catch (e) {
      log(`hover in ${params.textDocument.uri}`)(e);
      return null;
    }
  });

  connection.onCodeLens(async (params): Promise<CodeLens[]> => {
    try {
      const found = await modelOf(params.textDocument.uri);
      if (!found) return [];
      const { doc, analysis } = found;
      // The lens is the image-size-budget rule's view: turning the rule off hides it.
      const budget = rules.find((r) => r.meta.id === 'image-size-budget');
      if (!budget || ruleSetting(budget, analysis.config.lint).level === 'off') return [];
      return sizeLenses(doc, analysis.result!.model!, analysis.config.lint.target, analysis.context);
    } catch (e) {
      log(`code lenses of ${params.textDocument.uri}`)(e);
      return [];
    }
  });

  connection.onRequest(CONVERT_REQUEST, async (params: ConvertParams): Promise<ConvertResult> => {
    const doc = documents.get(params.uri);
    if (!doc) return { reason: 'the Dockerfile is not open.' };
    if (params.version !== undefined && params.version !== doc.version) return { reason: 'the file changed meanwhile; run the command again.' };
    const config = await settings.get(doc.uri);
    const text = doc.getText();
    let model;
    try {
      model = analyze(text);
    } catch (e) {
      log(`converting ${doc.uri}`)(e);
      return { reason: 'the file could not be analysed.' };
    }
    const edits = convertToMultiStage(model, config.lint.target);
    if (!edits) {
      return { reason: 'no conversion for this file: it has no base image to build on, is a Windows image, or uses ` as its escape character.' };
    }
    return {
      edits: edits.map((e) => ({ range: { start: doc.positionAt(e.span.start), end: doc.positionAt(e.span.end) }, newText: e.text })),
    };
  });

  connection.onRequest(DOCKERIGNORE_REQUEST, async (params: DockerignoreParams): Promise<DockerignoreResult> => {
    try {
      let root: string;
      let dockerfile: string | undefined;
      const dockerfiles: { file?: string; text: string }[] = [];
      let largeMB = 50;
      if (params.uri) {
        const file = fsPathOf(params.uri);
        if (!file) return { error: 'save the Dockerfile first: its build context is a folder on disk.' };
        const config = await settings.get(params.uri);
        const state = contextOf(params.uri, config.buildContext);
        if (!state) return { error: 'the build context of this Dockerfile could not be found.' };
        root = state.choice.root;
        dockerfile = file;
        largeMB = optionNumber(config.lint.rules?.['data-file-copied'], 'largeFileThresholdMB') ?? largeMB;
      } else if (params.folder) {
        root = path.resolve(params.folder);
      } else {
        return { error: 'no Dockerfile or folder given.' };
      }
      // What every open Dockerfile in this context copies must stay (their text as the editor holds it).
      for (const doc of documents.all()) {
        const file = fsPathOf(doc.uri);
        if (!file) continue;
        const rel = path.relative(root, file);
        if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
        dockerfiles.push({ file, text: doc.getText() });
      }
      const plan = await planDockerignore(root, { dockerfiles, dockerfile, largeFileBytes: largeMB * MB, date: new Date().toISOString().slice(0, 10) });
      return {
        file: plan.file,
        fileUri: pathToFileURL(plan.file).href,
        exists: plan.existing !== undefined,
        existing: plan.existing,
        appended: plan.appended,
        added: plan.added,
        kept: plan.generated.kept.map((k) => `${k.pattern}: ${k.needed.reason} needs ${k.needed.path}`),
        truncated: plan.truncated,
      };
    } catch (e) {
      if (e instanceof PlanError) return { error: e.message };
      log('planning a .dockerignore')(e);
      return { error: `the .dockerignore could not be planned: ${e instanceof Error ? e.message : String(e)}` };
    }
  });

  connection.onShutdown(() => {
    shuttingDown = true;
    for (const timer of pending.values()) clearTimeout(timer);
    pending.clear();
    contexts.dispose();
  });

  documents.listen(connection);
  connection.listen();
}

/** A rule option from a setting `[level, options]`, when it is a number. */
function optionNumber(setting: unknown, name: string): number | undefined {
  if (!Array.isArray(setting) || typeof setting[1] !== 'object' || setting[1] === null) return undefined;
  const value = (setting[1] as Record<string, unknown>)[name];
  return typeof value === 'number' ? value : undefined;
}

/** The position of an offset in a file on disk (line 0 when unknown or unreadable). */
function offsetPosition(file: string, offset: number | undefined): { line: number; character: number } {
  if (offset === undefined) return { line: 0, character: 0 };
  try {
    // Config files are small; read them again rather than keep their text.
    const text = fs.readFileSync(file, 'utf8');
    return TextDocument.create('file:///c', 'json', 0, text).positionAt(offset);
  } catch {
    return { line: 0, character: 0 };
  }
}

// Started as a program (the bundle, or `node out/.../server.js`); imported by tests, it waits.
if (require.main === module) {
  const connection = createConnection(ProposedFeatures.all);
  // A promise nobody awaited must not take the server down with every open document: log it.
  process.on('unhandledRejection', (reason) => {
    connection.console.error(`Unhandled rejection (please report this): ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
  });
  startServer(connection);
}
