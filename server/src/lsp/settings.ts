// What applies to one document: the editor settings (`slimfile.*`) and the `.slimfile.json`
// found above the file on disk. Editor settings are pulled per document with
// `workspace/configuration` when the client can answer it; otherwise the last values pushed with
// `didChangeConfiguration` apply, or the defaults. Results are cached per document and dropped when
// the settings or a config file change. Precedence: the config file wins over `slimfile.rules` and
// `slimfile.target` for the folder it is in; the threshold settings fill rule options nobody set.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mergeConfigs, validateRules, type ConfigProblem } from '../engine/config';
import { isIgnoredByConfig, loadConfigFor, type LoadedConfig } from '../engine/config-files';
import { ruleSetting, type LintConfig, type RuleSetting } from '../engine/lint';
import type { Rule } from '../rules/define';

export type RunMode = 'onType' | 'onSave';

export interface EditorSettings {
  enable: boolean;
  run: RunMode;
  /** `slimfile.rules`: rule levels and options, the config file's shape. */
  rules: Record<string, RuleSetting>;
  /** Problems in `slimfile.rules` (unknown ids, bad levels). */
  rulesProblems: string[];
  /** `slimfile.target`: the build target that picks the final stage; '' for the last stage. */
  target: string;
  /** `slimfile.buildContext`: the build context folder; '' to find it (compose file, else the Dockerfile's folder). */
  buildContext: string;
  largeFileThresholdMB: number;
  sizeBudget: { warnMB: number; errorMB: number };
}

export const DEFAULT_SETTINGS: Readonly<EditorSettings> = {
  enable: true,
  run: 'onType',
  rules: {},
  rulesProblems: [],
  target: '',
  buildContext: '',
  largeFileThresholdMB: 50,
  sizeBudget: { warnMB: 1000, errorMB: 5000 },
};

export interface DocumentConfig {
  /** Analyse at all: `slimfile.enable` and not excluded by the config file's `ignore`. */
  enabled: boolean;
  run: RunMode;
  /** Rule levels, options and target: the settings, overridden by the config file. */
  lint: LintConfig;
  /** The `slimfile.buildContext` setting ('' when unset). */
  buildContext: string;
  /** The config file that applies, if any. */
  configFile: string | undefined;
  /** Problems found in the config file (with the file they are in) and in the settings (no file). */
  configProblems: (ConfigProblem & { file: string | undefined })[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function positive(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/**
 * Reads the `slimfile` settings section as the client sends it; anything malformed takes the
 * default. `rules` is checked against the registry: bad entries are dropped and reported.
 */
export function parseSettings(value: unknown, rules: readonly Rule[] = []): EditorSettings {
  const section = isRecord(value) ? value : {};
  const budget = isRecord(section.sizeBudget) ? section.sizeBudget : {};
  const checked = section.rules === undefined || section.rules === null ? { rules: {}, problems: [] } : validateRules(section.rules, rules);
  return {
    enable: typeof section.enable === 'boolean' ? section.enable : DEFAULT_SETTINGS.enable,
    run: section.run === 'onSave' ? 'onSave' : 'onType',
    rules: checked.rules,
    rulesProblems: checked.problems.map((p) => `slimfile.rules: ${p.message}`),
    target: text(section.target),
    buildContext: text(section.buildContext),
    largeFileThresholdMB: positive(section.largeFileThresholdMB, DEFAULT_SETTINGS.largeFileThresholdMB),
    sizeBudget: {
      warnMB: positive(budget.warnMB, DEFAULT_SETTINGS.sizeBudget.warnMB),
      errorMB: positive(budget.errorMB, DEFAULT_SETTINGS.sizeBudget.errorMB),
    },
  };
}

/**
 * The rule configuration of a document: the settings' rules and target, then the config file's,
 * which win for their folder. The threshold settings become options of their rules where neither
 * layer gave that option.
 */
export function effectiveConfig(editor: EditorSettings, file: LintConfig | undefined, rules: readonly Rule[]): LintConfig {
  const merged = mergeConfigs({ rules: editor.rules, target: editor.target }, file);
  const defaults: Record<string, Record<string, unknown>> = {
    'data-file-copied': { largeFileThresholdMB: editor.largeFileThresholdMB },
    'image-size-budget': { warnMB: editor.sizeBudget.warnMB, errorMB: editor.sizeBudget.errorMB },
  };
  for (const [id, fromSettings] of Object.entries(defaults)) {
    const rule = rules.find((r) => r.meta.id === id);
    if (!rule) continue;
    const setting = merged.rules?.[id];
    const given = Array.isArray(setting) ? (setting[1] ?? {}) : {};
    const { level } = ruleSetting(rule, merged);
    merged.rules = { ...merged.rules, [id]: [level, { ...fromSettings, ...given }] };
  }
  return merged;
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
    this.pushed = parseSettings(isRecord(settings) ? settings.slimfile : undefined, this.source.rules);
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
      if (pulled) editor = parseSettings(await pulled, this.source.rules);
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
      run: editor.run,
      lint: effectiveConfig(editor, loaded?.config, this.source.rules),
      buildContext: editor.buildContext,
      configFile: loaded?.file,
      configProblems: [...(loaded?.problems ?? []), ...editor.rulesProblems.map((message) => ({ file: undefined, message }))],
    };
  }
}
