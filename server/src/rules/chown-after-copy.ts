// Flags `RUN chown -R` / `chmod -R` (or a plain chown/chmod of one copied file) over what an earlier
// COPY/ADD put there: changing the owner or mode of a file in a later layer stores the whole file
// again, so the copied size is paid twice. Quiet in build-only stages and for paths no COPY fed.
import { RunInstruction, type CopyFacts, type DockerfileModel, type Instruction, type ShellCommand, type ShellWord, type Stage } from '../analysis/model';
import type { Edit } from '../analysis/text';
import { defineRule, type ContextFacts, type Finding, type Fix } from './define';
import { formatSize } from './format';
import {
  commandContexts,
  commandTouches,
  copyOf,
  copyTargets,
  endOfStage,
  firstLineSpan,
  imageWalk,
  isUnder,
  linesLabel,
  mayTouch,
  MAX_RELATED,
  parseArgs,
  realCommands,
  removeCommandEdits,
  removeWordEdit,
  resolvePath,
  underKeys,
  varsMention,
  baseName,
  type ChainWalk,
  type ResolvedPath,
  type Step,
  type Target,
} from './paths';

interface Feed {
  ins: Instruction;
  copy: CopyFacts;
  targets: Target[];
  step: number;
  stage: Stage;
}

interface FedPath {
  word: ShellWord;
  path: ResolvedPath;
  feeds: Feed[];
  /** Every copied thing it covers is exactly this one file. */
  fileOnly: boolean;
}

const NAME = '[A-Za-z0-9_][A-Za-z0-9_-]*';
const VAR = '\\$[A-Za-z_][A-Za-z0-9_]*|\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}';
const OCTAL = /^(?:0?[0-7]{3}|[0-7]{4})$/;
/** Options that do not change what chown/chmod does to the files. */
const HARMLESS = new Set(['-R', '--recursive', '-v', '--verbose', '-c', '--changes', '-f', '--silent', '--quiet']);

export default defineRule({
  meta: {
    id: 'chown-after-copy',
    description: 'chown or chmod after COPY stores every copied file a second time',
    defaultSeverity: 'warning',
    fixable: true,
    hasSuggestions: true,
    messages: {
      recursive: '{command} on {path} rewrites every file {source} added, so each is stored twice: this layer repeats {size}. {advice}',
      single: '{command} on {path} stores the file {source} added a second time{size}. {advice}',
    },
  },
  check({ model, target, context }) {
    // One walk through the image's stages, root first: each stage sees what its ancestors copied.
    return checkChain(model, imageWalk(model, target), context);
  },
});

/**
 * The COPYs and ADDs so far, in order, found by path: `under` holds each under every folder above
 * or at its targets' paths (`underKeys`), `at` under each target's exact path.
 */
class Feeds {
  private readonly under = new Map<string, Feed[]>();
  private readonly at = new Map<string, Feed[]>();
  private readonly all: Feed[] = [];

  add(f: Feed): void {
    this.all.push(f);
    for (const t of f.targets) {
      for (const k of underKeys(t.path)) push(this.under, k, f);
      push(this.at, t.path, f);
    }
  }

  /** Feeds with a target at or under `path` (recursive), or exactly at it, in order. */
  candidates(path: string, recursive: boolean): readonly Feed[] {
    if (recursive && path === '') return this.all;
    return (recursive ? this.under : this.at).get(path) ?? [];
  }
}

function push(map: Map<string, Feed[]>, key: string, f: Feed): void {
  const list = map.get(key);
  if (!list) map.set(key, [f]);
  else if (list[list.length - 1] !== f) list.push(f);
}

function checkChain(model: DockerfileModel, walk: ChainWalk, context: ContextFacts | undefined): Finding[] {
  const findings: Finding[] = [];
  const feeds = new Feeds();
  walk.steps.forEach((step, si) => {
    const ins = step.instruction;
    if (ins.keyword === 'COPY' || ins.keyword === 'ADD') {
      const copy = copyOf(model, ins);
      const targets = copy ? copyTargets(copy, step.ctx) : [];
      if (copy && targets.length > 0) feeds.add({ ins, copy, targets, step: si, stage: step.stage });
      return;
    }
    if (!(ins instanceof RunInstruction)) return;
    const { of } = commandContexts(ins, step.ctx);
    for (const cmd of ins.commands) {
      if (cmd.name !== 'chown' && cmd.name !== 'chmod') continue;
      const f = checkCommand(model, walk, si, ins, cmd, of.get(cmd) ?? step.ctx, feeds, context);
      if (f) findings.push(f);
    }
  });
  return findings;
}

