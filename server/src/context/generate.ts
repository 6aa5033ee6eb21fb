// Writes a `.dockerignore` tailored to a build context: only patterns for what is really there, in
// commented groups, and never one that keeps out what the Dockerfile copies (such a pattern is
// dropped, or followed by a `!` exception, with a comment saying why). An existing file is never
// rewritten: what is new is appended as one marked block.
import type { CopyFacts } from '../analysis/model';
import { formatBytes } from './scan';
import { cleanPattern, isExcluded, parseDockerignore, patternToRegExp } from './dockerignore';

export interface Candidate {
  pattern: string;
  /** Whether the context holds something this pattern matches. */
  present(paths: PathSet): boolean;
}

export interface Group {
  title: string;
  why: string;
  candidates: Candidate[];
}

/** The files of a context and every folder above them, context-relative with `/`. */
export class PathSet {
  readonly files: Map<string, number>;
  readonly dirs = new Set<string>();
  readonly basenames = new Set<string>();

  constructor(files: Map<string, number>) {
    this.files = files;
    for (const f of files.keys()) {
      const parts = f.split('/');
      this.basenames.add(parts[parts.length - 1]);
      for (let k = 1; k < parts.length; k++) {
        const d = parts.slice(0, k).join('/');
        this.dirs.add(d);
        this.basenames.add(parts[k - 1]);
      }
    }
  }

  /** Whether any file or folder matches a `.dockerignore` pattern. */
  matches(pattern: string): boolean {
    const re = patternToRegExp(cleanPattern(pattern));
    for (const d of this.dirs) if (re.test(d)) return true;
    for (const f of this.files.keys()) if (re.test(f)) return true;
    return false;
  }

  hasFile(name: string): boolean {
    return this.files.has(name) || [...this.files.keys()].some((f) => f.endsWith('/' + name));
  }
}

const when = (pattern: string): Candidate => ({ pattern, present: (p) => p.matches(pattern) });
/** For the ignore file itself: it exists once written, whether or not it did before (an empty context gets no file). */
const ALWAYS = (pattern: string): Candidate => ({ pattern, present: (p) => p.files.size > 0 || p.dirs.size > 0 });
const whenWith = (pattern: string, marker: string): Candidate => ({ pattern, present: (p) => p.matches(pattern) && p.hasFile(marker) });

/** The groups, in the order they are written. */
export const GROUPS: Group[] = [
  { title: 'Version control', why: 'history and metadata, never needed in the image', candidates: ['.git', '.gitignore', '.gitattributes', '.svn', '.hg'].map(when) },
  {
    title: 'Dependencies the build installs itself',
    why: 'the Dockerfile installs them for the image platform',
    candidates: [when('**/node_modules'), { pattern: '**/.venv', present: (p) => p.matches('**/.venv') }, venv('venv'), venv('env'), whenWith('vendor', 'composer.json'), when('.bundle')],
  },
  {
    title: 'Caches and build outputs',
    why: 'rebuilt inside the image or not needed there',
    candidates: [
      when('**/__pycache__'),
      when('**/*.py[cod]'),
      when('.pytest_cache'),
      when('.mypy_cache'),
      when('.ruff_cache'),
      when('.tox'),
      when('.coverage'),
      when('coverage'),
      when('htmlcov'),
      when('.nyc_output'),
      when('.next'),
      when('.nuxt'),
      when('.cache'),
      when('.parcel-cache'),
      when('.gradle'),
      whenWith('target', 'Cargo.toml'),
      whenWith('target', 'pom.xml'),
      { pattern: '**/bin', present: (p) => p.matches('**/bin') && [...p.files.keys()].some((f) => /\.(cs|fs|vb)proj$/.test(f)) },
      { pattern: '**/obj', present: (p) => p.matches('**/obj') && [...p.files.keys()].some((f) => /\.(cs|fs|vb)proj$/.test(f)) },
      when('dist'),
      when('build'),
      when('.terraform'),
    ],
  },
  { title: 'Logs', why: 'written at run time, stale in an image', candidates: [when('**/*.log'), when('logs'), when('npm-debug.log*'), when('yarn-error.log')] },
  {
    title: 'Editor and OS files',
    why: 'personal, and they change on every save',
    candidates: [when('.vscode'), when('.idea'), when('**/*.swp'), when('**/*~'), when('**/.DS_Store'), when('**/Thumbs.db')],
  },
  {
    title: 'Local environment and secrets',
    why: 'a secret in an image is a leak: every layer can be read by whoever pulls it',
    candidates: [when('.env'), when('.env.*'), when('**/*.pem'), when('**/*.key'), when('**/id_rsa*'), when('**/id_ed25519*'), when('**/*.p12'), when('**/*.pfx'), when('.npmrc'), when('.pypirc'), when('.aws'), when('.ssh'), when('.netrc')],
  },
  {
    title: 'Docker files',
    why: 'the builder reads them itself; the image does not need them',
    candidates: [when('**/Dockerfile*'), when('**/*.Dockerfile'), when('**/Containerfile*'), when('docker-compose*.yml'), when('docker-compose*.yaml'), when('compose*.yml'), when('compose*.yaml'), ALWAYS('.dockerignore')],
  },
];

