// The configuration file `.slimfile.json` / `.slimfile.jsonc`: parsing (JSON with comments and
// trailing commas), validation with messages that name the key and the fix, and merging of layers
// (defaults < editor settings < config file < command line). Pure: reading files is the caller's.
import type { Rule } from '../rules/define';
import type { LintConfig, RuleLevel, RuleSetting } from './lint';

export const CONFIG_FILE_NAMES = ['.slimfile.json', '.slimfile.jsonc'] as const;

export interface FileConfig extends LintConfig {
  /** Globs (relative to the config file's folder) of Dockerfiles not to lint. */
  ignore?: string[];
  /** Another config file this one builds on, relative to this one. */
  extends?: string;
}

export interface ConfigProblem {
  message: string;
  /** 0-based offset in the config text where the problem is, when known. */
  offset?: number;
}

const LEVELS: readonly RuleLevel[] = ['off', 'hint', 'info', 'warning', 'error'];

/** Removes comments and trailing commas from JSONC, keeping offsets (replaced by spaces). */
export function stripJsonc(text: string): string {
  return dropTrailingCommas(dropComments(text));
}

/** Calls `visit` for each character outside strings; string text is copied as is. */
function scanOutsideStrings(text: string, visit: (i: number) => { skip: number; replacement: string } | undefined): string {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    if (text[i] === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"' && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const r = visit(i);
    if (r) {
      out += r.replacement;
      i += r.skip;
      continue;
    }
    out += text[i];
    i++;
  }
  return out;
}

function dropComments(text: string): string {
  return scanOutsideStrings(text, (i) => {
    if (text[i] !== '/') return undefined;
    if (text[i + 1] === '/') {
      let j = i;
      while (j < text.length && text[j] !== '\n') j++;
      return { skip: j - i, replacement: ' '.repeat(j - i) };
    }
    if (text[i + 1] === '*') {
      const e = text.indexOf('*/', i + 2);
      const j = e < 0 ? text.length : e + 2;
      return { skip: j - i, replacement: text.slice(i, j).replace(/[^\n]/g, ' ') };
    }
    return undefined;
  });
}

function dropTrailingCommas(text: string): string {
  return scanOutsideStrings(text, (i) => {
    if (text[i] !== ',') return undefined;
    let j = i + 1;
    while (j < text.length && /\s/.test(text[j])) j++;
    return text[j] === '}' || text[j] === ']' ? { skip: 1, replacement: ' ' } : undefined;
  });
}

function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, k) => k);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** Offset of `"key"` in the text, to point a problem at it. */
function offsetOfKey(text: string, key: string): number | undefined {
  const i = text.indexOf(JSON.stringify(key));
  return i < 0 ? undefined : i;
}

/**
 * Checks a `rules` object (from a config file or the `slimfile.rules` setting). Returns the valid
 * settings and a problem for each invalid entry; invalid entries are dropped, never guessed.
 */
export function validateRules(value: unknown, rules: readonly Rule[], text = ''): { rules: Record<string, RuleSetting>; problems: ConfigProblem[] } {
  const out: Record<string, RuleSetting> = {};
  const problems: ConfigProblem[] = [];
  if (value === undefined) return { rules: out, problems };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push({ message: '"rules" must be an object mapping rule ids to "off", "info", "warning" or "error"', offset: offsetOfKey(text, 'rules') });
    return { rules: out, problems };
  }
  const ids = rules.map((r) => r.meta.id);
  for (const [id, setting] of Object.entries(value as Record<string, unknown>)) {
    const offset = offsetOfKey(text, id);
    const rule = rules.find((r) => r.meta.id === id);
    if (!rule) {
      const hint = closest(id, ids);
      problems.push({ message: `unknown rule id "${id}"${hint ? ` (did you mean "${hint}"?)` : ''}`, offset });
      continue;
    }
    const level = Array.isArray(setting) ? setting[0] : setting;
    if (typeof level !== 'string' || !LEVELS.includes(level as RuleLevel)) {
      problems.push({ message: `rule "${id}": level must be one of ${LEVELS.map((l) => `"${l}"`).join(', ')}, not ${JSON.stringify(level)}`, offset });
      continue;
    }
    if (Array.isArray(setting)) {
      if (setting.length > 2) {
        problems.push({ message: `rule "${id}": use ["level", { options }]`, offset });
        continue;
      }
      const options = setting[1];
      if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
        problems.push({ message: `rule "${id}": options must be an object`, offset });
        continue;
      }
      const known = Object.keys(rule.meta.options ?? {});
      const bad = Object.keys((options as Record<string, unknown>) ?? {}).filter((k) => !known.includes(k));
      if (bad.length > 0) {
        problems.push({ message: `rule "${id}": unknown option${bad.length > 1 ? 's' : ''} ${bad.map((b) => `"${b}"`).join(', ')}${known.length ? ` (it has ${known.map((k) => `"${k}"`).join(', ')})` : ' (it has no options)'}`, offset });
        continue;
      }
      out[id] = options === undefined ? [level as RuleLevel] : [level as RuleLevel, options as Record<string, unknown>];
    } else {
      out[id] = level as RuleLevel;
    }
  }
  return { rules: out, problems };
}