function checkCommand(
  model: DockerfileModel,
  walk: ChainWalk,
  si: number,
  run: RunInstruction,
  cmd: ShellCommand,
  ctx: Step['ctx'],
  feeds: Feeds,
  context: ContextFacts | undefined,
): Finding | undefined {
  const isChown = cmd.name === 'chown';
  const flag = isChown ? 'chown' : 'chmod';
  const parsed = parseArgs(cmd.args, '', new Set(['--from', '--reference']));
  const byReference = parsed.options.some((o) => o.name === '--reference');
  const recursive = parsed.options.some((o) => o.name === '-R' || o.name === '--recursive');
  const setting = byReference ? undefined : parsed.positionals[0];
  const pathWords = byReference ? parsed.positionals : parsed.positionals.slice(1);
  if (!byReference && !isChown && (!setting || !/^(?:[0-7]{1,4}|[ugoa]*[-+=][rwxXstugo]*(?:,[ugoa]*[-+=][rwxXstugo]*)*)$/.test(setting.value))) return undefined;
  if (pathWords.length === 0) return undefined;

  const fed: FedPath[] = [];
  for (const w of pathWords) {
    const path = resolvePath(w.value, ctx);
    if (!path) continue;
    const hits: Feed[] = [];
    let fileOnly = true;
    // A feed matches only with a target under the path (recursive) or exactly at it.
    for (const f of feeds.candidates(path, recursive)) {
      let matched = false;
      let exact = false;
      for (const t of f.targets) {
        const isFile = t.path === path && t.fileLike === true;
        if (recursive ? isUnder(t.path, path) : isFile) matched = true;
        if (isFile) exact = true;
      }
      if (!matched) continue;
      // Files the COPY already gave this owner or mode: whether the command rewrites them depends
      // on the storage driver, so they are not counted.
      const own = f.ins.flag(flag);
      if (own?.value !== undefined && setting && sameSetting(isChown, own.value, setting.value)) continue;
      hits.push(f);
      // A COPY's targets describe one write several ways; it fed exactly this file when one of them is it.
      if (!exact) fileOnly = false;
    }
    if (hits.length > 0) fed.push({ word: w, path, feeds: hits, fileOnly });
  }
  if (fed.length === 0) return undefined;

  const first = fed[0];
  const allFeeds = [...new Set(fed.flatMap((p) => p.feeds))];
  const keyword = allFeeds.every((f) => f.ins.keyword === 'ADD') ? 'ADD' : 'COPY';
  const source = `the ${keyword}${allFeeds.length > 1 ? 's' : ''} on ${linesLabel(model, allFeeds.map((f) => f.ins))}`;
  const bytes = measured(allFeeds, context);
  const flagValue = flagValueOf(isChown, setting?.value, byReference);
  let advice: string;
  if (flagValue) advice = `Set the ${isChown ? 'owner' : 'mode'} in the ${keyword} with --${flag}=${flagValue.value} instead.`;
  else if (isChown) advice = `Set the owner in the ${keyword} with --chown=<user>:<group> instead.`;
  else advice = `Set the mode in the ${keyword} with --chmod instead, written in octal (such as --chmod=755).`;
  const single = !recursive || fed.every((p) => p.fileOnly);
  const command = `${cmd.name}${recursive ? ' -R' : ''}`;
  const data = single
    ? { command, path: first.word.value, source, size: bytes === undefined ? '' : ` (${formatSize(bytes)})`, advice }
    : { command, path: first.word.value, source, size: bytes === undefined ? 'the copied size' : `the copied ${formatSize(bytes)}`, advice };

  const fix = fed.length === 1 && flagValue ? buildFix(model, walk, si, run, cmd, parsed, recursive, first, flag, flagValue) : undefined;
  return {
    span: cmd.span,
    messageId: single ? 'single' : 'recursive',
    data,
    related: allFeeds.slice(0, MAX_RELATED).map((f) => ({ span: firstLineSpan(model, f.ins), message: `${f.ins.keyword === 'ADD' ? 'Added' : 'Copied'} here` })),
    fixes: fix ? [fix] : undefined,
  };
}

/** Whether a COPY flag already sets what the command sets (a chown without group keeps the group). */
function sameSetting(isChown: boolean, flag: string, setting: string): boolean {
  if (!isChown) return flag === setting || (OCTAL.test(flag) && OCTAL.test(setting) && parseInt(flag, 8) === parseInt(setting, 8));
  if (setting.includes(':')) return flag === setting;
  return flag.split(':')[0] === setting;
}

function measured(feeds: readonly Feed[], context: ContextFacts | undefined): number | undefined {
  if (!context) return undefined;
  let total = 0;
  for (const f of feeds) {
    if (f.copy.from !== undefined || f.copy.heredoc) return undefined;
    for (const s of f.copy.sources) {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s.value)) return undefined;
      const m = context.measure(s.value);
      if (!m) return undefined;
      total += m.bytes;
    }
  }
  return total;
}

/**
 * The `--chown`/`--chmod` value equivalent to the command's owner or mode. A user without a group
 * keeps the copied files' group 0 (COPY alone would set the group to the user's id); symbolic modes
 * have no octal equivalent without knowing each file's mode.
 */
function flagValueOf(isChown: boolean, setting: string | undefined, byReference: boolean): { value: string; literal: boolean } | undefined {
  if (byReference || setting === undefined) return undefined;
  if (!isChown) return OCTAL.test(setting) ? { value: setting, literal: true } : undefined;
  const literal = new RegExp(`^${NAME}(?::${NAME})?$`);
  const withVars = new RegExp(`^(?:${NAME}|${VAR})(?::(?:${NAME}|${VAR}))?$`);
  if (!withVars.test(setting)) return undefined;
  const value = setting.includes(':') ? setting : `${setting}:0`;
  return { value, literal: literal.test(setting) && setting.includes(':') };
}

