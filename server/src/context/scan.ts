// Measures a build context as Docker would send it: every file below the root that `.dockerignore`
// does not exclude. Bounded by entry count and time (the result then says it is a lower bound).
// Symbolic links are never followed: Docker sends a link as a link, so it costs its own few bytes,
// and a link cannot lead the scan out of the context or into a loop.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isExcluded, mayReinclude, parseDockerignore, type IgnorePattern } from './dockerignore';

export interface EntrySize {
  /** Context-relative path, `/`-separated. */
  path: string;
  files: number;
  bytes: number;
  isDir: boolean;
}

export interface ContextScan {
  root: string;
  /** The ignore file applied, if any. */
  ignoreFile: string | undefined;
  files: number;
  bytes: number;
  /** Top-level entries that are sent, biggest first. */
  top: EntrySize[];
  /** Every file sent, with its size (context-relative path → bytes). */
  sizes: Map<string, number>;
  /** Symbolic links met (context-relative path → link target as written). */
  links: Map<string, string>;
  /** Cut short by the limits: the numbers are lower bounds. */
  truncated: boolean;
  /** Folders that could not be read, with the reason. */
  unreadable: string[];
  /** What the ignore file kept out (top-level entries with their sizes), when `measureExcluded` is set. */
  excluded: EntrySize[];
  durationMs: number;
}

export interface ScanOptions {
  /** Stop after this many entries (files and folders). */
  maxEntries?: number;
  /** Stop after this long. */
  maxMs?: number;
  /** Patterns to apply; by default the ignore file found for `dockerfile` (or the root's `.dockerignore`). */
  patterns?: IgnorePattern[];
  /** The Dockerfile, for Docker's per-Dockerfile ignore file (`<name>.dockerignore` beside it). */
  dockerfile?: string;
  /** Also measure what the ignore file excludes (top-level only), to say what it saves. */
  measureExcluded?: boolean;
}

export const DEFAULT_MAX_ENTRIES = 200_000;
export const DEFAULT_MAX_MS = 3_000;
/** Longest stretch of synchronous work before the scan yields to the event loop. */
const SLICE_MS = 20;

/**
 * The ignore file Docker uses for a Dockerfile in a context: `<Dockerfile name>.dockerignore` next
 * to the Dockerfile wins over `<root>/.dockerignore`.
 */
export function ignoreFileFor(root: string, dockerfile?: string): string | undefined {
  if (dockerfile) {
    const own = path.join(path.dirname(dockerfile), `${path.basename(dockerfile)}.dockerignore`);
    if (fs.existsSync(own)) return own;
  }
  const shared = path.join(root, '.dockerignore');
  return fs.existsSync(shared) ? shared : undefined;
}

/** Reads an ignore file's patterns; an unreadable file gives none. */
export function readIgnoreFile(file: string | undefined): IgnorePattern[] {
  if (!file) return [];
  try {
    return parseDockerignore(fs.readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
}

/** Scans a context folder. Resolves even for a missing root (then `unreadable` says why). */
export async function scanContext(root: string, options: ScanOptions = {}): Promise<ContextScan> {
  const started = Date.now();
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const maxMs = options.maxMs ?? DEFAULT_MAX_MS;
  const ignoreFile = options.patterns ? undefined : ignoreFileFor(root, options.dockerfile);
  const patterns = options.patterns ?? readIgnoreFile(ignoreFile);
  const scan: ContextScan = {
    root,
    ignoreFile,
    files: 0,
    bytes: 0,
    top: [],
    sizes: new Map(),
    links: new Map(),
    truncated: false,
    unreadable: [],
    excluded: [],
    durationMs: 0,
  };
  const topSizes = new Map<string, EntrySize>();
  const excludedTop = new Map<string, EntrySize>();
  let entries = 0;
  const stack: string[] = [''];
  // Synchronous calls are several times cheaper than awaited ones per file; the scan gives the
  // event loop back every SLICE_MS so an editor server stays responsive while it runs.
  let sliceStart = Date.now();
  while (stack.length > 0) {
    if (Date.now() - sliceStart > SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = Date.now();
    }
    if (entries >= maxEntries || Date.now() - started > maxMs) {
      scan.truncated = true;
      break;
    }
    const rel = stack.pop()!;
    const abs = rel === '' ? root : path.join(root, rel);
    let dirents: fs.Dirent[];
    try {
      dirents = fs.readdirSync(abs, { withFileTypes: true });
    } catch (e) {
      scan.unreadable.push(`${rel || '.'}: ${describeError(e)}`);
      continue;
    }
    for (const d of dirents) {
      entries++;
      const childRel = rel === '' ? d.name : `${rel}/${d.name}`;
      const topName = childRel.split('/')[0];
      const excluded = patterns.length > 0 && isExcluded(childRel, patterns);
      if (excluded) {
        if (d.isDirectory() && mayReinclude(childRel, patterns)) stack.push(childRel);
        else if (options.measureExcluded && rel === '') excludedTop.set(topName, { path: topName, files: 0, bytes: 0, isDir: d.isDirectory() });
        continue;
      }
      if (d.isSymbolicLink()) {
        try {
          scan.links.set(childRel, fs.readlinkSync(path.join(abs, d.name)));
        } catch {
          scan.links.set(childRel, '');
        }
        continue;
      }
      if (d.isDirectory()) {
        stack.push(childRel);
        if (!topSizes.has(topName)) topSizes.set(topName, { path: topName, files: 0, bytes: 0, isDir: true });
        continue;
      }
      if (!d.isFile()) continue;
      let size = 0;
      try {
        // Allocated blocks would under-count sparse files; Docker sends the apparent size.
        size = fs.lstatSync(path.join(abs, d.name)).size;
      } catch {
        continue;
      }
      scan.files++;
      scan.bytes += size;
      scan.sizes.set(childRel, size);
      const t = topSizes.get(topName) ?? { path: topName, files: 0, bytes: 0, isDir: rel !== '' };
      t.files++;
      t.bytes += size;
      topSizes.set(topName, t);
    }
  }
  if (options.measureExcluded) {
    for (const e of excludedTop.values()) {
      const sub = await scanContext(path.join(root, e.path), { patterns: [], maxEntries: Math.max(1000, maxEntries - entries), maxMs: Math.max(200, maxMs - (Date.now() - started)) });
      e.files = sub.files;
      e.bytes = sub.bytes;
      if (sub.truncated) scan.truncated = true;
    }
    scan.excluded = [...excludedTop.values()].sort((a, b) => b.bytes - a.bytes);
  }
  scan.top = [...topSizes.values()].sort((a, b) => b.bytes - a.bytes);
  scan.durationMs = Date.now() - started;
  return scan;
}

function describeError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'not a folder';
  return e instanceof Error ? e.message : String(e);
}

/** Human size in decimal units (`412 MB`), shared with rule messages. */
export { formatSize as formatBytes } from '../rules/format';
