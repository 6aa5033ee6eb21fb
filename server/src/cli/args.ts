// Command-line arguments: what the user asked for, or why the arguments make no sense. Pure: no
// process, no file system, so it can be tested with plain arrays. Rule ids in `--rule` are checked
// later, against the registry (engine/config validateRules).

export type Format = 'stylish' | 'json' | 'sarif';
export type Threshold = 'info' | 'warning' | 'error';
export const FORMATS: readonly Format[] = ['stylish', 'json', 'sarif'];
export const THRESHOLDS: readonly Threshold[] = ['info', 'warning', 'error'];

export interface LintOptions {
  /** Files, folders or `-`; empty means the current folder. */
  paths: string[];
  format: Format;
  output: string | undefined;
  fix: boolean;
  fixDryRun: boolean;
  /** `--rule id=level`, in the order given (later wins). */
  rules: { id: string; level: string }[];
  config: string | undefined;
  target: string | undefined;
  maxWarnings: number | undefined;
  threshold: Threshold;
  color: boolean | undefined;
  quiet: boolean;
  context: string | undefined;
  noContext: boolean;
}

export type CliRequest =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'lint'; options: LintOptions }
  | { kind: 'rules'; format: Format }
  | { kind: 'dockerignore'; dir: string; write: boolean }
  | { kind: 'usage-error'; message: string };

export const USAGE = `Usage: slimfile [options] [PATH...]
       slimfile rules [--format stylish|json]
       slimfile dockerignore [--write] [DIR]

Finds what makes Docker images bigger than they need to be, says what it costs,
and names the fix. PATH is a Dockerfile, a folder (searched for Dockerfile,
Dockerfile.*, *.Dockerfile, *.dockerfile and Containerfile*), or - for standard
input. Without PATH the current folder is searched.

Options:
  -f, --format FORMAT            stylish (default), json or sarif
  -o, --output FILE              Write the report to FILE instead of standard output
      --fix                      Apply every safe fix in place, then report what remains
      --fix-dry-run              Print the safe fixes as a unified diff; change nothing
      --rule ID=LEVEL            Set a rule to off, hint, info, warning or error (repeatable)
  -c, --config FILE              Use this configuration file instead of looking for .slimfile.json
      --target STAGE             Lint as if built with --target STAGE
      --context DIR              The build context (default: from a compose file, else the Dockerfile's folder)
      --no-context               Do not scan the build context (context rules stay quiet)
      --max-warnings N           Exit 1 when there are more than N warnings
      --severity-threshold LEVEL info (default), warning or error: lower findings never fail the run
  -q, --quiet                    Report errors only (and fail only on errors)
      --no-color                 No colours, even on a terminal
  -h, --help                     Show this help
  -v, --version                  Print the version

Commands:
  rules                          List the rules: id, default severity, fixable, description, docs
  dockerignore [--write] [DIR]   Print a .dockerignore for DIR's build context (default: .);
                                 --write creates it, or adds what is missing to the existing one

Examples:
  slimfile                                  lint every Dockerfile below the current folder
  slimfile Dockerfile services/api          lint a file and a folder
  cat Dockerfile | slimfile -               lint standard input
  slimfile --fix .                          fix what can be fixed safely, report the rest
  slimfile --fix-dry-run Dockerfile | less  see the fixes first
  slimfile --format sarif -o slimfile.sarif .
  slimfile --rule consecutive-run=off --severity-threshold error .

Exit codes:
  0  nothing at or above the severity threshold
  1  findings at or above the threshold, or more warnings than --max-warnings
  2  usage error, a file or configuration that cannot be used, or an internal error
`;

/** Options that take a value, by every name they go by. */
const VALUED: Record<string, string> = {
  '-f': 'format',
  '--format': 'format',
  '-o': 'output',
  '--output': 'output',
  '--rule': 'rule',
  '-c': 'config',
  '--config': 'config',
  '--target': 'target',
  '--context': 'context',
  '--max-warnings': 'maxWarnings',
  '--severity-threshold': 'threshold',
};

