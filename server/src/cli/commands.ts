// The subcommands: `slimfile rules` (the rule list) and `slimfile dockerignore` (a .dockerignore
// for a build context, printed or merged into the existing file without touching a user line).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Rule } from '../rules/define';
import { planDockerignore, PlanError, type DockerignorePlan } from '../context/plan';
import type { Format } from './args';
import { findDockerfiles, readDockerfile, writeFileAtomic } from './files';
import type { CliIo } from './run';

/** Files at least this big get a line of their own in a generated .dockerignore (50 MB). */
export const LARGE_FILE_BYTES = 50 * 1000 * 1000;

export function runRules(format: Format, io: CliIo, rules: readonly Rule[]): number {
  if (format === 'json') {
    const list = rules.map((r) => ({
      id: r.meta.id,
      defaultSeverity: r.meta.defaultSeverity,
      fixable: r.meta.fixable,
      description: r.meta.description,
      docsUrl: r.meta.docsUrl,
      hadolint: r.meta.hadolint ?? [],
    }));
    io.stdout(JSON.stringify(list, null, 2) + '\n');
    return 0;
  }
  const header = ['RULE', 'SEVERITY', 'FIX', 'DESCRIPTION'];
  const rows = rules.map((r) => [r.meta.id, r.meta.defaultSeverity, r.meta.fixable ? 'yes' : 'no', r.meta.description]);
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((row) => row[k].length)));
  const line = (cells: string[]): string => cells.map((c, k) => (k === cells.length - 1 ? c : c.padEnd(widths[k]))).join('  ');
  const out = [line(header), ...rows.map(line)];
  out.push('', 'Docs:');
  for (const r of rules) out.push(`  ${r.meta.id.padEnd(widths[0])}  ${r.meta.docsUrl}`);
  io.stdout(out.join('\n') + '\n');
  return 0;
}

/** Today in UTC, `YYYY-MM-DD`, for the header of a merged block. */
function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export async function runDockerignore(dir: string, write: boolean, io: CliIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const root = path.resolve(cwd, dir);
  let isDir = false;
  try {
    isDir = fs.statSync(root).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) {
    io.stderr(`${dir}: no such folder\n`);
    return 2;
  }
  // What every Dockerfile of the folder copies must stay in the context.
  const dockerfiles: { file: string; text: string }[] = [];
  const found = findDockerfiles(root);
  for (const file of found) {
    const read = readDockerfile(file);
    if ('reason' in read) {
      io.stderr(`${path.relative(cwd, file) || file}: ${read.reason}; what it copies is not taken into account\n`);
      continue;
    }
    dockerfiles.push({ file, text: read.text });
  }
  if (found.length === 0) io.stderr(`${dir}: no Dockerfiles found; nothing is known to be needed by the build\n`);
  let plan: DockerignorePlan;
  try {
    plan = await planDockerignore(root, { dockerfiles, largeFileBytes: LARGE_FILE_BYTES, date: today() });
  } catch (e) {
    if (!(e instanceof PlanError)) throw e;
    io.stderr(`${e.message}\n`);
    return 2;
  }
  if (plan.truncated) io.stderr(`${dir}: the folder is too big to list in full; the patterns cover what was seen\n`);
  if (!write) {
    if (plan.generated.text === '') io.stderr('Nothing to ignore: the folder holds nothing the generator knows to leave out.\n');
    io.stdout(plan.generated.text);
    return 0;
  }
  const shown = path.relative(cwd, plan.file) || plan.file;
  if (plan.added.length === 0) {
    io.stdout(`${shown}: nothing to add\n`);
    return 0;
  }
  try {
    writeFileAtomic(plan.file, plan.text);
  } catch (e) {
    io.stderr(`${shown}: cannot be written (${e instanceof Error ? e.message : String(e)})\n`);
    return 2;
  }
  const verb = plan.existing === undefined ? 'Created' : 'Added to';
  io.stdout(`${verb} ${shown} (${plan.added.length} ${plan.added.length === 1 ? 'pattern' : 'patterns'}):\n${plan.added.map((p) => `  ${p}\n`).join('')}`);
  return 0;
}
