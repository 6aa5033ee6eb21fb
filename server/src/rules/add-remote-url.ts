// Flags `ADD http(s)://...`: the download becomes a layer of its own (mode 600, not unpacked), so
// unpacking, changing or deleting it in a later RUN stores it a second time. Quiet for Git
// repositories, for `ADD --unpack=true`, and in build-only stages.
import { RunInstruction, type DockerfileModel, type Instruction, type ShellCommand, type Stage } from '../analysis/model';
import { escapeFor } from '../analysis/shell/source';
import type { Edit } from '../analysis/text';
import { defineRule, type Finding, type Fix, type Related } from './define';
import {
  baseName,
  commandContexts,
  commandTouches,
  copyOf,
  destIsDir,
  dirExistsBefore,
  dirName,
  endOfStage,
  hasReservedPrefix,
  imageWalk,
  isGitSource,
  joinPath,
  mayTouch,
  removeInstructionEdit,
  resolvePath,
  rmPaths,
  removes,
  SHELL_SAFE_PATH,
  tarFacts,
  TextSearch,
  unzipFacts,
  urlFileName,
  varsMention,
  type ChainWalk,
  type ResolvedPath,
  type Step,
} from './paths';

type Downloader = 'curl' | 'wget';

/** Official images built on buildpack-deps (which ships curl and wget) unless slim or alpine. */
const CURL_IMAGES = new Set(['buildpack-deps', 'node', 'python', 'golang', 'ruby', 'rust', 'perl', 'gcc']);
const INSTALLERS = new Set(['apt-get', 'apt', 'apk', 'yum', 'dnf', 'microdnf', 'zypper']);
/** Commands that change a file in place (so a later layer stores it again). */
const MODIFIERS = new Set(['chmod', 'chown', 'chgrp', 'mv', 'sed', 'touch', 'gunzip', 'gzip', 'bunzip2', 'xz', 'unxz', 'patch', 'strip', 'truncate', 'setcap', 'upx']);
/** Commands after which a downloaded file is no longer needed when nothing else names it. */
const CONSUMERS = new Set(['sh', 'bash', 'python', 'python3', 'perl', 'php', 'dpkg', 'rpm', 'pip', 'pip3']);

export default defineRule({
  meta: {
    id: 'add-remote-url',
    description: 'ADD from a URL keeps the download in a layer of its own',
    defaultSeverity: 'warning',
    fixable: false,
    hasSuggestions: true,
    messages: {
      unpacked:
        'ADD keeps {name} in a layer of its own, and the RUN on line {line} unpacks it{deletes}: the archive stays in the image next to its contents. Download, unpack and delete it in that one RUN instead.',
      changed:
        'ADD keeps {name} in a layer of its own, and the RUN on line {line} changes it, so it is stored twice. Download it in that RUN instead.',
      used: 'ADD keeps {name} in a layer of its own, used only by the RUN on line {line}. Download it in that RUN (and delete it there when done) instead.',
      plain:
        'ADD keeps {name} in a layer of its own (with mode 600): unpacking, changing or deleting it later stores it again. Download it with curl or wget in the RUN that uses it, or pin it with ADD --checksum if it must stay.',
    },
  },
  check({ model, target }) {
    const findings: Finding[] = [];
    // One walk through the image's stages, root first: each ADD is checked in its own stage.
    const walk = imageWalk(model, target);
    walk.steps.forEach((step, si) => {
      if (step.instruction.keyword !== 'ADD') return;
      const f = checkAdd(model, walk, si, step.stage);
      if (f) findings.push(...f);
    });
    return findings;
  },
});

/** How the first RUN after the ADD that names the file uses it. */
interface Usage {
  run: RunInstruction;
  step: number;
  /** The first command that names the file (where the download goes). */
  first: ShellCommand;
  kind: 'unpacked' | 'changed' | 'used';
  /** The RUN deletes the file after using it. */
  deletes: boolean;
  /** The RUN's last use is one after which the file is not needed (unpacking, running, installing). */
  consumes: boolean;
}

