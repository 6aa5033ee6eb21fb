// Plans a `.dockerignore` for a build context: scans the folder (the existing ignore file not
// applied, so the generator sees everything), keeps what the Dockerfiles copy, and merges the
// result into the ignore file that applies without touching one existing line. Shared by the
// CLI (`slimfile dockerignore`) and the editor command; neither writes anything here.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../analysis/model';
import { generateDockerignore, mergeDockerignore, neededPaths, type Generated, type NeededPath } from './generate';
import { ignoreFileFor, scanContext } from './scan';

export interface DockerignorePlan {
  /** The ignore file to create or extend: `<Dockerfile>.dockerignore` when one exists, else `<root>/.dockerignore`. */
  file: string;
  /** Its current text; undefined when it does not exist yet. */
  existing: string | undefined;
  generated: Generated;
  /** The whole file after the change (the existing text with a marked block appended). */
  text: string;
  /** What is added at the end of the existing text (the whole text for a new file); '' when nothing. */
  appended: string;
  /** Patterns added. */
  added: string[];
  /** The folder was too big to list in full: the patterns cover what was seen. */
  truncated: boolean;
  /** Files listed in the context. */
  files: number;
}

export interface PlanOptions {
  /** Dockerfiles whose COPY/ADD sources must stay in the context (text as the editor holds it). */
  dockerfiles: { file?: string; text: string }[];
  /** The Dockerfile the plan is for: decides the per-Dockerfile ignore file. */
  dockerfile?: string;
  largeFileBytes: number;
  /** `YYYY-MM-DD` for the marked block. */
  date: string;
  maxMs?: number;
  maxEntries?: number;
}

/** Thrown for a root that is not a readable folder or an ignore file that cannot be read. */
export class PlanError extends Error {}

export async function planDockerignore(root: string, options: PlanOptions): Promise<DockerignorePlan> {
  let isDir = false;
  try {
    isDir = fs.statSync(root).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new PlanError(`${root}: no such folder`);
  const needed: NeededPath[] = [];
  for (const d of options.dockerfiles) needed.push(...neededPaths(analyze(d.text).copies()));
  const scan = await scanContext(root, { patterns: [], maxMs: options.maxMs, maxEntries: options.maxEntries });
  const generated = generateDockerignore(scan.sizes, needed, { largeFileBytes: options.largeFileBytes, date: options.date });
  const file = ignoreFileFor(root, options.dockerfile) ?? path.join(root, '.dockerignore');
  let existing: string | undefined;
  try {
    existing = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new PlanError(`${file}: cannot be read (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  const merged = existing === undefined ? { text: generated.text, added: generated.patterns } : mergeDockerignore(existing, generated, options.date);
  const appended = merged.added.length === 0 ? '' : merged.text.slice(existing?.length ?? 0);
  return { file, existing, generated, text: merged.text, appended, added: merged.added, truncated: scan.truncated, files: scan.files };
}
