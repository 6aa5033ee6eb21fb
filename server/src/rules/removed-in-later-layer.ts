// Flags `rm` in a RUN that deletes what an earlier layer added (COPY/ADD, a download, a clone, an
// unpacked archive, a folder filled in earlier layers): the earlier layer keeps every byte, so the
// deletion frees nothing. Quiet when the add and the rm share a RUN, in build-only stages, and for
// paths that cannot be resolved (variables, globs other than a trailing `/*`).
import { RunInstruction, type CopyFacts, type DockerfileModel, type Instruction, type ShellCommand, type Stage } from '../analysis/model';
import type { Edit } from '../analysis/text';
import { defineRule, type ContextFacts, type Finding, type Fix, type Related } from './define';
import { formatSize } from './format';
import {
  baseName,
  commandAdds,
  commandContexts,
  commandTouches,
  copyOf,
  copyTargets,
  dirExistsBefore,
  dirName,
  endOfStage,
  firstLineSpan,
  imageWalk,
  isGitSource,
  isUnder,
  linesLabel,
  looksLikeFile,
  mayTouch,
  MAX_RELATED,
  parseArgs,
  removeCommandEdits,
  removeInstructionEdit,
  removes,
  removeWordEdit,
  resolvePath,
  rmPaths,
  SHELL_SAFE_PATH,
  tarFacts,
  unzipFacts,
  underKeys,
  varsMention,
  type ChainWalk,
  type PathContext,
  type RemovedPath,
  type Step,
  type Target,
} from './paths';

/** Something added by one instruction that is still in the file system. */
interface Added {
  ins: Instruction;
  stage: Stage;
  /** Index of the adding instruction among the walked steps. */
  step: number;
  /** The RUN command that added it. */
  cmd?: ShellCommand;
  copy?: CopyFacts;
  targets: Target[];
  how: string;
}

/** Characters allowed in `--mount` option values (no commas or equals signs). */
const MOUNT_SAFE = /^[A-Za-z0-9_@%+:./-]+$/;

/** Commands that only read a file, so they work on a read-only bind mount. */
const READERS = new Set(['tar', 'bsdtar', 'unzip', 'sha256sum', 'sha1sum', 'sha512sum', 'md5sum', 'cksum', 'dpkg', 'rpm', 'apt-get', 'apt', 'pip', 'pip3', 'sh', 'bash', 'python', 'python3', 'java', '7z', 'gpg', 'cat']);

const HOW: Record<string, string> = {
  copied: 'copied',
  added: 'added by ADD',
  downloaded: 'downloaded',
  cloned: 'cloned',
  unpacked: 'unpacked',
  created: 'created and filled',
  moved: 'moved there',
};

export default defineRule({
  meta: {
    id: 'removed-in-later-layer',
    description: 'Files deleted in a later layer than the one that added them still take space in the image',
    defaultSeverity: 'warning',
    fixable: false,
    hasSuggestions: true,
    messages: {
      removedLater:
        'Deleting {path} here frees nothing: it was {how} in an earlier layer ({where}), which keeps it in the image{size}. Delete it in the RUN that creates it, or keep it out of the image with a bind mount or a build stage.',
    },
  },
  check({ model, target, context }) {
    // One walk through the image's stages, root first: a stage starts with what its parent left in
    // the file system, and each rm is reported in its own stage.
    return checkChain(model, imageWalk(model, target), context);
  },
});

/**
 * What is still in the file system, in the order it was added, found by path: `under` holds each
 * add under every folder above or at its targets' paths (the keys of `underKeys`), `at` under each
 * target's exact path. An rm only looks at the adds under the path it deletes.
 */
class LiveAdds {
  private readonly all = new Set<Added>();
  private readonly under = new Map<string, Set<Added>>();
  private readonly at = new Map<string, Set<Added>>();

  add(a: Added): void {
    this.all.add(a);
    for (const t of a.targets) {
      for (const k of underKeys(t.path)) bucket(this.under, k).add(a);
      bucket(this.at, t.path).add(a);
    }
  }

  delete(a: Added): void {
    if (!this.all.delete(a)) return;
    for (const t of a.targets) {
      for (const k of underKeys(t.path)) drop(this.under, k, a);
      drop(this.at, t.path, a);
    }
  }

  /** The adds with a target at or under `path`, in the order they were added. */
  underPath(path: string): Added[] {
    const found = path === '' ? this.all : this.under.get(path);
    return found ? [...found] : [];
  }

