// Command-line arguments: what the user asked for, or why the arguments make no sense. Pure: no
// process, no file system, so it can be tested with plain arrays.

export type CliRequest =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'lint'; files: string[] }
  | { kind: 'usage-error'; message: string };

export const USAGE = `Usage: slimfile [options] <Dockerfile>...

Finds what makes Docker images bigger than they need to be, says what it costs,
and names the fix.

Options:
  -h, --help     Show this help
  -v, --version  Print the version

Each problem is printed as: path:line:column  severity  rule-id  message

Exit codes:
  0  no problems
  1  problems found
  2  usage error, a file that cannot be read, or an internal error
`;

/**
 * Reads the arguments after `node cli.js`. `--help` and `--version` win over everything else;
 * `--` ends the options, so a file named `-x` can be given as `-- -x`.
 */
export function parseArgs(argv: readonly string[]): CliRequest {
  const files: string[] = [];
  let help = false;
  let version = false;
  let unknown: string | undefined;
  let onlyFiles = false;
  for (const arg of argv) {
    if (onlyFiles || arg === '-' || !arg.startsWith('-')) {
      files.push(arg);
      continue;
    }
    if (arg === '--') onlyFiles = true;
    else if (arg === '-h' || arg === '--help') help = true;
    else if (arg === '-v' || arg === '--version') version = true;
    else unknown ??= arg;
  }
  if (help) return { kind: 'help' };
  if (version) return { kind: 'version' };
  if (unknown !== undefined) return { kind: 'usage-error', message: `unknown option ${unknown}` };
  if (files.length === 0) return { kind: 'usage-error', message: 'no Dockerfile given' };
  if (files.includes('-')) return { kind: 'usage-error', message: 'reading from standard input (-) is not supported yet; give a file path' };
  if (files.includes('')) return { kind: 'usage-error', message: 'an empty file path was given' };
  return { kind: 'lint', files };
}
