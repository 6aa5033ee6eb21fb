// The CLI's work, with the process at arm's length (streams, working folder, stdin, colour and
// version are handed in) so it can run in a test: find the Dockerfiles, configure, measure each
// build context, lint (or fix), print, and return the exit code. Dockerfile knowledge stays in the
// engine: the findings are exactly the ones the editor shows for the same text and config.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mergeConfigs, validateRules } from '../engine/config';
import { findConfigFile, isIgnoredByConfig, readConfigFile, type LoadedConfig } from '../engine/config-files';
import { fixAll } from '../engine/fix';
import { lint, type LintConfig } from '../engine/lint';
import type { ContextFacts, Rule, Severity } from '../rules/define';
import { rules as registry } from '../rules';
import { buildContextFor } from '../context/compose';
import { contextFacts } from '../context/facts';
import { ignoreFileFor, scanContext } from '../context/scan';
import { parseArgs, USAGE, type LintOptions } from './args';
import { unifiedDiff } from './diff';
import { decodeDockerfile, findDockerfiles, readDockerfile, writeFileAtomic } from './files';
import { formatJson } from './formatters/json';
import type { FileReport } from './formatters/report';
import { formatSarif } from './formatters/sarif';
import { formatStylish } from './formatters/stylish';
import { runDockerignore, runRules } from './commands';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stdout takes ANSI colours. */
  color: boolean;
  version(): string;
  /** The folder paths are relative to; the process's by default. */
  cwd?: string;
  /** Standard input, read when `-` is given. */
  readStdin?(): Promise<Buffer>;
}

export const EXIT_CLEAN = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_ERROR = 2;

export const STDIN_NAME = '<stdin>';

const RANK: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };

/** Runs the CLI for `argv` (the arguments after the script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo, rules: readonly Rule[] = registry): Promise<number> {
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
    case 'rules':
      return runRules(request.format, io, rules);
    case 'dockerignore':
      return runDockerignore(request.dir, request.write, io);
    case 'lint':
      return lintPaths(request.options, io, rules);
  }
}

interface Target {
  /** As shown to the user. */
  shown: string;
  /** Absolute path; undefined for stdin. */
  file: string | undefined;
  /** Named on the command line (not found by searching a folder). */
  explicit: boolean;
}