  /** The adds with a target exactly at `path`. */
  atPath(path: string): Added[] {
    const found = this.at.get(path);
    return found ? [...found] : [];
  }
}

function bucket(map: Map<string, Set<Added>>, key: string): Set<Added> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}

function drop(map: Map<string, Set<Added>>, key: string, a: Added): void {
  const set = map.get(key);
  if (set && set.delete(a) && set.size === 0) map.delete(key);
}

function checkChain(model: DockerfileModel, walk: ChainWalk, context: ContextFacts | undefined): Finding[] {
  const findings: Finding[] = [];
  const { steps } = walk;
  const live = new LiveAdds();
  steps.forEach((step, si) => {
    const ins = step.instruction;
    if (ins.keyword === 'COPY' || ins.keyword === 'ADD') {
      const copy = copyOf(model, ins);
      if (!copy) return;
      const targets = copyTargets(copy, step.ctx);
      if (targets.length === 0) return;
      const remote = copy.sources.some((s) => /^https?:\/\//i.test(s.value) && !isGitSource(s.value));
      live.add({ ins, stage: step.stage, step: si, copy, targets, how: ins.keyword === 'COPY' ? 'copied' : remote ? 'downloaded' : 'added' });
      return;
    }
    if (!(ins instanceof RunInstruction)) return;
    const { of } = commandContexts(ins, step.ctx);
    for (const cmd of ins.commands) {
      const ctx = of.get(cmd) ?? step.ctx;
      if (cmd.name === 'rm') {
        for (const r of rmPaths(cmd, ctx)) {
          // removes(r, t) holds only for targets at or under r.path.
          const hit = live.underPath(r.path).filter((a) => a.targets.some((t) => removes(r, t) && (!t.empty || wasFilled(steps, a, si, ins, cmd, t))));
          if (hit.length === 0) continue;
          for (const a of hit) live.delete(a);
          const earlier = hit.filter((a) => a.ins !== ins);
          if (earlier.length > 0) findings.push(report(model, walk, si, ins, cmd, ctx, r, earlier, context));
        }
        continue;
      }
      if (cmd.name === 'mv') {
        // What is moved away is no longer at its old path: a later rm there deletes nothing of it.
        const p = parseArgs(cmd.args, 'tS', new Set(['--target-directory', '--suffix']));
        const movedTo = p.options.some((o) => o.name === '-t' || o.name === '--target-directory');
        const sources = movedTo ? p.positionals : p.positionals.slice(0, -1);
        for (const w of sources) {
          const path = resolvePath(w.value, ctx);
          if (path) for (const a of live.atPath(path)) live.delete(a);
        }
      }
      const add = commandAdds(cmd, ctx);
      if (add) live.add({ ins, stage: step.stage, step: si, cmd, targets: add.targets, how: add.how });
    }
  });
  return findings;
}

/** Commands that write nothing, allowed before an `rm` that deletes a folder made by `mkdir`. */
const QUIET = new Set(['set', 'echo', 'true', ':', 'printf']);

/**
 * A folder made by `mkdir` holds nothing by itself. It counts when commands ran inside it before
 * the RUN that deletes it (later in the mkdir's RUN after a `cd`, or in a RUN in between), and the
 * `rm` comes first in its own RUN, so nothing there filled the folder just before deleting it.
 */
function wasFilled(steps: readonly Step[], added: Added, rmStep: number, run: RunInstruction, rm: ShellCommand, t: Target): boolean {
  if (added.ins === run) return true;
  const startCwd = steps[rmStep].ctx.cwd;
  if (startCwd === undefined || isUnder(startCwd, t.path)) return false;
  for (const c of run.commands) {
    if (c.index >= rm.index) break;
    if (!c.nested && !QUIET.has(c.name)) return false;
  }
  const worksInside = (run2: RunInstruction, start: Step, after: number): boolean => {
    const { of } = commandContexts(run2, start.ctx);
    return run2.commands.some((c) => {
      const cwd = (of.get(c) ?? start.ctx).cwd;
      return c.index > after && !c.nested && c.name !== 'cd' && !QUIET.has(c.name) && cwd !== undefined && isUnder(cwd, t.path);
    });
  };
  if (added.cmd && added.ins instanceof RunInstruction && worksInside(added.ins, steps[added.step], added.cmd.index)) return true;
  for (let j = added.step + 1; j < rmStep; j++) {
    const ins = steps[j].instruction;
    if (ins instanceof RunInstruction && worksInside(ins, steps[j], -1)) return true;
  }
  return false;
}

function relatedOf(model: DockerfileModel, a: Added): Related {
  const how = HOW[a.how] ?? 'added';
  const message = `${how[0].toUpperCase()}${how.slice(1)} here`;
  return { span: a.cmd ? a.cmd.span : firstLineSpan(model, a.ins), message };
}

function sizeOf(a: Added, context: ContextFacts | undefined): number | undefined {
  if (!context || !a.copy || a.copy.from !== undefined || a.copy.heredoc) return undefined;
  let total = 0;
  for (const s of a.copy.sources) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s.value)) return undefined;
    const m = context.measure(s.value);
    if (!m) return undefined;
    total += m.bytes;
  }
  return total;
}