/** Parses and validates a config file's text. Never throws. */
export function parseConfig(text: string, rules: readonly Rule[]): { config: FileConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  let raw: unknown;
  try {
    raw = JSON.parse(stripJsonc(text.replace(/^\uFEFF/, '')));
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(msg);
    return { config: {}, problems: [{ message: `not valid JSON: ${msg}`, offset: pos ? Number(pos[1]) : undefined }] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { config: {}, problems: [{ message: 'the configuration must be a JSON object', offset: 0 }] };
  }
  const obj = raw as Record<string, unknown>;
  const config: FileConfig = {};
  for (const key of Object.keys(obj)) {
    if (!['rules', 'ignore', 'extends', 'target', '$schema'].includes(key)) {
      const hint = closest(key, ['rules', 'ignore', 'extends', 'target']);
      problems.push({ message: `unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}`, offset: offsetOfKey(text, key) });
    }
  }
  const r = validateRules(obj.rules, rules, text);
  config.rules = r.rules;
  problems.push(...r.problems);
  if (obj.ignore !== undefined) {
    if (Array.isArray(obj.ignore) && obj.ignore.every((g) => typeof g === 'string')) config.ignore = obj.ignore as string[];
    else problems.push({ message: '"ignore" must be an array of glob strings', offset: offsetOfKey(text, 'ignore') });
  }
  if (obj.extends !== undefined) {
    if (typeof obj.extends === 'string' && obj.extends !== '') config.extends = obj.extends;
    else problems.push({ message: '"extends" must be a path to another config file', offset: offsetOfKey(text, 'extends') });
  }
  if (obj.target !== undefined) {
    if (typeof obj.target === 'string') config.target = obj.target;
    else problems.push({ message: '"target" must be a stage name', offset: offsetOfKey(text, 'target') });
  }
  return { config, problems };
}

/** Layers configs: later ones win, rule by rule. */
export function mergeConfigs(...layers: (LintConfig | undefined)[]): LintConfig {
  const out: LintConfig = { rules: {} };
  for (const l of layers) {
    if (!l) continue;
    Object.assign(out.rules!, l.rules ?? {});
    if (l.target !== undefined && l.target !== '') out.target = l.target;
  }
  return out;
}

/**
 * Converts a `.dockerignore`-free glob (`**`, `*`, `?`, `[...]`) to a RegExp over `/`-separated
 * relative paths. A pattern without a slash matches at any depth, as in .gitignore.
 */
export function globToRegExp(glob: string): RegExp {
  let g = glob.replace(/\\/g, '/').replace(/^\.\//, '');
  const anchored = g.includes('/') && !g.startsWith('**/');
  if (g.startsWith('/')) g = g.slice(1);
  if (g.endsWith('/')) g += '**';
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*') {
      if (g[i + 1] === '*') {
        const slash = g[i + 2] === '/';
        re += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const e = g.indexOf(']', i + 1);
      if (e < 0) re += '\\[';
      else {
        re += '[' + g.slice(i + 1, e).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
        i = e;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${anchored ? '' : '(?:.*/)?'}${re}(?:/.*)?$`);
}
