// Turns a context scan into the plain facts rules read (ContextFacts): totals, top entries, and a
// measure of what each COPY/ADD source brings in after `.dockerignore`.
import * as path from 'node:path';
import type { ContextFacts, SourceMeasure } from '../rules/define';
import { cleanPattern, patternToRegExp } from './dockerignore';
import type { ContextScan } from './scan';

const BIGGEST = 3;

/** Facts for rules from a scan. */
export function contextFacts(scan: ContextScan): ContextFacts {
  const all = [...scan.sizes.entries()];
  return {
    ignoreFile: scan.ignoreFile ? path.relative(scan.root, scan.ignoreFile).split(path.sep).join('/') : undefined,
    total: { files: scan.files, bytes: scan.bytes, biggest: scan.top.slice(0, BIGGEST).map((t) => ({ path: t.path, bytes: t.bytes })), atLeast: scan.truncated },
    top: scan.top.map((t) => ({ path: t.path, bytes: t.bytes, files: t.files })),
    measure: (source) => measure(all, source, scan.truncated, scan),
    filesOf: (source) => filesOf(all, source),
    linkEscapes: (source) => linkEscapes(scan, source),
  };
}

function measure(all: [string, number][], source: string, truncated: boolean, scan: ContextScan): SourceMeasure | undefined {
  const clean = cleanPattern(source);
  if (clean === '') return { files: scan.files, bytes: scan.bytes, biggest: scan.top.slice(0, BIGGEST).map((t) => ({ path: t.path, bytes: t.bytes })), atLeast: truncated };
  const wildcard = /[*?[]/.test(clean);
  const re = wildcard ? patternToRegExp(clean) : undefined;
  let files = 0;
  let bytes = 0;
  const groups = new Map<string, number>();
  for (const [f, size] of all) {
    let root: string | undefined;
    if (re) {
      const parts = f.split('/');
      for (let k = 1; k <= parts.length && !root; k++) {
        const prefix = parts.slice(0, k).join('/');
        if (re.test(prefix)) root = prefix;
      }
    } else if (f === clean || f.startsWith(clean + '/')) root = clean;
    if (root === undefined) continue;
    files++;
    bytes += size;
    const rest = f.slice(root.length + 1);
    const key = rest === '' ? f : `${root}/${rest.split('/')[0]}`;
    groups.set(key, (groups.get(key) ?? 0) + size);
  }
  if (files === 0) return undefined;
  const biggest = [...groups.entries()].sort((a, b) => b[1] - a[1]).slice(0, BIGGEST).map(([p, b]) => ({ path: p, bytes: b }));
  return { files, bytes, biggest, atLeast: truncated };
}

function filesOf(all: [string, number][], source: string): { path: string; bytes: number }[] {
  const clean = cleanPattern(source);
  const re = /[*?[]/.test(clean) ? patternToRegExp(clean) : undefined;
  const out: { path: string; bytes: number }[] = [];
  for (const [f, size] of all) {
    const inside = clean === '' || (re ? f.split('/').some((_, k, parts) => re.test(parts.slice(0, k + 1).join('/'))) : f === clean || f.startsWith(clean + '/'));
    if (inside) out.push({ path: f, bytes: size });
  }
  return out.sort((a, b) => b.bytes - a.bytes);
}

/** The link a path goes through that points out of the context, described; undefined when none. */
function linkEscapes(scan: ContextScan, source: string): string | undefined {
  const clean = cleanPattern(source);
  for (const [link, target] of scan.links) {
    if (!(clean === link || clean.startsWith(link + '/') || link.startsWith(clean + '/') || clean === '')) continue;
    if (target === '' ) continue;
    const resolved = target.startsWith('/') ? target : path.posix.normalize(path.posix.join(path.posix.dirname(link), target));
    if (target.startsWith('/') || resolved === '..' || resolved.startsWith('../')) return `${link} -> ${target}`;
  }
  return undefined;
}