function checkAdd(model: DockerfileModel, walk: ChainWalk, si: number, stage: Stage): Finding[] | undefined {
  const step = walk.steps[si];
  const ins = step.instruction;
  const copy = copyOf(model, ins);
  if (!copy || !copy.dest) return undefined;
  if (ins.flag('unpack')?.value === 'true') return undefined;
  const findings: Finding[] = [];
  for (const s of copy.sources) {
    if (!/^https?:\/\//i.test(s.value) || isGitSource(s.value)) continue;
    const name = urlFileName(s.value);
    const destRaw = copy.dest.value;
    const dest = resolvePath(destRaw, step.ctx, false);
    const file = dest && (destIsDir(copy) ? (name ? joinPath(dest, name) : undefined) : dest);
    const shown = file ? baseName(file) : (name ?? s.value);
    const usage = file ? findUsage(model, walk, si, stage, file) : undefined;
    const related: Related[] = [];
    let messageId = 'plain';
    const data: Record<string, string | number> = { name: shown };
    if (usage) {
      messageId = usage.kind;
      data.line = model.lines.positionAt(usage.run.span.start).line + 1;
      data.deletes = usage.deletes ? ' and deletes it' : '';
      related.push({ span: usage.first.span, message: usage.kind === 'unpacked' ? 'Unpacked here' : usage.kind === 'changed' ? 'Changed here' : 'Used here' });
    }
    const fix = file && copy.sources.length === 1 && ins.flags.length === 0 ? downloadFix(model, walk, si, s.value, file, usage) : undefined;
    findings.push({ span: s.span, messageId, data, related: related.length > 0 ? related : undefined, fixes: fix ? [fix] : undefined });
  }
  return findings;
}

function findUsage(model: DockerfileModel, walk: ChainWalk, si: number, stage: Stage, file: ResolvedPath): Usage | undefined {
  const { steps } = walk;
  const vars = varsMention(walk, endOfStage(walk, stage), baseName(file));
  for (let j = si + 1; j < steps.length; j++) {
    const st = steps[j];
    if (st.stage !== stage) break;
    if (!mayTouch(model, st, file, vars)) continue;
    const ins = st.instruction;
    if (!(ins instanceof RunInstruction)) return undefined;
    const { of } = commandContexts(ins, st.ctx);
    let first: ShellCommand | undefined;
    let kind: Usage['kind'] = 'used';
    let deletes = false;
    let consumes = false;
    for (const c of ins.commands) {
      if (c.nested) continue;
      const ctx = of.get(c) ?? st.ctx;
      if (!commandTouches(c, ctx, file, false)) continue;
      first ??= c;
      if (c.name === 'rm') {
        if (rmPaths(c, ctx).some((r) => removes(r, { path: file, kind: 'file' }))) deletes = true;
        continue;
      }
      const tar = tarFacts(c);
      const zip = unzipFacts(c);
      if ((tar?.extract && tar.archive !== undefined && resolvePath(tar.archive, ctx) === file) || (zip && resolvePath(zip.archive, ctx) === file)) {
        kind = 'unpacked';
        consumes = true;
      } else if (CONSUMERS.has(c.name)) {
        consumes = kind !== 'changed';
      } else if (kind !== 'unpacked') {
        if (MODIFIERS.has(c.name)) kind = 'changed';
        consumes = false;
      }
    }
    if (!first) return undefined;
    // Deleted before any use: that is a change too, and downloading only to delete is no fix.
    if (first.name === 'rm') return { run: ins, step: j, first, kind: 'changed', deletes: true, consumes: false };
    return { run: ins, step: j, first, kind, deletes, consumes };
  }
  return undefined;
}

/**
 * What the instructions before a step tell about downloaders: whether a SHELL instruction came
 * first, and for curl and wget whether they were run or installed (true), removed (false) or not
 * seen (undefined), the last word counting.
 */
interface DownloaderState {
  shell: boolean;
  curl: boolean | undefined;
  wget: boolean | undefined;
}

const NOTHING_SEEN: DownloaderState = { shell: false, curl: undefined, wget: undefined };

/** The state after one command (the same object when the command tells nothing). */
function noteCommand(state: DownloaderState, c: ShellCommand): DownloaderState {
  let out = state;
  const set = (tool: Downloader, value: boolean): void => {
    if (out[tool] !== value) out = { ...out, [tool]: value };
  };
  if (c.name === 'curl' || c.name === 'wget') set(c.name, true);
  if (!INSTALLERS.has(c.name)) return out;
  const sub = c.positionals()[0]?.value;
  const adding = sub === 'install' || sub === 'add';
  const removing = sub === 'remove' || sub === 'purge' || sub === 'del' || sub === 'erase' || sub === 'autoremove';
  if (!adding && !removing) return out;
  for (const w of c.positionals().slice(1)) {
    const pkg = w.value.replace(/[=<>].*$/, '');
    if (pkg === 'curl' || pkg === 'wget') set(pkg, adding);
  }
  return out;
}

const downloaderStates = new WeakMap<ChainWalk, DownloaderState[]>();

/** The downloader state before each step of a walk (one more entry: after the last). */
function statesOf(walk: ChainWalk): DownloaderState[] {
  let states = downloaderStates.get(walk);
  if (!states) {
    states = [];
    let state = NOTHING_SEEN;
    for (const step of walk.steps) {
      states.push(state);
      const ins = step.instruction;
      if (ins.keyword === 'SHELL') {
        if (!state.shell) state = { ...state, shell: true };
      } else if (ins instanceof RunInstruction) for (const c of ins.commands) state = noteCommand(state, c);
    }
    states.push(state);
    downloaderStates.set(walk, states);
  }
  return states;
}

/** curl or wget, whichever the stage is known to have before `upTo` (a step, and a command in it). */
function downloaderFor(walk: ChainWalk, upTo: number, run: RunInstruction | undefined, before: ShellCommand | undefined): Downloader | undefined {
  let state = statesOf(walk)[upTo];
  if (state.shell) return undefined;
  if (run && before) for (const c of run.commands) if (c.index < before.index) state = noteCommand(state, c);
  if (state.curl) return 'curl';
  if (state.wget) return 'wget';
  if (state.curl === false && state.wget === false) return undefined;
  const root = walk.steps[0]?.stage;
  let base: Stage | undefined = root;
  while (base?.parent) base = base.parent;
  const image = base?.image;
  if (!image || image.unresolved || image.registry !== undefined) return undefined;
  const tag = image.tag ?? '';
  if (image.name === 'alpine' || image.name === 'busybox' || /alpine/i.test(tag)) return state.wget === false ? undefined : 'wget';
  if (CURL_IMAGES.has(image.name) && !/slim|windows|nanoserver/i.test(tag)) return state.curl === false ? undefined : 'curl';
  return undefined;
}

/** The shell command that downloads `url` to `file`. */
function downloadCommand(tool: Downloader, url: string, file: ResolvedPath, folderExists: boolean): string {
  if (tool === 'curl') return `curl -fsSL${folderExists ? '' : ' --create-dirs'} -o ${file} "${url}"`;
  const fetch = `wget -q -O ${file} "${url}"`;
  return folderExists ? fetch : `mkdir -p ${dirName(file)} && ${fetch}`;
}

function nonRootUser(step: Step): boolean {
  return step.user !== undefined && step.user !== 'root' && step.user !== '0';
}

/**
 * Replaces the ADD by a download in the RUN that uses the file (with a delete at its end when that
 * RUN unpacks or runs it and nothing later names it), or by a RUN of its own when nothing uses it.
 */
function downloadFix(model: DockerfileModel, walk: ChainWalk, si: number, url: string, file: ResolvedPath, usage: Usage | undefined): Fix | undefined {
  if (!file.startsWith('/') || !SHELL_SAFE_PATH.test(file)) return undefined;
  if (/["\\`]|\$\(/.test(url)) return undefined;
  if (model.escape === '`') return undefined;
  const { steps } = walk;
  const folderExists = dirExistsBefore(walk, si, dirName(file));
  const name = baseName(file);
  const remove = removeInstructionEdit(model, steps[si].instruction);

  if (!usage) {
    const tool = downloaderFor(walk, si, undefined, undefined);
    if (!tool || nonRootUser(steps[si])) return undefined;
    const ins = steps[si].instruction;
    return {
      title: `Download ${name} with ${tool} in a RUN instead`,
      safe: false,
      edits: [{ span: ins.span, text: `RUN ${downloadCommand(tool, url, file, folderExists)}` }],
    };
  }

  const { run, first } = usage;
  if (first.name === 'rm') return undefined;
  if (run.form === 'exec' && run.script?.source.kind === 'json-array') return undefined;
  if (nonRootUser(steps[usage.step]) || !run.script) return undefined;
  for (let j = si + 1; j < usage.step; j++) if (mayTouch(model, steps[j], file, true)) return undefined;
  const place = insertionPoint(run, first);
  if (!place) return undefined;
  const tool = place.at === first ? downloaderFor(walk, usage.step, run, first) : downloaderFor(walk, usage.step, undefined, undefined);
  if (!tool) return undefined;
  const at = place.at.words[0].span.start;
  const download = downloadCommand(tool, url, file, folderExists);
  const edits: Edit[] = [remove, { span: { start: at, end: at }, text: escapeFor(place.at.script.source.kind, `${download}${place.joiner}`) }];
  if (usage.consumes && !usage.deletes && !mentionedAfter(model, run, name)) {
    const append = run.appendCommand(`rm -f ${file}`);
    if (!append) return undefined;
    edits.push(append);
  }
  const verb = usage.kind === 'unpacked' ? 'unpacks' : usage.kind === 'changed' ? 'changes' : 'uses';
  return { title: `Download ${name} with ${tool} in the RUN that ${verb} it`, safe: false, preferred: true, edits };
}

/** Commands that do not read files they are not given, so the download may come after them. */
const SAFE_BEFORE = new Set([...INSTALLERS, 'set', 'echo', 'printf', 'mkdir', 'export', 'cd', 'true', ':']);

/**
 * Where the download goes in the RUN, so the file exists before anything can read it and a failed
 * download fails the RUN as a failed ADD failed the build: right before the first command naming
 * the file when only installers and the like run before it (they may install curl), else before
 * the first command, joined with `&&` (or, after a leading `set -e`, ended with `;`).
 */
function insertionPoint(run: RunInstruction, first: ShellCommand): { at: ShellCommand; joiner: string } | undefined {
  const before = run.commands.filter((c) => c.index < first.index && !c.nested);
  if (before.every((c) => SAFE_BEFORE.has(c.name)) && !first.nested && !hasReservedPrefix(first)) {
    const list = first.script.commands.filter((c) => c.words.length > 0);
    const prev = list[list.indexOf(first) - 1];
    if (!prev || (prev.separator !== undefined && ['&&', ';', '\n'].includes(prev.separator))) return { at: first, joiner: ' && ' };
  }
  const list = run.script ? run.script.commands.filter((c) => c.words.length > 0) : [];
  const head = list[0];
  if (!head) return undefined;
  const errexit = head.name === 'set' && head.args.some((w, k) => /^-[A-Za-z]*e/.test(w.value) || (w.value === '-o' && head.args[k + 1]?.value === 'errexit'));
  if (errexit) {
    const next = list[1];
    if (!next || !head.separator || !['&&', ';', '\n'].includes(head.separator)) return undefined;
    return { at: next, joiner: '; ' };
  }
  if (list.length > 1 && head.separator !== '&&') return undefined;
  return { at: head, joiner: ' && ' };
}

/** Whether any instruction after `ins` (in any stage, CMD and ENTRYPOINT included) names the file. */
function mentionedAfter(model: DockerfileModel, ins: Instruction, name: string): boolean {
  const next = model.instructions[ins.index + 1];
  if (!next) return false;
  if (name === '') return true;
  // The occurrences of the name from the last one back: one inside a later instruction settles it.
  const text = model.text;
  for (let p = documentSearch(model).lastIndexOf(name); p >= next.span.start; p = p > 0 ? text.lastIndexOf(name, p - 1) : -1) {
    const i = model.instructionAt(p);
    if (i && i.index > ins.index && p + name.length <= i.span.end) return true;
  }
  return false;
}

const documentSearches = new WeakMap<DockerfileModel, TextSearch>();

function documentSearch(model: DockerfileModel): TextSearch {
  let search = documentSearches.get(model);
  if (!search) documentSearches.set(model, (search = new TextSearch(model.text)));
  return search;
}