const FLAGS: Record<string, string> = {
  '--fix': 'fix',
  '--fix-dry-run': 'fixDryRun',
  '--no-context': 'noContext',
  '--no-color': 'noColor',
  '-q': 'quiet',
  '--quiet': 'quiet',
  '--write': 'write',
  '-h': 'help',
  '--help': 'help',
  '-v': 'version',
  '--version': 'version',
};

/**
 * Reads the arguments after `node cli.js`. `--help` and `--version` win over everything else;
 * `--` ends the options, so a file named `-x` can be given as `-- -x`. `--opt=value` and
 * `--opt value` are both accepted.
 */
export function parseArgs(argv: readonly string[]): CliRequest {
  const positional: string[] = [];
  const values: { name: string; value: string }[] = [];
  const flags = new Set<string>();
  let onlyPaths = false;
  let error: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (onlyPaths || arg === '-' || !arg.startsWith('-')) {
      positional.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPaths = true;
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (VALUED[name]) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) error ??= `${name} needs a value`;
      else values.push({ name: VALUED[name], value });
    } else if (FLAGS[name] && eq < 0) flags.add(FLAGS[name]);
    else error ??= `unknown option ${arg}`;
  }
  if (flags.has('help')) return { kind: 'help' };
  if (flags.has('version')) return { kind: 'version' };
  if (error) return usage(error);
  const last = (name: string): string | undefined => values.filter((v) => v.name === name).pop()?.value;

  const format = last('format') ?? 'stylish';
  if (!FORMATS.includes(format as Format)) return usage(`--format must be stylish, json or sarif, not "${format}"`);

  if (positional[0] === 'rules') {
    if (positional.length > 1) return usage('"slimfile rules" takes no paths');
    if (format === 'sarif') return usage('"slimfile rules" prints stylish or json');
    return { kind: 'rules', format: format as Format };
  }
  if (positional[0] === 'dockerignore') {
    if (positional.length > 2) return usage('"slimfile dockerignore" takes one folder');
    return { kind: 'dockerignore', dir: positional[1] ?? '.', write: flags.has('write') };
  }
  if (flags.has('write')) return usage('--write belongs to "slimfile dockerignore"');

  const rules: LintOptions['rules'] = [];
  for (const v of values.filter((x) => x.name === 'rule')) {
    const m = /^([^=]+)=(.*)$/.exec(v.value);
    if (!m) return usage(`--rule takes ID=LEVEL (for example --rule apk-no-cache=off), not "${v.value}"`);
    rules.push({ id: m[1].trim(), level: m[2].trim() });
  }
  let maxWarnings: number | undefined;
  const mw = last('maxWarnings');
  if (mw !== undefined) {
    if (!/^\d+$/.test(mw)) return usage(`--max-warnings takes a whole number, not "${mw}"`);
    maxWarnings = Number(mw);
  }
  const threshold = last('threshold') ?? 'info';
  if (!THRESHOLDS.includes(threshold as Threshold)) return usage(`--severity-threshold must be info, warning or error, not "${threshold}"`);
  if (positional.includes('')) return usage('an empty path was given');
  if (positional.filter((p) => p === '-').length > 1) return usage('standard input (-) can be read only once');
  const fix = flags.has('fix');
  const fixDryRun = flags.has('fixDryRun');
  if (fix && fixDryRun) return usage('use either --fix or --fix-dry-run, not both');
  if (fix && positional.includes('-')) return usage('--fix cannot write back to standard input; use --fix-dry-run');
  const context = last('context');
  if (context !== undefined && flags.has('noContext')) return usage('use either --context or --no-context, not both');
  return {
    kind: 'lint',
    options: {
      paths: positional,
      format: format as Format,
      output: last('output'),
      fix,
      fixDryRun,
      rules,
      config: last('config'),
      target: last('target'),
      maxWarnings,
      threshold: threshold as Threshold,
      color: flags.has('noColor') ? false : undefined,
      quiet: flags.has('quiet'),
      context,
      noContext: flags.has('noContext'),
    },
  };
}

function usage(message: string): CliRequest {
  return { kind: 'usage-error', message };
}