function report(
  model: DockerfileModel,
  walk: ChainWalk,
  si: number,
  run: RunInstruction,
  rm: ShellCommand,
  ctx: PathContext,
  r: RemovedPath,
  earlier: Added[],
  context: ContextFacts | undefined,
): Finding {
  const sizes = earlier.map((a) => sizeOf(a, context));
  const size = sizes.every((s): s is number => s !== undefined) ? ` (${formatSize(sizes.reduce((x, y) => x + y, 0))})` : '';
  const how = earlier.length === 1 ? (HOW[earlier[0].how] ?? 'added') : 'added';
  const fixes: Fix[] = [];
  if (earlier.length === 1) {
    const move = moveFix(model, walk, si, run, rm, ctx, r, earlier[0]);
    if (move) fixes.push(move);
    const mount = bindMountFix(model, walk, si, run, rm, r, earlier[0]);
    if (mount) fixes.push(mount);
  }
  return {
    span: r.word.span,
    messageId: 'removedLater',
    data: { path: r.word.value, how, where: linesLabel(model, earlier.map((a) => a.ins)), size },
    related: earlier.slice(0, MAX_RELATED).map((a) => relatedOf(model, a)),
    fixes: fixes.length > 0 ? fixes : undefined,
  };
}

/** Edits taking one path out of an `rm`: the word, or the whole command when it is the only path. */
function dropFromRm(model: DockerfileModel, run: RunInstruction, rm: ShellCommand, r: RemovedPath): { edits: Edit[]; wholeRun: boolean } | undefined {
  if (rm.positionals().length === 1) return removeCommandEdits(model, run, rm);
  const e = removeWordEdit(model, rm, r.word);
  return e ? { edits: [e], wholeRun: false } : undefined;
}

/** Whether nothing between the add and the rm (nor earlier in the rm's RUN) may use the path. */
function untouchedBetween(model: DockerfileModel, walk: ChainWalk, from: number, to: number, run: RunInstruction, rm: ShellCommand, path: string): boolean {
  const { steps } = walk;
  const vars = varsMention(walk, endOfStage(walk, steps[to].stage), baseName(path));
  for (let j = from + 1; j < to; j++) if (mayTouch(model, steps[j], path, vars)) return false;
  const { of } = commandContexts(run, steps[to].ctx);
  for (const c of run.commands) {
    if (c.index >= rm.index) break;
    if (c === rm || c.nested) continue;
    if (commandTouches(c, of.get(c) ?? steps[to].ctx, path, vars)) return false;
  }
  return true;
}

/** "Delete it in the RUN that creates it": append `rm -rf` there and drop the path from this rm. */
function moveFix(model: DockerfileModel, walk: ChainWalk, si: number, run: RunInstruction, rm: ShellCommand, ctx: PathContext, r: RemovedPath, a: Added): Fix | undefined {
  const { steps } = walk;
  if (!(a.ins instanceof RunInstruction) || a.stage !== steps[si].stage || r.contents) return undefined;
  if (!a.targets.some((t) => t.path === r.path)) return undefined;
  if (!untouchedBetween(model, walk, a.step, si, run, rm, r.path)) return undefined;
  const endCwd = commandContexts(a.ins, steps[a.step].ctx).end.cwd;
  let written: string | undefined;
  if (!r.word.value.startsWith('/') && endCwd !== undefined && endCwd === ctx.cwd && SHELL_SAFE_PATH.test(r.word.value) && !r.word.value.startsWith('~')) written = r.word.value;
  else if (r.path.startsWith('/') && SHELL_SAFE_PATH.test(r.path)) written = r.path;
  if (!written) return undefined;
  const append = a.ins.appendCommand(`rm -rf ${written}`);
  if (!append) return undefined;
  const drop = dropFromRm(model, run, rm, r);
  if (!drop) return undefined;
  const line = model.lines.positionAt(a.ins.span.start).line + 1;
  return { title: `Delete ${written} in the RUN on line ${line} instead`, safe: false, preferred: true, edits: [append, ...drop.edits] };
}

