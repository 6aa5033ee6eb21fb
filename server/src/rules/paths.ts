// Paths through a stage, for the rules that follow files across layers (removed-in-later-layer,
// chown-after-copy, add-remote-url): where COPY/ADD and RUN commands put files, where `rm` deletes
// them, the working directory at each step (WORKDIR, `cd`), and edits that take a command or an
// argument out of a RUN. Paths we cannot know (variables, globs, an unknown base WORKDIR) stay
// unknown: these rules only match what they can prove.
import type { CopyFacts, DockerfileModel, Instruction, RunInstruction, ShellCommand, ShellScript, ShellWord, Stage } from '../analysis/model';
import { endOf } from '../analysis/shell/source';
import type { Edit, Span } from '../analysis/text';

/**
 * A resolved path: absolute (`/tmp/x`), or rooted at a marker for a folder we cannot see: the base
 * image's WORKDIR (`<workdir>/x`) or a non-root user's home (`<home:app>/x`). Two paths with the
 * same marker are comparable; a marker path never equals an absolute one.
 */
export type ResolvedPath = string;

/** Where relative paths and `~` point at some step. Undefined members are unknown. */
export interface PathContext {
  cwd: ResolvedPath | undefined;
  home: ResolvedPath | undefined;
}

export const BASE_WORKDIR = '<workdir>';

/** Folders every Linux base image has, so a file can be written there without creating them. */
export const KNOWN_DIRS: ReadonlySet<string> = new Set(['/', '/tmp', '/var/tmp', '/bin', '/sbin', '/usr', '/usr/bin', '/usr/sbin', '/usr/local', '/usr/local/bin', '/usr/local/sbin', '/etc']);

/** Characters a path may hold to be written into a shell command without quoting. */
export const SHELL_SAFE_PATH = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Normalises `.`, `..` and duplicate or trailing slashes of a path under a root. */
function normalizeUnder(root: string, rel: string): ResolvedPath | undefined {
  const parts: string[] = [];
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length > 0) parts.pop();
      else if (root !== '') return undefined; // above an unknown folder
      continue;
    }
    parts.push(seg);
  }
  if (root === '') return '/' + parts.join('/');
  return parts.length > 0 ? `${root}/${parts.join('/')}` : root;
}

/** `base` joined with a relative `rel` (no variables, already unquoted). */
export function joinPath(base: ResolvedPath, rel: string): ResolvedPath | undefined {
  if (rel.startsWith('/')) return normalizeUnder('', rel);
  if (base.startsWith('/')) return normalizeUnder('', `${base}/${rel}`);
  const slash = base.indexOf('/');
  const root = slash < 0 ? base : base.slice(0, slash);
  const rest = slash < 0 ? '' : base.slice(slash + 1);
  return normalizeUnder(root, rest === '' ? rel : `${rest}/${rel}`);
}

/**
 * Resolves a path as written (after quote removal) against a context. Undefined when it holds a
 * variable, a command substitution, a glob, a backslash, a Windows drive, or a `~user` form, or
 * when it is relative and the working directory is unknown. `tilde` expands `~`, `$HOME` and
 * `${HOME}` (true for shell words, false for COPY destinations and WORKDIR, which do not).
 */
