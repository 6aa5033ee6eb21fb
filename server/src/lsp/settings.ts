// What applies to one document: the editor settings (`slimfile.enable`) and the `.slimfile.json`
// found above the file on disk. Editor settings are pulled per document with
// `workspace/configuration` when the client can answer it; otherwise the last values pushed with
// `didChangeConfiguration` apply, or the defaults. Results are cached per document and dropped when
// the settings or a config file change.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mergeConfigs } from '../engine/config';
import { isIgnoredByConfig, loadConfigFor, type LoadedConfig } from '../engine/config-files';
import type { LintConfig } from '../engine/lint';
import type { Rule } from '../rules/define';

export interface EditorSettings {
  enable: boolean;
}

export const DEFAULT_SETTINGS: Readonly<EditorSettings> = { enable: true };

export interface DocumentConfig {
  /** Analyse at all: `slimfile.enable` and not excluded by the config file's `ignore`. */
  enabled: boolean;
  /** Rule levels, options and target from the config file (editor settings have none yet). */
  lint: LintConfig;
  /** Problems found in the config file, as `file: message` lines. */
  configProblems: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the `slimfile` settings section as the client sends it; anything malformed takes the default. */
export function parseSettings(value: unknown): EditorSettings {
  const section = isRecord(value) ? value : {};
  return { enable: typeof section.enable === 'boolean' ? section.enable : DEFAULT_SETTINGS.enable };
}

/** The file system path of a `file:` URI; undefined for other schemes (untitled, virtual files). */
export function fsPathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** The innermost workspace folder (a file system path) that contains `file`, if any. */
export function folderOf(file: string, folders: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const folder of folders) {
    const rel = path.relative(folder, file);
    const inside = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
    if (inside && (best === undefined || folder.length > best.length)) best = folder;
  }
  return best;
}

export interface SettingsSource {
  /** Asks the client for the `slimfile` section scoped to a document; undefined when the client cannot be asked. */
  pull(uri: string): Promise<unknown> | undefined;
  /** Workspace folders as file system paths: the config search stops at the one holding the file. */
  folders(): readonly string[];
  rules: readonly Rule[];
}

export class SettingsCache {
  private readonly cache = new Map<string, Promise<DocumentConfig>>();
  private pushed: EditorSettings = { ...DEFAULT_SETTINGS };

  constructor(private readonly source: SettingsSource) {}

  /** The configuration of a document; never rejects (a failed pull falls back to the defaults). */
  get(uri: string): Promise<DocumentConfig> {
    let entry = this.cache.get(uri);
    if (!entry) {
      entry = this.load(uri);
      this.cache.set(uri, entry);
    }
    return entry;
  }

  /** Values pushed by `didChangeConfiguration` (its `settings.slimfile`), for clients that cannot be asked. */
  push(settings: unknown): void {
    this.pushed = parseSettings(isRecord(settings) ? settings.slimfile : undefined);
  }

  delete(uri: string): void {
    this.cache.delete(uri);
  }

  clear(): void {
    this.cache.clear();
  }

  private async load(uri: string): Promise<DocumentConfig> {
    let editor = this.pushed;
    try {
      const pulled = this.source.pull(uri);
      if (pulled) editor = parseSettings(await pulled);
    } catch {
      // The client could not answer (shutting down, or a section it does not know): defaults.
      editor = { ...DEFAULT_SETTINGS };
    }
    const file = fsPathOf(uri);
    let loaded: LoadedConfig | undefined;
    let ignored = false;
    if (file) {
      try {
        loaded = loadConfigFor(file, this.source.rules, folderOf(file, this.source.folders()));
        ignored = isIgnoredByConfig(file, loaded);
      } catch (e) {
        // The loader reports what it expects as problems; anything else must not stop the analysis.
        loaded = { file: undefined, config: {}, problems: [{ file, message: `cannot load the configuration: ${e instanceof Error ? e.message : String(e)}` }] };
      }
    }
    return {
      enabled: editor.enable && !ignored,
      lint: mergeConfigs(loaded?.config),
      configProblems: (loaded?.problems ?? []).map((p) => `${p.file}: ${p.message}`),
    };
  }
}
