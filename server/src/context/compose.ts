// Which build context a Dockerfile is built with. A compose file (`docker-compose*.yml`,
// `compose*.yaml`) whose service `build` names the Dockerfile decides it; else the folder the
// user set (`slimfile.buildContext`); else the Dockerfile's own folder. Compose files are read
// with a small reader for `services.<name>.build` only, not a YAML library (bundle size).
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ComposeBuild {
  service: string;
  /** As written, relative to the compose file's folder. */
  context: string;
  /** As written, relative to the context; `Dockerfile` when not given. */
  dockerfile: string;
}

function unquote(v: string): string {
  const t = v.trim().replace(/\s+#.*$/, '');
  if (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t[t.length - 1] === t[0]) return t.slice(1, -1);
  return t;
}

/** Reads the `build` entries of a compose file's services. Never throws. */
export function readComposeBuilds(text: string): ComposeBuild[] {
  const out: ComposeBuild[] = [];
  const stack: { indent: number; key: string }[] = [];
  let current: ComposeBuild | undefined;
  for (const raw of text.split(/\r\n|\n|\r/)) {
    if (/^\s*(#|$)/.test(raw) || /^\s*-/.test(raw)) continue;
    const m = /^(\s*)("[^"]*"|'[^']*'|[^\s:#][^:#]*?)\s*:(?:\s+(.*))?\s*$/.exec(raw);
    if (!m) continue;
    const indent = m[1].length;
    const key = unquote(m[2]);
    const value = m[3] !== undefined ? m[3].trim() : '';
    while (stack.length > 0 && stack[stack.length - 1].indent >= indent) stack.pop();
    const keys = [...stack.map((s) => s.key), key];
    if (keys.length === 3 && keys[0] === 'services' && key === 'build') {
      current = { service: keys[1], context: '.', dockerfile: 'Dockerfile' };
      out.push(current);
      if (value.startsWith('{')) {
        const ctx = /(?:^|[{,\s])context\s*:\s*("[^"]*"|'[^']*'|[^,}]+)/.exec(value);
        const df = /(?:^|[{,\s])dockerfile\s*:\s*("[^"]*"|'[^']*'|[^,}]+)/.exec(value);
        if (ctx) current.context = unquote(ctx[1]);
        if (df) current.dockerfile = unquote(df[1]);
      } else if (value !== '' && !value.startsWith('#')) current.context = unquote(value);
    } else if (keys.length === 4 && keys[0] === 'services' && keys[2] === 'build' && current && current.service === keys[1]) {
      if (key === 'context') current.context = unquote(value);
      if (key === 'dockerfile') current.dockerfile = unquote(value);
    }
    if (value === '' || value.startsWith('#')) stack.push({ indent, key });
  }
  return out;
}

const COMPOSE = /^(docker-)?compose([.-].*)?\.ya?ml$/;

/** Compose files in a folder. */
function composeFilesIn(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((f) => COMPOSE.test(f)).sort().map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

export interface ContextChoice {
  root: string;
  /** How it was chosen, for hovers and logs. */
  source: 'setting' | 'compose' | 'dockerfile-folder';
  /** The compose file and service, when a compose file decided. */
  compose?: { file: string; service: string };
}

/**
 * The build context of a Dockerfile. `setting` (absolute, or relative to `workspaceRoot`) wins;
 * then a compose file in the Dockerfile's folder or above it (up to `workspaceRoot`) that builds it.
 */
export function buildContextFor(dockerfile: string, workspaceRoot?: string, setting?: string): ContextChoice {
  const abs = path.resolve(dockerfile);
  if (setting && setting.trim() !== '') {
    return { root: path.resolve(workspaceRoot ?? path.dirname(abs), setting), source: 'setting' };
  }
  const stop = workspaceRoot ? path.resolve(workspaceRoot) : undefined;
  for (let dir = path.dirname(abs); ; dir = path.dirname(dir)) {
    for (const file of composeFilesIn(dir)) {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      for (const b of readComposeBuilds(text)) {
        const ctx = path.resolve(dir, b.context);
        if (path.resolve(ctx, b.dockerfile) === abs) return { root: ctx, source: 'compose', compose: { file, service: b.service } };
      }
    }
    if (dir === stop || path.dirname(dir) === dir || (!stop && fs.existsSync(path.join(dir, '.git')))) break;
  }
  return { root: path.dirname(abs), source: 'dockerfile-folder' };
}