export function resolvePath(raw: string, ctx: PathContext, tilde = true): ResolvedPath | undefined {
  let p = raw;
  if (p === '' || p === '-') return undefined;
  if (tilde) {
    const m = /^(~|\$HOME|\$\{HOME\})(?=\/|$)/.exec(p);
    if (m) {
      if (!ctx.home) return undefined;
      const rest = p.slice(m[0].length).replace(/^\/+/, '');
      return rest === '' ? ctx.home : joinPath(ctx.home, rest);
    }
  }
  if (/[$`*?[\\]/.test(p) || /^[A-Za-z]:/.test(p) || p.startsWith('~')) return undefined;
  if (p.startsWith('/')) return normalizeUnder('', p);
  if (!ctx.cwd) return undefined;
  p = p.replace(/^\.\/+/, '');
  return joinPath(ctx.cwd, p);
}

/** Whether `path` is `dir` or lies inside it. */
export function isUnder(path: ResolvedPath, dir: ResolvedPath): boolean {
  if (path === dir) return true;
  if (dir === '/') return path.startsWith('/');
  return path.startsWith(dir + '/');
}

/**
 * Every `dir` with `isUnder(path, dir)` except `''`: the path, `/` for an absolute path, and the path
 * cut before each of its slashes. Indexing things by these keys finds what lies under a folder.
 */
export function underKeys(path: ResolvedPath): string[] {
  const keys = [path];
  if (path.startsWith('/') && path !== '/') keys.push('/');
  for (let i = path.indexOf('/', 1); i > 0; i = path.indexOf('/', i + 1)) {
    const k = path.slice(0, i);
    if (k !== '/') keys.push(k);
  }
  return keys;
}

/** The last segment of a path (`x.tar.gz` of `/tmp/x.tar.gz`); `''` for `/`. */
export function baseName(p: string): string {
  const t = p.replace(/\/+$/, '');
  return t.slice(t.lastIndexOf('/') + 1);
}

/** The folder holding a path (`/tmp` of `/tmp/x`). */
export function dirName(p: ResolvedPath): ResolvedPath {
  const i = p.lastIndexOf('/');
  if (i < 0) return p;
  if (i === 0) return '/';
  return p.slice(0, i);
}

const ARCHIVE_EXT = /\.(?:tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|tzst|tar\.lz4?|tar\.lzma|tar\.Z|zip|7z)$/i;
const TAR_EXT = /\.(?:tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|tzst|tar\.lz4?|tar\.lzma|tar\.Z)$/i;

/** Whether a name looks like a tar archive (ADD unpacks local ones). */
export function isTarName(name: string): boolean {
  return TAR_EXT.test(name);
}

/** The name an archive usually unpacks to (`node-v20` of `node-v20.tar.gz`), if it has one. */
export function archiveStem(name: string): string | undefined {
  const m = ARCHIVE_EXT.exec(name);
  if (!m) return undefined;
  const stem = name.slice(0, m.index);
  return stem === '' ? undefined : stem;
}

/**
 * Whether a name is most likely a file: `name.ext` with a short extension that is not a folder
 * convention (`conf.d`, `repo.git`) nor a bare version number.
 */
export function looksLikeFile(name: string): boolean {
  const m = /^[^.].*\.([A-Za-z0-9]{1,8})$/.exec(name);
  if (!m) return false;
  const ext = m[1].toLowerCase();
  return ext !== 'd' && ext !== 'git' && !/^[0-9]+$/.test(ext);
}

// ---------------------------------------------------------------------------------------------
// Stages and the context at each instruction.

/** The stage and the stages it is built FROM, the first ancestor first. */
export function stageChain(stage: Stage): Stage[] {
  const out: Stage[] = [];
  const seen = new Set<Stage>();
  for (let s: Stage | undefined = stage; s && !seen.has(s); s = s.parent) {
    seen.add(s);
    out.push(s);
  }
  return out.reverse();
}

export interface Step {
  instruction: Instruction;
  /** The stage the instruction is written in (an ancestor of the walked stage, or itself). */
  stage: Stage;
  /** Working directory and home when the instruction starts. */
  ctx: PathContext;
  /** The USER in effect (`undefined`: the base image's, usually root). */
  user: string | undefined;
}

function isRootUser(user: string | undefined): boolean {
  return user === undefined || user === 'root' || user === '0';
}

function unquoteSimple(v: string): string | undefined {
  const t = v.trim();
  if (/^"[^"]*"$/.test(t) || /^'[^']*'$/.test(t)) return t.slice(1, -1);
  if (/["']/.test(t)) return undefined;
  return t;
}

/**
 * The walk through the stages an image is built from (the final stage for a target and the stages
 * it is built FROM, the first ancestor first): every instruction in build order, with the working
 * directory, home and user at its start. The first stage starts in the base image's WORKDIR
 * (unknown, so `<workdir>`; `/` for `scratch`). The walk of one of those stages is the start of
 * this one, up to `stageEnd` of it: the rules that follow files across layers walk the chain once
 * and read each stage's inherited facts from it, instead of walking every stage's ancestors again.
 */
export interface ChainWalk {
  steps: Step[];
  /** For each stage of the chain, the index in `steps` just after its last instruction. */
  stageEnd: Map<Stage, number>;
}

const walks = new WeakMap<Stage, ChainWalk>();

/** The walk of the stages the image built for `target` consists of; empty without stages. Cached per model. */
export function imageWalk(model: DockerfileModel, target: string | undefined): ChainWalk {
  const final = model.finalStage(target);
  if (!final) return { steps: [], stageEnd: new Map() };
  let walk = walks.get(final);
  if (!walk) walks.set(final, (walk = walkStages(stageChain(final))));
  return walk;
}

function walkStages(chain: readonly Stage[]): ChainWalk {
  const root = chain[0];
  const steps: Step[] = [];
  const stageEnd = new Map<Stage, number>();
  let cwd: ResolvedPath | undefined = root?.image?.name === 'scratch' ? '/' : BASE_WORKDIR;
  let home: ResolvedPath | undefined = '/root';
  let user: string | undefined;
  for (const s of chain) {
    for (const ins of s.instructions) {
      steps.push({ instruction: ins, stage: s, ctx: { cwd, home }, user });
      if (ins.keyword === 'WORKDIR') {
        const v = unquoteSimple(ins.argsText);
        cwd = v === undefined ? undefined : resolvePath(v, { cwd, home }, false);
      } else if (ins.keyword === 'USER') {
        const name = ins.argsText.trim().split(':')[0];
        user = name === '' ? undefined : name;
        home = isRootUser(user) ? '/root' : /^[A-Za-z0-9_.-]+$/.test(name) ? `<home:${name}>` : undefined;
      } else if ((ins.keyword === 'ENV' || ins.keyword === 'ARG') && /\bHOME\b/.test(ins.argsText)) {
        home = undefined;
      }
    }
    stageEnd.set(s, steps.length);
  }
  return { steps, stageEnd };
}

/** Where the walk of a stage of the chain ends (all of the walk for a stage not on it). */
export function endOfStage(walk: ChainWalk, stage: Stage): number {
  return walk.stageEnd.get(stage) ?? walk.steps.length;
}

const workdirsMade = new WeakMap<ChainWalk, Map<ResolvedPath, number>>();

/**
 * Whether `dir` exists before step `before` without being created by what is being moved: a folder
 * every base image has, or the working directory set by a WORKDIR earlier in the walk.
 */
export function dirExistsBefore(walk: ChainWalk, before: number, dir: ResolvedPath): boolean {
  if (KNOWN_DIRS.has(dir)) return true;
  let first = workdirsMade.get(walk);
  if (!first) {
    first = new Map();
    const { steps } = walk;
    for (let j = 0; j + 1 < steps.length; j++) {
      const cwd = steps[j + 1].ctx.cwd;
      if (steps[j].instruction.keyword === 'WORKDIR' && cwd && !first.has(cwd)) first.set(cwd, j);
    }
    workdirsMade.set(walk, first);
  }
  const at = first.get(dir);
  return at !== undefined && at < before;
}

const copyIndex = new WeakMap<DockerfileModel, Map<Instruction, CopyFacts>>();

/** The COPY/ADD facts of an instruction (cached per model). */
export function copyOf(model: DockerfileModel, ins: Instruction): CopyFacts | undefined {
  let index = copyIndex.get(model);
  if (!index) {
    index = new Map(model.copies().map((c) => [c.instruction, c]));
    copyIndex.set(model, index);
  }
  return index.get(ins);
}

// ---------------------------------------------------------------------------------------------
// Shell structure.

const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', 'for', 'case', 'esac', '!', '{', '}', 'time', 'in', 'function', 'select']);

/** Whether the command's words before its name hold a reserved word (`then rm`, `do cd`). */
export function hasReservedPrefix(cmd: ShellCommand): boolean {
  return cmd.words.slice(0, cmd.nameIndex).some((w) => !w.quoted && RESERVED.has(w.value));
}

/** Whether a script has compound commands or subshells, where `cd` may not last. */
function isCompound(script: ShellScript): boolean {
  return script.commands.some((c) => c.separator === ')' || c.separator === ';;' || c.words.some((w, k) => k <= c.nameIndex && !w.quoted && RESERVED.has(w.value)));
}

/**
 * The context each command of a RUN starts in, following `cd` (nested `sh -c` scripts start where
 * their wrapper runs; a `cd` in a script with subshells or compound commands makes the working
 * directory unknown), and the context at the end of the RUN's main script.
 */
export function commandContexts(run: RunInstruction, start: PathContext): { of: Map<ShellCommand, PathContext>; end: PathContext } {
  const key = `${start.cwd ?? '\u0000'}\u0001${start.home ?? '\u0000'}`;
  let byStart = contextCache.get(run);
  if (!byStart) {
    byStart = new Map();
    contextCache.set(run, byStart);
  }
  const cached = byStart.get(key);
  if (cached) return cached;
  const result = computeContexts(run, start);
  byStart.set(key, result);
  return result;
}

const contextCache = new WeakMap<RunInstruction, Map<string, { of: Map<ShellCommand, PathContext>; end: PathContext }>>();

function computeContexts(run: RunInstruction, start: PathContext): { of: Map<ShellCommand, PathContext>; end: PathContext } {
  const cwdOf = new Map<ShellScript, ResolvedPath | undefined>();
  const of = new Map<ShellCommand, PathContext>();
  for (const c of run.commands) {
    const s = c.script;
    if (!cwdOf.has(s)) {
      const parent = s.parent;
      cwdOf.set(s, parent ? (of.get(parent)?.cwd ?? undefined) : start.cwd);
    }
    const cwd = cwdOf.get(s);
    of.set(c, { cwd, home: start.home });
    if (c.name === 'cd') {
      const pos = c.positionals();
      let next: ResolvedPath | undefined;
      if (isCompound(s) || pos.length > 1) next = undefined;
      else if (pos.length === 0) next = start.home;
      else next = resolvePath(pos[0].value, { cwd, home: start.home });
      cwdOf.set(s, next);
    } else if (c.name === 'pushd' || c.name === 'popd') {
      cwdOf.set(s, undefined);
    }
  }
  const main = run.script;
  const end = main && cwdOf.has(main) ? cwdOf.get(main) : start.cwd;
  return { of, end: { cwd: end, home: start.home } };
}

// ---------------------------------------------------------------------------------------------
// Command-line options.

export interface ParsedArgs {
  /** Options in order: name as written (`-o`, `--output`) and value, if it takes one. */
  options: { name: string; value: string | undefined; word: ShellWord }[];
  positionals: ShellWord[];
}

/**
 * A small getopt: `shortValue` lists the one-letter options that take a value (in a cluster the
 * rest of the word, else the next word), `longValue` the long ones (`--opt value` or `--opt=v`).
 * Everything after `--` is positional.
 */
export function parseArgs(args: readonly ShellWord[], shortValue: string, longValue: ReadonlySet<string>): ParsedArgs {
  const options: ParsedArgs['options'] = [];
  const positionals: ShellWord[] = [];
  let only = false;
  for (let k = 0; k < args.length; k++) {
    const w = args[k];
    const v = w.value;
    if (only || !v.startsWith('-') || v === '-') {
      positionals.push(w);
      continue;
    }
    if (v === '--') {
      only = true;
      continue;
    }
    if (v.startsWith('--')) {
      const eq = v.indexOf('=');
      if (eq > 0) options.push({ name: v.slice(0, eq), value: v.slice(eq + 1), word: w });
      else if (longValue.has(v)) {
        options.push({ name: v, value: args[k + 1]?.value, word: w });
        k++;
      } else options.push({ name: v, value: undefined, word: w });
      continue;
    }
    for (let i = 1; i < v.length; i++) {
      const letter = v[i];
      if (shortValue.includes(letter)) {
        const rest = v.slice(i + 1);
        if (rest !== '') options.push({ name: '-' + letter, value: rest, word: w });
        else {
          options.push({ name: '-' + letter, value: args[k + 1]?.value, word: w });
          k++;
        }
        break;
      }
      options.push({ name: '-' + letter, value: undefined, word: w });
    }
  }
  return { options, positionals };
}

function lastValue(p: ParsedArgs, ...names: string[]): string | undefined {
  let out: string | undefined;
  for (const o of p.options) if (names.includes(o.name)) out = o.value;
  return out;
}

function hasOption(p: ParsedArgs, ...names: string[]): boolean {
  return p.options.some((o) => names.includes(o.name));
}

// ---------------------------------------------------------------------------------------------
// What instructions and commands add.

/**
 * One place something was written. `file`: a file at `path`. `dir`: a folder at `path` (contents
 * unknown). `any`: `path` is a file or a folder. `contents`: entries of unknown names under `path`.
 * `guess`: the folder an archive usually unpacks to, inferred from its name.
 */
export interface Target {
  path: ResolvedPath;
  kind: 'file' | 'dir' | 'any' | 'contents';
  guess?: boolean;
  /** The name says file (`app.jar`), not folder. */
  fileLike?: boolean;
  /** A folder made by `mkdir`: empty unless something else fills it. */
  empty?: boolean;
}

function isUrl(v: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(v);
}

/** The file name a URL downloads to (path basename, query and fragment dropped). */
export function urlFileName(url: string): string | undefined {
  const noFrag = url.replace(/[?#].*$/, '');
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/]+(\/.*)?$/i.exec(noFrag);
  if (!m || !m[1]) return undefined;
  const name = baseName(m[1]);
  if (name === '' || name === '.' || name === '..' || /[$`\\]/.test(name)) return undefined;
  return name;
}