/** Whether a command only reads `path` (so it also works on a read-only bind mount). */
function onlyReads(c: ShellCommand, ctx: PathContext, path: string): boolean {
  if (!READERS.has(c.name)) return false;
  const tar = tarFacts(c);
  if (tar) return tar.archive !== undefined && resolvePath(tar.archive, ctx) === path && !c.hasFlag('-c', '--create', '-r', '--append', '-u', '--update', '--delete', '-A');
  const unzip = unzipFacts(c);
  if (c.name === 'unzip') return unzip !== undefined && resolvePath(unzip.archive, ctx) === path;
  return true;
}

/**
 * For a file COPY'd only to be read by one later RUN and deleted there: drop the COPY and mount
 * the file into that RUN (`RUN --mount=type=bind,...`), so it never becomes a layer.
 */
function bindMountFix(model: DockerfileModel, walk: ChainWalk, si: number, run: RunInstruction, rm: ShellCommand, r: RemovedPath, a: Added): Fix | undefined {
  const { steps } = walk;
  const copy = a.copy;
  if (!copy || a.ins.keyword !== 'COPY' || a.stage !== steps[si].stage || r.contents) return undefined;
  if (copy.heredoc || copy.sources.length !== 1 || !copy.dest) return undefined;
  if (a.ins.flags.some((f) => f.name !== 'from')) return undefined;
  const src = copy.sources[0].value;
  const name = baseName(src);
  if (/[*?[$]/.test(src) || src.endsWith('/') || !looksLikeFile(name)) return undefined;
  // The copied file itself: `dest/<name>`, or `dest` when it names a file (not a folder such as /tmp).
  const fileTarget = a.targets.find((t) => t.path === r.path && (baseName(t.path) === name || t.fileLike === true));
  if (!fileTarget || !r.path.startsWith('/') || !MOUNT_SAFE.test(r.path)) return undefined;
  const source = copy.from === undefined ? src.replace(/^(?:\.\/+|\/+)+/, '') : src;
  if (source === '' || !MOUNT_SAFE.test(source) || (copy.from !== undefined && !MOUNT_SAFE.test(copy.from))) return undefined;
  // The folder must exist without the COPY, which created it when it was missing.
  if (!dirExistsBefore(walk, a.step, dirName(r.path))) return undefined;
  if (run.mounts.some((m) => m.target === r.path)) return undefined;
  if (!untouchedBetweenSteps(model, walk, a.step, si, r.path)) return undefined;
  const { of } = commandContexts(run, steps[si].ctx);
  let reads = 0;
  for (const c of run.commands) {
    if (c === rm || c.nested) continue;
    const ctx = of.get(c) ?? steps[si].ctx;
    if (!commandTouches(c, ctx, r.path, false)) continue;
    if (c.index > rm.index || !onlyReads(c, ctx, r.path)) return undefined;
    reads++;
  }
  if (reads === 0) return undefined;
  const drop = dropFromRm(model, run, rm, r);
  if (!drop || drop.wholeRun) return undefined;
  const from = copy.from === undefined ? '' : `,from=${copy.from}`;
  const at = run.keywordSpan.end;
  return {
    title: `Bind-mount ${name} in this RUN instead of copying it`,
    safe: false,
    edits: [removeInstructionEdit(model, a.ins), { span: { start: at, end: at }, text: ` --mount=type=bind,source=${source}${from},target=${r.path}` }, ...drop.edits],
  };
}

function untouchedBetweenSteps(model: DockerfileModel, walk: ChainWalk, from: number, to: number, path: string): boolean {
  const { steps } = walk;
  const vars = varsMention(walk, endOfStage(walk, steps[to].stage), baseName(path));
  for (let j = from + 1; j < to; j++) if (mayTouch(model, steps[j], path, vars)) return false;
  return true;
}