function venv(name: string): Candidate {
  return { pattern: name, present: (p) => p.files.has(`${name}/pyvenv.cfg`) };
}

export interface NeededPath {
  /** Context-relative path or glob the Dockerfile copies. */
  path: string;
  /** Why it is needed: `COPY app/ /srv (line 7)`. */
  reason: string;
}

/** What a Dockerfile copies from the build context (not `.` itself, not other stages, not URLs). */
export function neededPaths(copies: readonly CopyFacts[]): NeededPath[] {
  const out: NeededPath[] = [];
  for (const c of copies) {
    if (c.from !== undefined || c.heredoc) continue;
    for (const s of c.sources) {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s.value) || /^git@/.test(s.value)) continue;
      const p = cleanPattern(s.value);
      if (p === '' || p.includes('$')) continue;
      out.push({ path: p, reason: `${c.instruction.keyword} ${s.value} (line ${c.instruction.startLine + 1})` });
    }
  }
  return out;
}

export interface GenerateOptions {
  /** Files at least this big (bytes) that no group covers get a line of their own. */
  largeFileBytes: number;
  /** The date written in the marked block header (`YYYY-MM-DD`). */
  date: string;
}

export interface Generated {
  /** The patterns with their comments, as a complete `.dockerignore`. */
  text: string;
  /** Patterns added (without comments). */
  patterns: string[];
  /** Patterns left out or excepted because the Dockerfile needs what they match. */
  kept: { pattern: string; needed: NeededPath; action: 'dropped' | 'excepted' }[];
}