/** Whether an ADD source is a Git repository rather than a file. */
export function isGitSource(v: string): boolean {
  if (/^git@/i.test(v) || /^(?:git|ssh):\/\//i.test(v)) return true;
  const noFrag = v.replace(/#.*$/, '').replace(/\?.*$/, '');
  return /\.git\/?$/i.test(noFrag);
}

/** Whether the COPY/ADD destination names a folder (trailing slash, `.`, several sources). */
export function destIsDir(copy: CopyFacts): boolean {
  const d = copy.dest?.value ?? '';
  return d.endsWith('/') || d === '.' || d === '..' || copy.sources.length > 1 || copy.sources.some((s) => /[*?[]/.test(s.value));
}

/**
 * Where a COPY or ADD writes, resolved against the working directory. A file-like source to a
 * folder lands at `dest/<name>`; a single source to a path without a trailing slash is written at
 * `dest` (or into it, when it is an existing folder). A local archive given to ADD is unpacked, so
 * only the destination folder is known.
 */
export function copyTargets(copy: CopyFacts, ctx: PathContext): Target[] {
  if (!copy.dest) return [];
  const dest = resolvePath(copy.dest.value, ctx, false);
  if (!dest) return [];
  const isAdd = copy.instruction.keyword === 'ADD';
  const unpack = copy.instruction.flag('unpack')?.value;
  const parents = copy.instruction.flag('parents') !== undefined;
  const dirDest = destIsDir(copy);
  const out: Target[] = [];
  if (copy.heredoc) return [{ path: dest, kind: 'file', fileLike: looksLikeFile(baseName(dest)) }];
  for (const s of copy.sources) {
    const v = s.value;
    const remote = isUrl(v);
    if (remote && isGitSource(v)) {
      out.push({ path: dest, kind: 'contents' });
      continue;
    }
    const name = remote ? urlFileName(v) : /[*?[$]/.test(v) || v.endsWith('/') ? undefined : baseName(v);
    const unpacked = isAdd && name !== undefined && isTarName(name) && (remote ? unpack === 'true' : unpack !== 'false');
    if (unpacked || parents || name === undefined || name === '.' || name === '..') {
      out.push({ path: dest, kind: dirDest ? 'contents' : 'any' });
      continue;
    }
    const fileLike = remote || looksLikeFile(name);
    if (dirDest) {
      const p = joinPath(dest, name);
      if (p) out.push({ path: p, kind: remote ? 'file' : 'any', fileLike });
      // A local source may be a folder, whose entries land in `dest` itself.
      if (!remote) out.push({ path: dest, kind: 'contents' });
    } else {
      out.push({ path: dest, kind: remote ? 'file' : 'any', fileLike: remote || (fileLike && looksLikeFile(baseName(dest))) });
      const inside = joinPath(dest, name);
      if (inside) out.push({ path: inside, kind: remote ? 'file' : 'any', fileLike });
    }
  }
  return out;
}

const CURL_SHORT = 'AbcCdDeEFHKmoPQrtTuUwxXyYz';
const CURL_LONG = new Set([
  '--output', '--output-dir', '--header', '--data', '--data-raw', '--data-binary', '--data-urlencode', '--user', '--user-agent',
  '--request', '--max-time', '--connect-timeout', '--retry', '--retry-delay', '--retry-max-time', '--proxy', '--cacert',
  '--capath', '--cert', '--key', '--config', '--form', '--referer', '--range', '--write-out', '--limit-rate', '--resolve',
  '--connect-to', '--dns-servers', '--interface', '--max-filesize', '--speed-limit', '--speed-time', '--time-cond', '--url',
  '--cookie', '--cookie-jar', '--dump-header', '--ciphers', '--tls-max', '--proto', '--proto-redir', '--netrc-file',
  '--oauth2-bearer', '--pass', '--proxy-user', '--unix-socket', '--max-redirs', '--expect100-timeout', '--keepalive-time',
]);
const WGET_SHORT = 'OoaPtTweiBUQlARDIX';
const WGET_LONG = new Set([
  '--output-document', '--output-file', '--append-output', '--directory-prefix', '--tries', '--timeout', '--wait', '--execute',
  '--input-file', '--base', '--user-agent', '--quota', '--level', '--accept', '--reject', '--domains', '--header', '--user',
  '--password', '--post-data', '--post-file', '--load-cookies', '--save-cookies', '--ca-certificate', '--certificate',
  '--private-key', '--limit-rate', '--referer', '--method', '--body-data',
]);
const GIT_GLOBAL_LONG = new Set(['--git-dir', '--work-tree', '--namespace', '--exec-path']);
const CLONE_LONG = new Set([
  '--branch', '--origin', '--upload-pack', '--depth', '--reference', '--reference-if-able', '--separate-git-dir',
  '--shallow-since', '--shallow-exclude', '--jobs', '--filter', '--config', '--template', '--server-option', '--bundle-uri',
]);
const TAR_VALUE_LETTERS = 'fCTXbHKLNVg';
const TAR_LONG = new Set(['--file', '--directory', '--strip-components', '--files-from', '--exclude-from', '--transform', '--xform', '--format', '--owner', '--group', '--mode', '--blocking-factor']);

/** What a `tar` command does: whether it extracts, from which archive, into which folder. */
export interface TarFacts {
  extract: boolean;
  /** `-f` as written; undefined for stdin. */
  archive: string | undefined;
  /** `-C` as written. */
  directory: string | undefined;
  /** Names are rewritten (`--strip-components`, `--transform`) or go to stdout (`-O`). */
  renames: boolean;
  toStdout: boolean;
}

/** Reads a `tar` command line, old-style (`tar xzf a.tgz`) or with dashes. */
export function tarFacts(cmd: ShellCommand): TarFacts | undefined {
  if (cmd.name !== 'tar' && cmd.name !== 'bsdtar' && cmd.name !== 'gtar') return undefined;
  const args = cmd.args;
  let rest = args;
  const options: { name: string; value: string | undefined }[] = [];
  // Old style: the first word is a bundle of letters without a dash; values follow in order.
  if (args[0] && /^[A-Za-z]+$/.test(args[0].value) && /[xtcru]/.test(args[0].value)) {
    let next = 1;
    for (const letter of args[0].value) {
      if (TAR_VALUE_LETTERS.includes(letter)) {
        options.push({ name: '-' + letter, value: args[next]?.value });
        next++;
      } else options.push({ name: '-' + letter, value: undefined });
    }
    rest = args.slice(next);
  }
  const parsed = parseArgs(rest, TAR_VALUE_LETTERS, TAR_LONG);
  options.push(...parsed.options);
  const has = (...names: string[]): boolean => options.some((o) => names.includes(o.name));
  const last = (...names: string[]): string | undefined => {
    let v: string | undefined;
    for (const o of options) if (names.includes(o.name)) v = o.value;
    return v;
  };
  const archive = last('-f', '--file');
  return {
    extract: has('-x', '--extract', '--get'),
    archive: archive === '-' ? undefined : archive,
    directory: last('-C', '--directory'),
    renames: has('--strip-components', '--transform', '--xform'),
    toStdout: has('-O', '--to-stdout'),
  };
}

/** What `unzip` reads and where it writes. */
export function unzipFacts(cmd: ShellCommand): { archive: string; directory: string | undefined } | undefined {
  if (cmd.name !== 'unzip') return undefined;
  const p = parseArgs(cmd.args, 'dx', new Set());
  if (hasOption(p, '-p', '-c', '-l', '-t', '-Z', '-v', '-z')) return undefined;
  const archive = p.positionals[0]?.value;
  if (!archive) return undefined;
  return { archive, directory: lastValue(p, '-d') };
}

/** An add found in a RUN command: its targets and how to name it in messages. */
export interface CommandAdd {
  targets: Target[];
  /** `downloaded`, `cloned`, `unpacked`, `created`, `copied`, `moved`. */
  how: string;
}

function pushResolved(out: Target[], raw: string, ctx: PathContext, t: Omit<Target, 'path'>): void {
  const p = resolvePath(raw, ctx);
  if (p) out.push({ ...t, path: p });
}

/**
 * What a command writes to the file system, as far as it can be known: downloads (`curl -o`,
 * `curl -O`, `wget`), `git clone`, unpacking (`tar -x`, `unzip`), `mkdir`, `cp` and `mv`.
 */
export function commandAdds(cmd: ShellCommand, ctx: PathContext): CommandAdd | undefined {
  const targets: Target[] = [];
  switch (cmd.name) {
    case 'curl': {
      const p = parseArgs(cmd.args, CURL_SHORT, CURL_LONG);
      const urls = [...p.positionals.filter((w) => isUrl(w.value)).map((w) => w.value), ...p.options.filter((o) => o.name === '--url' && o.value).map((o) => o.value as string)];
      if (urls.length !== 1 || hasOption(p, '-J', '--remote-header-name')) return undefined;
      const dirRaw = lastValue(p, '--output-dir');
      const dirCtx: PathContext = dirRaw !== undefined ? { cwd: resolvePath(dirRaw, ctx), home: ctx.home } : ctx;
      const out = lastValue(p, '-o', '--output');
      if (out !== undefined) {
        if (out === '-' || out.startsWith('/dev/')) return undefined;
        pushResolved(targets, out, out.startsWith('/') ? ctx : dirCtx, { kind: 'file', fileLike: true });
      } else if (hasOption(p, '-O', '--remote-name', '--remote-name-all')) {
        const name = urlFileName(urls[0]);
        if (name) pushResolved(targets, name, dirCtx, { kind: 'file', fileLike: true });
      }
      return targets.length > 0 ? { targets, how: 'downloaded' } : undefined;
    }
    case 'wget': {
      const p = parseArgs(cmd.args, WGET_SHORT, WGET_LONG);
      if (hasOption(p, '-r', '--recursive', '-m', '--mirror', '--content-disposition', '-i', '--input-file')) return undefined;
      const urls = p.positionals.filter((w) => isUrl(w.value)).map((w) => w.value);
      const out = lastValue(p, '-O', '--output-document');
      if (out !== undefined) {
        if (out === '-' || out.startsWith('/dev/')) return undefined;
        pushResolved(targets, out, ctx, { kind: 'file', fileLike: true });
      } else {
        const prefix = lastValue(p, '-P', '--directory-prefix');
        const dirCtx: PathContext = prefix !== undefined ? { cwd: resolvePath(prefix, ctx), home: ctx.home } : ctx;
        for (const u of urls) {
          const name = urlFileName(u);
          if (name) pushResolved(targets, name, dirCtx, { kind: 'file', fileLike: true });
        }
      }
      return targets.length > 0 ? { targets, how: 'downloaded' } : undefined;
    }
    case 'git': {
      const g = parseArgs(cmd.args, 'Cc', GIT_GLOBAL_LONG);
      const sub = g.positionals[0];
      if (!sub || sub.value !== 'clone') return undefined;
      const dirOpt = lastValue(g, '-C');
      const gctx: PathContext = dirOpt !== undefined ? { cwd: resolvePath(dirOpt, ctx), home: ctx.home } : ctx;
      const after = cmd.args.slice(cmd.args.indexOf(sub) + 1);
      const c = parseArgs(after, 'bojuc', CLONE_LONG);
      const [url, dir] = c.positionals;
      if (!url) return undefined;
      let target = dir?.value;
      if (target === undefined) {
        const trimmed = url.value.replace(/[?#].*$/, '').replace(/\/+$/, '').replace(/\.git$/i, '');
        const name = trimmed.slice(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf(':')) + 1);
        if (name === '' || /[$`\\]/.test(name)) return undefined;
        target = name;
      }
      if (target === '.') {
        if (gctx.cwd) targets.push({ path: gctx.cwd, kind: 'contents' });
      } else pushResolved(targets, target, gctx, { kind: 'dir' });
      return targets.length > 0 ? { targets, how: 'cloned' } : undefined;
    }
    case 'tar':
    case 'bsdtar':
    case 'gtar': {
      const t = tarFacts(cmd);
      if (!t || !t.extract || t.toStdout) return undefined;
      const base = t.directory !== undefined ? resolvePath(t.directory, ctx) : ctx.cwd;
      if (!base) return undefined;
      targets.push({ path: base, kind: 'contents' });
      const stem = t.archive !== undefined && !t.renames ? archiveStem(baseName(t.archive)) : undefined;
      if (stem && !/[$`*?[\\]/.test(stem)) {
        const p = joinPath(base, stem);
        if (p) targets.push({ path: p, kind: 'dir', guess: true });
      }
      return { targets, how: 'unpacked' };
    }
    case 'unzip': {
      const u = unzipFacts(cmd);
      if (!u) return undefined;
      const base = u.directory !== undefined ? resolvePath(u.directory, ctx) : ctx.cwd;
      if (!base) return undefined;
      targets.push({ path: base, kind: 'contents' });
      const stem = archiveStem(baseName(u.archive));
      if (stem && !/[$`*?[\\]/.test(stem)) {
        const p = joinPath(base, stem);
        if (p) targets.push({ path: p, kind: 'dir', guess: true });
      }
      return { targets, how: 'unpacked' };
    }
    case 'mkdir': {
      const p = parseArgs(cmd.args, 'mZ', new Set(['--mode', '--context']));
      for (const w of p.positionals) pushResolved(targets, w.value, ctx, { kind: 'dir', empty: true });
      return targets.length > 0 ? { targets, how: 'created' } : undefined;
    }
    case 'cp':
    case 'mv': {
      const p = parseArgs(cmd.args, 'tS', new Set(['--target-directory', '--suffix']));
      const into = lastValue(p, '-t', '--target-directory');
      const noTargetDir = hasOption(p, '-T', '--no-target-directory');
      const sources = into !== undefined ? p.positionals : p.positionals.slice(0, -1);
      const destRaw = into ?? p.positionals[p.positionals.length - 1]?.value;
      if (destRaw === undefined || sources.length === 0) return undefined;
      const dest = resolvePath(destRaw, ctx);
      if (!dest) return undefined;
      const asDir = into !== undefined || sources.length > 1 || destRaw.endsWith('/');
      if (!asDir) targets.push({ path: dest, kind: 'any', fileLike: looksLikeFile(baseName(dest)) });
      if (!noTargetDir) {
        for (const s of sources) {
          if (/[$`*?[\\]/.test(s.value)) continue;
          const name = baseName(s.value);
          const p2 = name === '' || name === '.' ? undefined : joinPath(dest, name);
          if (p2) targets.push({ path: p2, kind: 'any', fileLike: looksLikeFile(name) });
        }
      }
      if (asDir) targets.push({ path: dest, kind: 'contents' });
      return targets.length > 0 ? { targets, how: cmd.name === 'cp' ? 'copied' : 'moved' } : undefined;
    }
    default:
      return undefined;
  }
}

/** One path an `rm` deletes: the word as written, the resolved path, and whether it is `dir/*`. */
export interface RemovedPath {
  word: ShellWord;
  path: ResolvedPath;
  /** `dir/*` (or `dir/.*`): the folder's entries, not the folder. */
  contents: boolean;
}

/** The paths an `rm` command deletes that can be resolved (globs only as a trailing `/*`). */
export function rmPaths(cmd: ShellCommand, ctx: PathContext): RemovedPath[] {
  if (cmd.name !== 'rm') return [];
  const out: RemovedPath[] = [];
  for (const w of cmd.positionals()) {
    let v = w.value;
    let contents = false;
    const m = /^(.*?)\/+\.?\*$/.exec(v);
    if (m && !w.quoted) {
      v = m[1] === '' ? '/' : m[1];
      contents = true;
    } else if (m) continue; // a quoted `*` is a literal name
    const p = resolvePath(v, ctx);
    if (p) out.push({ word: w, path: p, contents });
  }
  return out;
}

/** Whether deleting `r` deletes (part of) what `t` describes. */
export function removes(r: RemovedPath, t: Target): boolean {
  if (!r.contents) return isUnder(t.path, r.path);
  if (t.path === r.path) return t.kind !== 'file';
  return isUnder(t.path, r.path);
}

// ---------------------------------------------------------------------------------------------
// Which instructions may read or write a path.

/**
 * Whether any ENV or ARG among the first `end` steps of a walk mentions the name, so a `$VAR` may
 * stand for the path. `end` is where the walk of the asked stage ends (`endOfStage`).
 */
export function varsMention(walk: ChainWalk, end: number, name: string): boolean {
  let vars = varTexts.get(walk);
  if (!vars) {
    // The texts joined by line breaks; lengthBefore[j] is the length of the join of those before step j.
    const texts: string[] = [];
    const lengthBefore = new Int32Array(walk.steps.length + 1);
    let length = 0;
    walk.steps.forEach((s, j) => {
      lengthBefore[j] = length;
      const ins = s.instruction;
      if (ins.keyword !== 'ENV' && ins.keyword !== 'ARG') return;
      const text = ins.argsText;
      length += (texts.length > 0 ? 1 : 0) + text.length;
      texts.push(text);
    });
    lengthBefore[walk.steps.length] = length;
    vars = { text: new TextSearch(texts.join('\n')), lengthBefore };
    varTexts.set(walk, vars);
  }
  return vars.text.occursWithin(name, vars.lengthBefore[Math.max(0, Math.min(end, walk.steps.length))]);
}

const varTexts = new WeakMap<ChainWalk, { text: TextSearch; lengthBefore: Int32Array }>();

/**
 * Substring questions about one text, asked for many names: whether a name occurs within the first
 * `limit` characters, or after an offset. Each name is searched for at most once each way; the
 * first and last place of every three-character piece rule most absent names out without a search.
 */
export class TextSearch {
  private firstOf: Map<number, number> | undefined;
  private lastOf: Map<number, number> | undefined;
  private readonly first = new Map<string, number>();
  private readonly last = new Map<string, number>();

  constructor(readonly text: string) {}

  /** Whether `name` occurs ending at or before offset `limit`. */
  occursWithin(name: string, limit: number): boolean {
    let at = this.first.get(name);
    if (at === undefined) {
      let from = 0;
      if (name.length >= 3) {
        this.firstOf ??= trigramPlaces(this.text, true);
        for (let i = 0; i + 3 <= name.length; i++) {
          const p = this.firstOf.get(trigram(name, i));
          if (p === undefined) {
            this.first.set(name, -1);
            return false;
          }
          // Every occurrence starts at or after p - i.
          from = Math.max(from, p - i);
        }
        if (from + name.length > limit) return false;
      }
      at = this.text.indexOf(name, from);
      this.first.set(name, at);
    }
    return at >= 0 && at + name.length <= limit;
  }

  /** The last offset where `name` occurs, or -1. */
  lastIndexOf(name: string): number {
    let at = this.last.get(name);
    if (at !== undefined) return at;
    let from = this.text.length;
    if (name.length >= 3) {
      this.lastOf ??= trigramPlaces(this.text, false);
      for (let i = 0; i + 3 <= name.length; i++) {
        const p = this.lastOf.get(trigram(name, i));
        if (p === undefined) {
          from = -1;
          break;
        }
        // Every occurrence starts at or before p - i.
        from = Math.min(from, p - i);
      }
    }
    at = from < 0 ? -1 : this.text.lastIndexOf(name, from);
    this.last.set(name, at);
    return at;
  }
}

/** Three UTF-16 units as one number (exact: 48 bits). */
function trigram(s: string, i: number): number {
  return s.charCodeAt(i) * 4294967296 + s.charCodeAt(i + 1) * 65536 + s.charCodeAt(i + 2);
}

/** The first (or last) offset of every three-character piece of a text. */
function trigramPlaces(text: string, first: boolean): Map<number, number> {
  const out = new Map<number, number>();
  for (let i = 0; i + 3 <= text.length; i++) {
    const k = trigram(text, i);
    if (!first || !out.has(k)) out.set(k, i);
  }
  return out;
}

const INERT = new Set(['ENV', 'ARG', 'LABEL', 'EXPOSE', 'USER', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'STOPSIGNAL', 'MAINTAINER', 'SHELL']);

/**
 * Whether an instruction may read or write `path` (conservative: true when unsure). It does when
 * its text names the path's last segment, when it works inside the path, copies over or into it,
 * uses a glob over its folder, or uses a variable that an ENV/ARG could point at it.
 */
export function mayTouch(model: DockerfileModel, step: Step, path: ResolvedPath, vars: boolean): boolean {
  const ins = step.instruction;
  if (INERT.has(ins.keyword)) return false;
  const name = baseName(path);
  if (name === '' || ins.argsText.includes(name)) return true;
  if (ins.keyword === 'WORKDIR') {
    const v = unquoteSimple(ins.argsText);
    const p = v === undefined ? undefined : resolvePath(v, step.ctx, false);
    return p === undefined || isUnder(p, path);
  }
  if (ins.keyword === 'COPY' || ins.keyword === 'ADD') {
    const facts = copyOf(model, ins);
    const targets = facts ? copyTargets(facts, step.ctx) : [];
    if (targets.length === 0) return true;
    return targets.some((t) => isUnder(t.path, path) || (t.kind !== 'file' && isUnder(path, t.path)));
  }
  if (ins.keyword === 'RUN') {
    const run = ins as RunInstruction;
    if (step.ctx.cwd === undefined || isUnder(step.ctx.cwd, path)) return true;
    const { of } = commandContexts(run, step.ctx);
    return run.commands.some((c) => commandTouches(c, of.get(c) ?? step.ctx, path, vars));
  }
  return true;
}

/**
 * Whether one command may read or write `path`: it names the path, a folder above it or something
 * inside it (also as `--opt=/path`), globs over its folder, works in an unknown folder or inside
 * the path, or (with `vars`) uses a variable.
 */
export function commandTouches(c: ShellCommand, ctx: PathContext, path: ResolvedPath, vars: boolean): boolean {
  if (c.name === 'cd' && (ctx.cwd === undefined || isUnder(ctx.cwd, path))) return true;
  const name = baseName(path);
  for (const w of c.words) {
    const v = w.value;
    if (name === '' || v.includes(name)) return true;
    if (vars && v.includes('$')) return true;
    const star = w.quoted && !/[*?]/.test(v) ? -1 : v.search(/[*?]|\[[^\]]+\]/);
    if (star >= 0) {
      const prefix = v.slice(0, star);
      const dir = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) || '/' : '.';
      const resolved = resolvePath(dir, ctx);
      if (resolved === undefined || isUnder(path, resolved) || isUnder(resolved, path)) return true;
      continue;
    }
    const eq = v.indexOf('=');
    for (const candidate of [v, eq >= 0 ? v.slice(eq + 1) : '']) {
      if (candidate === '' || (candidate.startsWith('-') && candidate === v)) continue;
      const r = resolvePath(candidate, ctx);
      if (r !== undefined && (isUnder(path, r) || isUnder(r, path))) return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Edits that take text out of a RUN.

/** The span of whole lines an instruction occupies, with its line break. */
export function instructionLinesSpan(model: DockerfileModel, ins: Instruction): Span {
  const lines = model.lines;
  const startLine = lines.positionAt(ins.span.start).line;
  let end = ins.span.end;
  if (end > ins.span.start && (model.text[end - 1] === '\n' || model.text[end - 1] === '\r')) end--;
  const endLine = lines.positionAt(end).line;
  const start = lines.starts[startLine];
  const next = endLine + 1 < lines.lineCount ? lines.starts[endLine + 1] : model.text.length;
  return { start, end: next };
}

/** An edit deleting an instruction with its lines. */
export function removeInstructionEdit(model: DockerfileModel, ins: Instruction): Edit {
  return { span: instructionLinesSpan(model, ins), text: '' };
}

const JOIN_OK = new Set(['&&', ';', '\n']);

function isConnectorGap(text: string, escape: string, json: boolean): boolean {
  const esc = escape.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  let t = text.replace(new RegExp(`${esc}[ \\t]*\\r?\\n`, 'g'), ' ');
  if (json) t = t.replace(/\\[nt]/g, ' ');
  if (/\n[ \t]*#/.test(text)) return false;
  return /^[ \t\r\n;&]*$/.test(t);
}

/**
 * The real commands of a RUN: those that run something themselves (not `sh -c` wrappers, not the
 * shell named on the first line of a heredoc RUN).
 */
export function realCommands(run: RunInstruction): ShellCommand[] {
  return run.commands.filter((c) => !c.nested && c.words.length > 0 && (run.form !== 'heredoc' || c.script === run.script));
}

/**
 * Edits removing one command from its RUN together with one connector (`&&`, `;` or a newline),
 * so the rest runs as before; the whole instruction when it is the only command. Undefined where
 * that is not plainly sound: pipes, `||`, background jobs, subshells, `then`/`do` bodies,
 * comments or heredoc bodies in the way.
 */
export function removeCommandEdits(model: DockerfileModel, run: RunInstruction, cmd: ShellCommand): { edits: Edit[]; wholeRun: boolean } | undefined {
  const real = realCommands(run);
  if (real.length === 1 && real[0] === cmd) return { edits: [removeInstructionEdit(model, run)], wholeRun: true };
  if (cmd.nested || hasReservedPrefix(cmd) || cmd.words.length === 0) return undefined;
  const script = cmd.script;
  const src = script.source;
  if (src.kind === 'json-array') return undefined;
  const list = script.commands.filter((c) => c.words.length > 0);
  const k = list.indexOf(cmd);
  if (k < 0) return undefined;
  const prev = list[k - 1];
  const next = list[k + 1];
  if (!prev && !next) return undefined;
  const text = model.text;
  const json = src.kind === 'json-string';
  const cmdStart = cmd.words[0].span.start;
  const cmdEnd = endOf(src, cmd.tailEnd - 1);
  const body = text.slice(cmdStart, cmdEnd);
  if (/\n[ \t]*#/.test(body)) return undefined;
  const backward = (): Span | undefined => {
    if (!prev || !prev.separator || !JOIN_OK.has(prev.separator)) return undefined;
    const prevEnd = endOf(src, prev.tailEnd - 1);
    if (!isConnectorGap(text.slice(prevEnd, cmdStart), model.escape, json)) return undefined;
    return { start: prevEnd, end: cmdEnd };
  };
  const forward = (): Span | undefined => {
    if (!next || !cmd.separator || !JOIN_OK.has(cmd.separator)) return undefined;
    const nextStart = next.words[0].span.start;
    if (!isConnectorGap(text.slice(cmdEnd, nextStart), model.escape, json)) return undefined;
    return { start: cmdStart, end: nextStart };
  };
  let span: Span | undefined;
  if (!next) {
    if (cmd.separator !== undefined && !JOIN_OK.has(cmd.separator)) return undefined;
    span = backward();
  } else if (!prev) span = forward();
  else {
    if (!prev.separator || !JOIN_OK.has(prev.separator) || !cmd.separator || !JOIN_OK.has(cmd.separator)) return undefined;
    span = prev.separator === '&&' ? backward() : forward();
  }
  return span ? { edits: [{ span, text: '' }], wholeRun: false } : undefined;
}

/**
 * An edit removing one argument word of a command with the blank before it. Undefined when a
 * redirection, a comment or anything but blanks and line continuations sits between.
 */
export function removeWordEdit(model: DockerfileModel, cmd: ShellCommand, word: ShellWord): Edit | undefined {
  const i = cmd.words.indexOf(word);
  if (i <= cmd.nameIndex) return undefined;
  const prev = cmd.words[i - 1];
  if (cmd.script.source.kind === 'json-array') {
    if (!prev.outer || !word.outer) return undefined;
    if (!/^\s*,\s*$/.test(model.text.slice(prev.outer.end, word.outer.start))) return undefined;
    return { span: { start: prev.outer.end, end: word.outer.end }, text: '' };
  }
  const gap = model.text.slice(prev.span.end, word.span.start);
  if (!isConnectorGap(gap, model.escape, cmd.script.source.kind === 'json-string') || /[;&]/.test(gap)) return undefined;
  return { span: { start: prev.span.end, end: word.span.end }, text: '' };
}

/** `line 4`, `lines 4 and 9`, `lines 2, 4 and 9` (1-based). */
export function linesLabel(model: DockerfileModel, instructions: readonly Instruction[]): string {
  const nums = [...new Set(instructions.map((i) => model.lines.positionAt(i.span.start).line + 1))].sort((a, b) => a - b);
  if (nums.length === 1) return `line ${nums[0]}`;
  if (nums.length > 5) return `lines ${nums.slice(0, 4).join(', ')} and ${nums.length - 4} more`;
  return `lines ${nums.slice(0, -1).join(', ')} and ${nums[nums.length - 1]}`;
}

/** Related locations shown per finding: enough to follow, few enough to read. */
export const MAX_RELATED = 10;

/** The first line of an instruction (for `related` locations on multi-line instructions). */
export function firstLineSpan(model: DockerfileModel, ins: Instruction): Span {
  const line = model.lines.positionAt(ins.span.start).line;
  return { start: ins.span.start, end: Math.min(ins.span.end, model.lines.lineEnd(line)) };
}