/** Whether the file already uses BuildKit-only syntax, so `COPY --chmod` is known to build. */
function usesBuildKit(model: DockerfileModel): boolean {
  let known = buildKitFiles.get(model);
  if (known === undefined) buildKitFiles.set(model, (known = readUsesBuildKit(model)));
  return known;
}

const buildKitFiles = new WeakMap<DockerfileModel, boolean>();

function readUsesBuildKit(model: DockerfileModel): boolean {
  if (/^(?:#[^\n]*\n)*#\s*syntax\s*=/i.test(model.text)) return true;
  const buildkitFlags = new Set(['mount', 'link', 'chmod', 'checksum', 'parents', 'exclude', 'network', 'security', 'keep-git-dir', 'unpack']);
  return model.instructions.some((i) => i.flags.some((f) => buildkitFlags.has(f.name)) || (i instanceof RunInstruction && i.form === 'heredoc'));
}

function buildFix(
  model: DockerfileModel,
  walk: ChainWalk,
  si: number,
  run: RunInstruction,
  cmd: ShellCommand,
  parsed: ReturnType<typeof parseArgs>,
  recursive: boolean,
  fed: FedPath,
  flag: 'chown' | 'chmod',
  flagValue: { value: string; literal: boolean },
): Fix | undefined {
  if (model.escape === '`') return undefined; // Windows images: COPY --chown/--chmod are not supported
  const { steps } = walk;
  if (fed.feeds.some((f) => f.stage !== steps[si].stage)) return undefined;
  if (parsed.options.some((o) => !HARMLESS.has(o.name))) return undefined;
  const pathCount = parsed.positionals.length - 1;
  const edits: Edit[] = [];
  for (const f of fed.feeds) {
    const existing = f.ins.flag(flag);
    if (existing) {
      if (existing.value !== flagValue.value) return undefined;
      continue;
    }
    edits.push({ span: { start: f.ins.keywordSpan.end, end: f.ins.keywordSpan.end }, text: ` --${flag}=${flagValue.value}` });
  }
  const keyword = fed.feeds.every((f) => f.ins.keyword === 'ADD') ? 'ADD' : 'COPY';
  const where = fed.feeds.length > 1 ? `${fed.feeds.length} ${keyword}s` : `the ${keyword}`;
  const vars = varsMention(walk, endOfStage(walk, steps[si].stage), baseName(fed.path));
  const { of } = commandContexts(run, steps[si].ctx);
  const earlierInRun = run.commands.filter((c) => c.index < cmd.index && !c.nested);
  if (earlierInRun.some((c) => commandTouches(c, of.get(c) ?? steps[si].ctx, fed.path, vars))) return undefined;

  if (fed.fileOnly) {
    const last = Math.max(...fed.feeds.map((f) => f.step));
    for (let j = last + 1; j < si; j++) if (mayTouch(model, steps[j], fed.path, vars)) return undefined;
    let wholeRun = false;
    if (pathCount === 1) {
      const removal = removeCommandEdits(model, run, cmd);
      if (!removal) return undefined;
      edits.push(...removal.edits);
      wholeRun = removal.wholeRun;
    } else {
      const e = removeWordEdit(model, cmd, fed.word);
      if (!e) return undefined;
      edits.push(e);
    }
    const safe =
      wholeRun &&
      realCommands(run).length === 1 &&
      fed.feeds.length === 1 &&
      flagValue.literal &&
      cmd.assignments.size === 0 &&
      (flag === 'chown' || usesBuildKit(model));
    return { title: `Set --${flag}=${flagValue.value} in ${where} and remove the ${flag}`, safe, preferred: true, edits };
  }

  // A folder: the copied files take the flag; the folder itself keeps a plain chown/chmod, since
  // COPY does not change a folder that already existed (made by WORKDIR, say).
  if (!recursive || pathCount !== 1) return undefined;
  if (!fed.feeds.every((f) => f.targets.some((t) => t.path === fed.path && t.kind !== 'file'))) return undefined;
  const feeding = new Set(fed.feeds.map((f) => f.step));
  for (let j = 0; j < si; j++) {
    if (feeding.has(j) || steps[j].instruction.keyword === 'WORKDIR') continue;
    if (mayTouch(model, steps[j], fed.path, vars)) return undefined;
  }
  const rec = parsed.options.filter((o) => o.name === '-R' || o.name === '--recursive');
  if (rec.length !== 1) return undefined;
  const word = rec[0].word;
  if (word.quoted) return undefined;
  let edit: Edit | undefined;
  if (word.value === '-R' || word.value === '--recursive') edit = removeWordEdit(model, cmd, word);
  else if (/^-[A-Za-z]+$/.test(word.value)) edit = { span: word.span, text: word.value.replace('R', '') };
  if (!edit) return undefined;
  edits.push(edit);
  return { title: `Set --${flag}=${flagValue.value} in ${where} and make the ${flag} non-recursive`, safe: false, preferred: true, edits };
}
