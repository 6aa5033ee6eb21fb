// Finding Dockerfiles below a folder, reading one safely, and writing files atomically.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAX_TEXT_LENGTH, unanalysableReason } from '../engine/lint';

/** Names Docker tooling treats as Dockerfiles; `<name>.dockerignore` files sit beside them and are not. */
export function isDockerfileName(name: string): boolean {
  if (name.endsWith('.dockerignore')) return false;
  return name === 'Dockerfile' || name.startsWith('Dockerfile.') || name.endsWith('.Dockerfile') || name.endsWith('.dockerfile') || name.startsWith('Containerfile');
}

/** Folders never searched: installed dependencies and hidden folders (`.git`, `.venv`...). */
function isSkippedFolder(name: string): boolean {
  return name === 'node_modules' || name.startsWith('.');
}

/**
 * The Dockerfiles below `dir` (the folder itself may be hidden), as paths joined to `dir` as
 * given, sorted. Symbolic links to folders are not followed (no loops, no leaving the tree).
 */
export function findDockerfiles(dir: string): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const child = path.join(current, e.name);
      if (e.isDirectory()) {
        if (!isSkippedFolder(e.name)) stack.push(child);
      } else if (isDockerfileName(e.name)) {
        if (e.isFile() || (e.isSymbolicLink() && isFile(child))) out.push(child);
      }
    }
  }
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * UTF-8 takes at most 3 bytes per UTF-16 unit, so a file above this many bytes is certainly over the
 * text limit; it is refused before being read into memory.
 */
const MAX_FILE_BYTES = 3 * MAX_TEXT_LENGTH;

/** Decodes Dockerfile bytes: UTF-8 without a byte order mark, line breaks kept as written. */
export function decodeDockerfile(bytes: Buffer): { text: string; bom: boolean } | { reason: string } {
  if (bytes.length > MAX_FILE_BYTES) return { reason: tooLarge(bytes.length) };
  let text = bytes.toString('utf8');
  const bom = text.charCodeAt(0) === 0xfeff;
  if (bom) text = text.slice(1);
  const reason = unanalysableReason(text);
  return reason ? { reason } : { text, bom };
}

/**
 * Reads a Dockerfile, or says in a few words why it cannot be analysed: missing, a directory,
 * unreadable, binary, too large.
 */
export function readDockerfile(file: string): { text: string; bom: boolean } | { reason: string } {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    return { reason: describeFsError(e) };
  }
  if (stat.isDirectory()) return { reason: 'is a directory, not a Dockerfile' };
  // Pipes (`<(...)`) are fine; devices and sockets might never end.
  if (!stat.isFile() && !stat.isFIFO()) return { reason: 'not a regular file' };
  if (stat.size > MAX_FILE_BYTES) return { reason: tooLarge(stat.size) };
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    return { reason: describeFsError(e) };
  }
  return decodeDockerfile(bytes);
}

function tooLarge(bytes: number): string {
  return `file too large to analyse (${(bytes / 1048576).toFixed(1)} MB; the limit is ${MAX_TEXT_LENGTH / 1048576} MB)`;
}

const FS_REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'no such file (a part of the path is not a directory)',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory, not a Dockerfile',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
};

export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code && FS_REASONS[code]) return FS_REASONS[code];
  const message = e instanceof Error ? e.message : String(e);
  return `cannot be read (${message})`;
}

/**
 * Writes `text` to `file` atomically: a temporary file in the same folder (same file system, so the
 * rename is atomic), then a rename over the target. The target's permission bits are kept. A
 * reader never sees half a file, and a failed write leaves the old file as it was. A symbolic
 * link is followed, so the link stays a link.
 */
export function writeFileAtomic(target: string, text: string): void {
  // Through a symbolic link, the file it points to is replaced, not the link.
  let file = path.resolve(target);
  try {
    file = fs.realpathSync(file);
  } catch {
    // A new file: written where it was named.
  }
  const dir = path.dirname(file);
  let mode: number | undefined;
  try {
    mode = fs.statSync(file).mode & 0o7777;
  } catch {
    mode = undefined;
  }
  const tmp = path.join(dir, `.${path.basename(file)}.slimfile-${process.pid}-${Date.now()}.tmp`);
  try {
    fs.writeFileSync(tmp, text, mode === undefined ? undefined : { mode });
    if (mode !== undefined) fs.chmodSync(tmp, mode);
    fs.renameSync(tmp, file);
  } catch (e) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // Nothing more can be done; the original error says what went wrong.
    }
    throw e;
  }
}
