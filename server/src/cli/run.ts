// The CLI's work, with the process at arm's length (output streams, colour and version are handed
// in) so it can run in a test: read each file, lint it, print the problems, return the exit code.
import * as fs from 'node:fs';
import { LineIndex } from '../analysis/text';
import { lint, MAX_TEXT_LENGTH, unanalysableReason } from '../engine/lint';
import type { Rule } from '../rules/define';
import { rules as registry } from '../rules';
import { parseArgs, USAGE } from './args';
import { formatStylish, type FileReport } from './formatters/stylish';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stdout takes ANSI colours. */
  color: boolean;
  version(): string;
}

export const EXIT_CLEAN = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_ERROR = 2;

/** Runs the CLI for `argv` (the arguments after the script) and returns the exit code. */
export function runCli(argv: readonly string[], io: CliIo, rules: readonly Rule[] = registry): number {
  const request = parseArgs(argv);
  switch (request.kind) {
    case 'help':
      io.stdout(USAGE);
      return EXIT_CLEAN;
    case 'version':
      io.stdout(io.version() + '\n');
      return EXIT_CLEAN;
    case 'usage-error':
      io.stderr(`slimfile: ${request.message}\n\n${USAGE}`);
      return EXIT_ERROR;
    case 'lint':
      return lintFiles(request.files, io, rules);
  }
}

function lintFiles(files: readonly string[], io: CliIo, rules: readonly Rule[]): number {
  const reports: FileReport[] = [];
  let unreadable = 0;
  for (const file of files) {
    const read = readDockerfile(file);
    if ('reason' in read) {
      io.stderr(`${file}: ${read.reason}\n`);
      unreadable++;
      continue;
    }
    const result = lint(read.text, {}, rules);
    if (result.skipped) {
      io.stderr(`${file}: ${result.skipped}\n`);
      unreadable++;
      continue;
    }
    for (const failure of result.failures) {
      io.stderr(`${file}: warning: rule ${failure.ruleId} failed and its problems are missing; please report this.\n${indent(failure.error)}\n`);
    }
    reports.push({ path: file, lines: result.model?.lines ?? new LineIndex(read.text), findings: result.findings });
  }
  if (reports.length > 0) io.stdout(formatStylish(reports, { color: io.color }));
  if (unreadable > 0) return EXIT_ERROR;
  return reports.some((r) => r.findings.length > 0) ? EXIT_PROBLEMS : EXIT_CLEAN;
}

function indent(text: string): string {
  return text
    .split(/\r?\n/)
    .map((l) => '    ' + l.trim())
    .join('\n');
}

/**
 * UTF-8 takes at most 3 bytes per UTF-16 unit, so a file above this many bytes is certainly over the
 * text limit; it is refused before being read into memory.
 */
const MAX_FILE_BYTES = 3 * MAX_TEXT_LENGTH;

/**
 * Reads a Dockerfile as UTF-8 without its byte order mark (line breaks kept as written), or says in
 * a few words why it cannot be analysed: missing, a directory, unreadable, binary, too large.
 */
export function readDockerfile(file: string): { text: string } | { reason: string } {
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
  if (bytes.length > MAX_FILE_BYTES) return { reason: tooLarge(bytes.length) };
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const reason = unanalysableReason(text);
  return reason ? { reason } : { text };
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

function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code && FS_REASONS[code]) return FS_REASONS[code];
  const message = e instanceof Error ? e.message : String(e);
  return `cannot be read (${message})`;
}
