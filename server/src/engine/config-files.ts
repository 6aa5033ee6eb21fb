// Finds and reads the configuration file for a Dockerfile: `.slimfile.json` or `.slimfile.jsonc`
// in the Dockerfile's folder or the nearest folder above it, stopping at the workspace root (when
// given) or the repository root (a folder with `.git`). Used by the CLI and the server alike.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Rule } from '../rules/define';
import { CONFIG_FILE_NAMES, globToRegExp, parseConfig, type ConfigProblem, type FileConfig } from './config';

export interface LoadedConfig {
  /** The file found, if any. */
  file: string | undefined;
  config: FileConfig;
  /** Problems with the file name they are in. */
  problems: (ConfigProblem & { file: string })[];
}

/** The config file that applies to a Dockerfile, or undefined. */
export function findConfigFile(dockerfile: string, stopAt?: string): string | undefined {
  let dir = path.dirname(path.resolve(dockerfile));
  const stop = stopAt ? path.resolve(stopAt) : undefined;
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(dir, name);
      if (isFile(candidate)) return candidate;
    }
    if (stop && dir === stop) return undefined;
    if (!stop && fs.existsSync(path.join(dir, '.git'))) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Reads a config file and the files it `extends` (cycles and missing files are problems). */
export function readConfigFile(file: string, rules: readonly Rule[], seen: string[] = []): LoadedConfig {
  const problems: LoadedConfig['problems'] = [];
  const abs = path.resolve(file);
  if (seen.includes(abs)) {
    return { file: abs, config: {}, problems: [{ file: abs, message: `"extends" makes a cycle: ${[...seen, abs].join(' -> ')}` }] };
  }
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : String(e);
    return { file: abs, config: {}, problems: [{ file: abs, message: `cannot read the configuration: ${reason}` }] };
  }
  const parsed = parseConfig(text, rules);
  problems.push(...parsed.problems.map((p) => ({ ...p, file: abs })));
  let config = parsed.config;
  if (config.extends) {
    const base = readConfigFile(path.resolve(path.dirname(abs), config.extends), rules, [...seen, abs]);
    problems.push(...base.problems);
    config = {
      ...base.config,
      ...config,
      rules: { ...(base.config.rules ?? {}), ...(config.rules ?? {}) },
      ignore: [...(base.config.ignore ?? []), ...(config.ignore ?? [])],
    };
  }
  return { file: abs, config, problems };
}

/** The configuration for a Dockerfile: the file found above it, read with its `extends`. */
export function loadConfigFor(dockerfile: string, rules: readonly Rule[], stopAt?: string): LoadedConfig {
  const file = findConfigFile(dockerfile, stopAt);
  if (!file) return { file: undefined, config: {}, problems: [] };
  return readConfigFile(file, rules);
}

/** Whether a Dockerfile is excluded by the config's `ignore` globs (relative to the config's folder). */
export function isIgnoredByConfig(dockerfile: string, loaded: LoadedConfig): boolean {
  if (!loaded.file || !loaded.config.ignore || loaded.config.ignore.length === 0) return false;
  const rel = path.relative(path.dirname(loaded.file), path.resolve(dockerfile)).split(path.sep).join('/');
  return loaded.config.ignore.some((g) => globToRegExp(g).test(rel));
}