function isWildcard(p: string): boolean {
  return /[*?[]/.test(p);
}

/** Builds the `.dockerignore` for a context listing and what the Dockerfile needs. */
export function generateDockerignore(files: Map<string, number>, needed: readonly NeededPath[], options: GenerateOptions): Generated {
  const paths = new PathSet(files);
  const lines: string[] = [];
  const patterns: string[] = [];
  const kept: Generated['kept'] = [];
  const neededFiles = expandNeeded(needed, paths);

  const emit = (pattern: string, comment?: string): void => {
    const blockers = neededFiles.filter((n) => isExcluded(n.path, parseDockerignore(pattern)));
    if (blockers.length === 0) {
      if (comment) lines.push(comment);
      lines.push(pattern);
      patterns.push(pattern);
      return;
    }
    if (!isWildcard(pattern) || blockers.some((b) => b.path === cleanPattern(pattern))) {
      lines.push(`# not ignored: ${pattern} (${blockers[0].reason} needs it)`);
      kept.push({ pattern, needed: blockers[0], action: 'dropped' });
      return;
    }
    if (comment) lines.push(comment);
    lines.push(pattern);
    patterns.push(pattern);
    for (const b of blockers) {
      lines.push(`# kept: ${b.reason} needs it`, `!${escapePattern(b.path)}`);
      patterns.push(`!${escapePattern(b.path)}`);
      kept.push({ pattern, needed: b, action: 'excepted' });
    }
  };

  for (const g of GROUPS) {
    const present = g.candidates.filter((c) => c.present(paths));
    const unique = present.filter((c, k) => present.findIndex((x) => x.pattern === c.pattern) === k);
    if (unique.length === 0) continue;
    if (lines.length > 0) lines.push('');
    lines.push(`# ${g.title}: ${g.why}`);
    for (const c of unique) emit(c.pattern);
  }

  const covered = parseDockerignore(patterns.join('\n'));
  const large = [...files.entries()]
    .filter(([f, size]) => size >= options.largeFileBytes && !isExcluded(f, covered))
    .sort((a, b) => b[1] - a[1]);
  if (large.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(`# Large files (${formatBytes(options.largeFileBytes)} or more): mount or download them at run time instead`);
    for (const [f, size] of large) emit(escapePattern(f), `# ${formatBytes(size)}`);
  }
  return { text: lines.length > 0 ? lines.join('\n') + '\n' : '', patterns, kept };
}

/** Needed globs expand to the files they match; plain paths stay as they are. */
function expandNeeded(needed: readonly NeededPath[], paths: PathSet): NeededPath[] {
  const out: NeededPath[] = [];
  for (const n of needed) {
    if (!isWildcard(n.path)) {
      out.push(n);
      continue;
    }
    const re = patternToRegExp(n.path);
    for (const f of paths.files.keys()) if (re.test(f)) out.push({ path: f, reason: n.reason });
  }
  return out;
}

/** A file name as a literal pattern (wildcard characters escaped). */
function escapePattern(p: string): string {
  return p.replace(/([*?[\\])/g, '\\$1');
}

export const BLOCK_START = '# --- Added by Slimfile (Generate .dockerignore)';
export const BLOCK_END = '# --- End of Slimfile block ---';

/**
 * Merges generated patterns into an existing `.dockerignore`: every existing line stays as it is;
 * patterns it does not already have are appended in one marked block. Returns the existing text
 * unchanged (and `added` empty) when there is nothing new.
 */
export function mergeDockerignore(existing: string, generated: Generated, date: string): { text: string; added: string[] } {
  const have = new Set(parseDockerignore(existing).map((p) => (p.negate ? '!' : '') + p.pattern));
  const keep = new Set(generated.patterns.filter((p) => !have.has(p.startsWith('!') ? '!' + cleanPattern(p.slice(1)) : cleanPattern(p))));
  if (keep.size === 0) return { text: existing, added: [] };
  // Keep each group's header and each pattern's own comments next to the patterns that survive.
  const out: string[] = [];
  for (const group of generated.text.split('\n\n')) {
    const groupLines = group.split('\n').filter((l) => l !== '');
    const header = groupLines[0]?.startsWith('#') ? groupLines.shift()! : undefined;
    const body: string[] = [];
    let comments: string[] = [];
    for (const line of groupLines) {
      if (line.startsWith('#')) {
        comments.push(line);
        continue;
      }
      if (keep.has(line)) body.push(...comments, line);
      comments = [];
    }
    if (body.length > 0) out.push(...(header ? [header] : []), ...body);
  }
  const eol = existing.includes('\r\n') ? '\r\n' : '\n';
  const sep = existing === '' || existing.endsWith('\n') ? '' : eol;
  const block = [`${BLOCK_START} on ${date} ---`, ...out, BLOCK_END].join(eol) + eol;
  return { text: existing + sep + (existing === '' ? '' : eol) + block, added: [...keep] };
}
