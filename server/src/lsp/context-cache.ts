// Build contexts as the server knows them: one background scan per context folder and ignore file,
// shared by every Dockerfile that builds from it, kept until a watched file inside it changes.
// Analysis never waits for a scan: a document is analysed at once without context facts, and again
// when its scan lands (the server subscribes through `onDidScan`).
import * as path from 'node:path';
import { buildContextFor, type ContextChoice } from '../context/compose';
import { contextFacts } from '../context/facts';
import { ignoreFileFor, scanContext, type ContextScan } from '../context/scan';
import type { ContextFacts } from '../rules/define';

/** Where a Dockerfile's build context is, and (once scanned) what it holds. */
export interface ContextState {
  choice: ContextChoice;
  /** The ignore file Docker applies for this Dockerfile, if any. */
  ignoreFile: string | undefined;
  key: string;
  /** Undefined while the scan runs, and when the folder cannot be read. */
  facts: ContextFacts | undefined;
  scan: ContextScan | undefined;
  /** Why there are no facts (missing folder), when the scan ended without them. */
  problem: string | undefined;
}

interface Entry {
  root: string;
  ignoreFile: string | undefined;
  scan?: ContextScan;
  facts?: ContextFacts;
  problem?: string;
  running?: Promise<void>;
  /** Bumped on invalidation, so a scan that started before a change does not store stale facts. */
  generation: number;
}

export interface ContextCacheOptions {
  /** Scan limits (tests pass small ones). */
  maxEntries?: number;
  maxMs?: number;
  /** Called when a scan starts and ends, for progress reporting. */
  onScanStart?(root: string): { done(): void } | undefined;
  /** Called once per scan that could not measure its context (a missing or unreadable folder). */
  onProblem?(problem: string, choice: ContextChoice): void;
}

export class ContextCache {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners: ((key: string) => void)[] = [];
  private readonly rescans = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly options: ContextCacheOptions = {}) {}

  /** Subscribes to finished scans; the key says which context. */
  onDidScan(listener: (key: string) => void): void {
    this.listeners.push(listener);
  }

  /**
   * The context of a Dockerfile on disk: the facts when its scan is done, otherwise a scan is
   * started (once) and the facts come later through `onDidScan`.
   */
  stateFor(dockerfile: string, workspaceRoot: string | undefined, setting: string): ContextState {
    const choice = buildContextFor(dockerfile, workspaceRoot, setting || undefined);
    const ignoreFile = ignoreFileFor(choice.root, dockerfile);
    const key = `${choice.root}\u0000${ignoreFile ?? ''}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { root: choice.root, ignoreFile, generation: 0 };
      this.entries.set(key, entry);
    }
    if (!entry.scan && !entry.running && !entry.problem) this.start(key, entry, dockerfile, choice);
    return { choice, ignoreFile, key, facts: entry.facts, scan: entry.scan, problem: entry.problem };
  }

  /** Waits for a context's running scan, if any (tests, and requests that need the facts). */
  async settled(key: string): Promise<void> {
    await this.entries.get(key)?.running;
  }

  /**
   * A file changed, was created or deleted: every context that holds it (or whose ignore file it
   * is) is scanned again after a short pause, so a burst of changes (an `npm install`) costs one scan.
   */
  invalidate(file: string, delayMs = 500): string[] {
    const touched: string[] = [];
    for (const [key, entry] of this.entries) {
      const rel = path.relative(entry.root, file);
      const inside = rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
      const isIgnoreFile = path.basename(file).endsWith('.dockerignore');
      if (!inside && !isIgnoreFile) continue;
      touched.push(key);
      entry.generation++;
      clearTimeout(this.rescans.get(key));
      this.rescans.set(
        key,
        setTimeout(() => {
          this.rescans.delete(key);
          // The ignore file may have appeared or gone: forget the entry; the next analysis
          // recomputes its key and scans again.
          this.entries.delete(key);
          for (const l of this.listeners) l(key);
        }, delayMs),
      );
    }
    return touched;
  }

  /** Forgets every scan (settings changed). */
  clear(): void {
    for (const t of this.rescans.values()) clearTimeout(t);
    this.rescans.clear();
    for (const e of this.entries.values()) e.generation++;
    this.entries.clear();
  }

  dispose(): void {
    this.clear();
    this.listeners.length = 0;
  }

  private start(key: string, entry: Entry, dockerfile: string, choice: ContextChoice): void {
    const generation = entry.generation;
    const progress = this.options.onScanStart?.(entry.root);
    entry.running = scanContext(entry.root, { dockerfile, maxEntries: this.options.maxEntries, maxMs: this.options.maxMs })
      .then((scan) => {
        if (entry.generation !== generation || this.entries.get(key) !== entry) return;
        const missing = scan.unreadable.find((u) => u.startsWith('.: '));
        if (missing) {
          entry.problem = `the build context ${entry.root} cannot be read (${missing.slice(3)})`;
        } else {
          entry.scan = scan;
          entry.facts = contextFacts(scan);
        }
      })
      .catch((e: unknown) => {
        entry.problem = `scanning the build context ${entry.root} failed: ${e instanceof Error ? e.message : String(e)}`;
      })
      .finally(() => {
        progress?.done();
        entry.running = undefined;
        if (entry.problem && entry.generation === generation) this.options.onProblem?.(entry.problem, choice);
        if (this.entries.get(key) === entry && entry.generation === generation) {
          for (const l of this.listeners) l(key);
        }
      });
  }
}