async function lintPaths(options: LintOptions, io: CliIo, rules: readonly Rule[]): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  let failed = false;
  const fail = (line: string): void => {
    io.stderr(line + '\n');
    failed = true;
  };

  // --rule flags: the highest layer, checked like a config file's "rules".
  const flagRules = validateRules(Object.fromEntries(options.rules.map((r) => [r.id, r.level])), rules);
  if (flagRules.problems.length > 0) {
    for (const p of flagRules.problems) io.stderr(`slimfile: --rule: ${p.message}\n`);
    return EXIT_ERROR;
  }
  if (options.context !== undefined && !isDirectory(path.resolve(cwd, options.context))) {
    io.stderr(`${options.context}: no such folder (given with --context)\n`);
    return EXIT_ERROR;
  }

  let explicitConfig: LoadedConfig | undefined;
  if (options.config !== undefined) {
    explicitConfig = readConfigFile(path.resolve(cwd, options.config), rules);
    // Reported, then the valid part applies, as for a file found by lookup.
    for (const p of explicitConfig.problems) fail(`${shownPath(p.file, cwd)}: ${p.message}`);
  }

  // What to lint, each file once, in the order given (folders sorted).
  const targets: Target[] = [];
  const seen = new Set<string>();
  const reports: FileReport[] = [];
  for (const given of options.paths.length > 0 ? options.paths : ['.']) {
    if (given === '-') {
      targets.push({ shown: STDIN_NAME, file: undefined, explicit: true });
      continue;
    }
    const abs = path.resolve(cwd, given);
    if (isDirectory(abs)) {
      const found = findDockerfiles(given === '.' ? '.' : given).map((f) => path.resolve(cwd, f));
      if (found.length === 0) {
        fail(`${given}: no Dockerfiles in this folder (looked for Dockerfile, Dockerfile.*, *.Dockerfile, *.dockerfile, Containerfile*)`);
        continue;
      }
      for (const f of found) {
        if (seen.has(f)) continue;
        seen.add(f);
        targets.push({ shown: path.join(given, path.relative(abs, f)), file: f, explicit: false });
      }
      continue;
    }
    if (seen.has(abs)) continue;
    seen.add(abs);
    targets.push({ shown: given, file: abs, explicit: true });
  }

  // Config files, each read once; their problems printed once.
  const configs = new Map<string, LoadedConfig>();
  const configFor = (target: Target): LoadedConfig => {
    if (explicitConfig) return explicitConfig;
    const file = findConfigFile(target.file ?? path.join(cwd, 'Dockerfile'));
    if (!file) return { file: undefined, config: {}, problems: [] };
    let loaded = configs.get(file);
    if (!loaded) {
      loaded = readConfigFile(file, rules);
      configs.set(file, loaded);
      for (const p of loaded.problems) fail(`${shownPath(p.file, cwd)}: ${p.message}`);
    }
    return loaded;
  };

  const contexts = new Map<string, Promise<ContextFacts | undefined>>();
  const contextOf = (target: Target): Promise<ContextFacts | undefined> => {
    if (options.noContext) return Promise.resolve(undefined);
    if (!target.file && options.context === undefined) return Promise.resolve(undefined);
    const choice = options.context !== undefined ? buildContextFor(target.file ?? path.join(cwd, 'Dockerfile'), cwd, options.context) : buildContextFor(target.file!);
    const ignoreFile = ignoreFileFor(choice.root, target.file);
    const key = `${choice.root}\u0000${ignoreFile ?? ''}`;
    let facts = contexts.get(key);
    if (!facts) {
      facts = scanContext(choice.root, { dockerfile: target.file }).then((scan) => (scan.unreadable.includes('.: no such folder') ? undefined : contextFacts(scan)));
      contexts.set(key, facts);
    }
    return facts;
  };

  let fixedFiles = 0;
  let fixedProblems = 0;
  let diffs = '';
  for (const target of targets) {
    const loaded = configFor(target);
    if (target.file && isIgnoredByConfig(target.file, loaded)) {
      if (target.explicit) io.stderr(`${target.shown}: warning: ignored by ${shownPath(loaded.file!, cwd)} ("ignore"); not linted\n`);
      continue;
    }
    const config: LintConfig = mergeConfigs(loaded.config, { rules: flagRules.rules, target: options.target });
    const read = target.file ? readDockerfile(target.file) : decodeDockerfile(await (io.readStdin ?? readProcessStdin)());
    if ('reason' in read) {
      fail(`${target.shown}: ${read.reason}`);
      reports.push({ path: target.shown, lines: undefined, findings: [], error: read.reason });
      continue;
    }
    const context = await contextOf(target);
    let text = read.text;
    if (options.fix || options.fixDryRun) {
      const fixed = fixAll(text, config, rules, context);
      if (fixed.text !== text) {
        const bom = read.bom ? '\uFEFF' : '';
        fixedFiles++;
        fixedProblems += fixed.applied;
        if (options.fix && target.file) writeFileAtomic(target.file, bom + fixed.text);
        else diffs += unifiedDiff(target.shown, target.shown, bom + text, bom + fixed.text);
        text = fixed.text;
      }
    }
    const result = lint(text, config, rules, context);
    if (result.skipped !== undefined || !result.model) {
      const reason = result.skipped ?? 'could not be analysed';
      fail(`${target.shown}: ${reason}`);
      reports.push({ path: target.shown, lines: undefined, findings: [], error: reason });
      continue;
    }
    for (const failure of result.failures) {
      io.stderr(`${target.shown}: warning: rule ${failure.ruleId} failed and its problems are missing; please report this.\n${indent(failure.error)}\n`);
    }
    reports.push({ path: target.shown, lines: result.model.lines, findings: result.findings });
  }

  // --quiet: errors only, in the report and for the exit code.
  const threshold = options.quiet ? 'error' : options.threshold;
  const warnings = reports.reduce((n, r) => n + r.findings.filter((f) => f.severity === 'warning').length, 0);
  const shown = options.quiet ? reports.map((r) => ({ ...r, findings: r.findings.filter((f) => f.severity === 'error') })) : reports;

  if (options.fix && fixedProblems > 0) io.stderr(`Fixed ${count(fixedProblems, 'problem')} in ${count(fixedFiles, 'file')}.\n`);
  if (options.fixDryRun) {
    io.stdout(diffs);
    io.stderr(fixedProblems > 0 ? `--fix would fix ${count(fixedProblems, 'problem')} in ${count(fixedFiles, 'file')} (dry run: nothing written).\n` : 'Nothing to fix.\n');
  }
  const output = formatReport(options, shown, rules, io, cwd);
  if (options.output !== undefined) {
    try {
      writeFileAtomic(path.resolve(cwd, options.output), output);
    } catch (e) {
      io.stderr(`${options.output}: cannot write the report (${e instanceof Error ? e.message : String(e)})\n`);
      return EXIT_ERROR;
    }
  } else if (!options.fixDryRun && (reports.some((r) => r.lines !== undefined) || options.format !== 'stylish')) {
    io.stdout(output);
  }

  if (failed) return EXIT_ERROR;
  const failing = shown.some((r) => r.findings.some((f) => RANK[f.severity] >= RANK[threshold]));
  if (failing) return EXIT_PROBLEMS;
  if (options.maxWarnings !== undefined && warnings > options.maxWarnings) {
    io.stderr(`slimfile: ${count(warnings, 'warning')}, more than --max-warnings ${options.maxWarnings}\n`);
    return EXIT_PROBLEMS;
  }
  return EXIT_CLEAN;
}

function formatReport(options: LintOptions, reports: readonly FileReport[], rules: readonly Rule[], io: CliIo, cwd: string): string {
  switch (options.format) {
    case 'json':
      return formatJson(reports);
    case 'sarif':
      return formatSarif(reports, rules, io.version(), cwd);
    case 'stylish':
      return formatStylish(reports, { color: options.output === undefined && (options.color ?? io.color) });
  }
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** A path for messages: relative to the working folder when inside it. */
function shownPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}

function indent(text: string): string {
  return text
    .split(/\r?\n/)
    .map((l) => '    ' + l.trim())
    .join('\n');
}

async function readProcessStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

export { readDockerfile } from './files';
