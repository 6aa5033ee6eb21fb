// Stage facts the stage-aware rules share: which stages ship, package installs and removals in
// their RUNs, the WORKDIR in effect, and the words of CMD/ENTRYPOINT. Pure, like the rules.
import { covers, normalizePath, type DockerfileModel, type Instruction, type RunInstruction, type ShellCommand, type ShellWord, type Stage } from '../analysis/model';
import { foldAtStageStart, foldBefore, type BeforeFold } from './before';

/** The stages whose layers end up in the image built for `target`, in file order (root first). */
export function shippedChain(model: DockerfileModel, target: string | undefined): Stage[] {
  return [...model.imageStages(target)].sort((a, b) => a.index - b.index);
}

const roots = new WeakMap<Stage, Stage>();

/**
 * The stage a stage is ultimately built FROM: itself when it is built from an image. Remembered for
 * every stage on the way, so asking for each stage of a long chain costs the chain once.
 */
export function rootStage(stage: Stage): Stage {
  const path: Stage[] = [];
  let s = stage;
  let root = roots.get(s);
  while (!root) {
    path.push(s);
    // A parent is an earlier stage (the model only links to those), so the walk ends.
    if (!s.parent || s.parent.index >= s.index) root = s;
    else {
      s = s.parent;
      root = roots.get(s);
    }
  }
  for (const p of path) roots.set(p, root);
  return root;
}

/** RUN instructions of some stages, in file order. */
export function runsOf(stages: readonly Stage[]): RunInstruction[] {
  return instructionsOf(stages).filter((i): i is RunInstruction => i.keyword === 'RUN' && 'commands' in i);
}

/** Instructions of some stages (their FROM excluded), in file order. */
export function instructionsOf(stages: readonly Stage[]): Instruction[] {
  return stages.flatMap((s) => s.instructions).sort((a, b) => a.index - b.index);
}

export type Manager = 'apt' | 'apk' | 'dnf' | 'microdnf' | 'zypper';

const MANAGERS: Record<string, Manager> = {
  'apt-get': 'apt',
  apt: 'apt',
  aptitude: 'apt',
  apk: 'apk',
  yum: 'dnf',
  dnf: 'dnf',
  dnf5: 'dnf',
  tdnf: 'dnf',
  microdnf: 'microdnf',
  zypper: 'zypper',
};

/** The package manager a command name runs, if it is one. */
export function managerOf(name: string): Manager | undefined {
  return Object.prototype.hasOwnProperty.call(MANAGERS, name) ? MANAGERS[name] : undefined;
}

/** Options that take a separate value, per manager (so the value is not read as a package). */
export const VALUE_OPTIONS: Record<Manager, ReadonlySet<string>> = {
  apt: new Set(['-o', '-c', '-t', '--option', '--config-file', '--target-release', '--default-release']),
  apk: new Set(['-X', '--repository', '-p', '--root', '--virtual', '-t', '--arch', '--cache-dir', '--keys-dir', '--repositories-file']),
  dnf: new Set(['-c', '--config', '--installroot', '--releasever', '--enablerepo', '--disablerepo', '-x', '--exclude', '--repo', '--setopt', '--repofrompath']),
  microdnf: new Set(['--config', '--installroot', '--releasever', '--enablerepo', '--disablerepo', '--setopt']),
  zypper: new Set(['-r', '--repo', '--from', '-t', '--type']),
};

const INSTALL_VERBS: Record<Manager, readonly string[]> = {
  apt: ['install'],
  apk: ['add'],
  dnf: ['install', 'groupinstall', 'localinstall'],
  microdnf: ['install'],
  zypper: ['install', 'in'],
};

const REMOVE_VERBS: Record<Manager, readonly string[]> = {
  apt: ['purge', 'remove'],
  apk: ['del'],
  dnf: ['remove', 'erase', 'autoremove'],
  microdnf: ['remove'],
  zypper: ['remove', 'rm'],
};

export interface Install {
  run: RunInstruction;
  cmd: ShellCommand;
  manager: Manager;
  verb: ShellWord;
  /** Package words as written (group names for `groupinstall`). */
  packages: ShellWord[];
  /** apk's `--virtual`/`-t` name, removed later with `apk del <name>`. */
  virtual: string | undefined;
}

/** Package installs of a RUN, in execution order. */
export function installsIn(run: RunInstruction): Install[] {
  const out: Install[] = [];
  for (const cmd of run.commands) {
    const manager = managerOf(cmd.name);
    if (!manager) continue;
    const positionals = cmd.positionals(VALUE_OPTIONS[manager]);
    let k = 0;
    if (manager === 'dnf' && positionals[0]?.value === 'group' && positionals[1]?.value === 'install') k = 1;
    const verb = positionals[k];
    if (!verb || !(INSTALL_VERBS[manager].includes(verb.value) || k === 1)) continue;
    const virtual = manager === 'apk' ? cmd.optionValues('--virtual', '-t')[0] : undefined;
    out.push({ run, cmd, manager, verb, packages: positionals.slice(k + 1), virtual });
  }
  return out;
}

/** The package name of a word as written: without version pins, architecture or release. */
export function packageName(word: string): string {
  const cut = word.search(/[=<>~:/]/);
  return (cut > 0 ? word.slice(0, cut) : word).toLowerCase();
}

export interface Removal {
  run: RunInstruction;
  cmd: ShellCommand;
  /** Package names (or apk virtual names) removed. */
  names: Set<string>;
  /**
   * `apt-get purge --auto-remove` / `autoremove` after `apt-mark auto '.*'` in the same RUN:
   * everything installed earlier in that RUN goes, except what `apt-mark manual` kept.
   */
  autoRemoveAll: boolean;
  keptManual: Set<string>;
}

/** Package removals of a RUN, in execution order. */
export function removalsIn(run: RunInstruction): Removal[] {
  const out: Removal[] = [];
  let markedAuto = false;
  const keptManual = new Set<string>();
  for (const cmd of run.commands) {
    if (cmd.name === 'xargs') {
      // `apt-mark showmanual | xargs apt-mark auto`
      const words = cmd.args.map((w) => w.value);
      const at = words.indexOf('apt-mark');
      if (at >= 0 && words[at + 1] === 'auto') markedAuto = true;
      continue;
    }
    if (cmd.name === 'apt-mark') {
      const pos = cmd.positionals();
      if (pos[0]?.value === 'auto') markedAuto = true;
      if (pos[0]?.value === 'manual') for (const w of pos.slice(1)) keptManual.add(packageName(w.value));
      continue;
    }
    const manager = managerOf(cmd.name);
    if (!manager) continue;
    const positionals = cmd.positionals(VALUE_OPTIONS[manager]);
    const verb = positionals[0]?.value;
    const autoRemove = manager === 'apt' && (verb === 'autoremove' || ((verb === 'purge' || verb === 'remove') && cmd.hasFlag('--auto-remove', '--autoremove')));
    if (!verb || (!REMOVE_VERBS[manager].includes(verb) && !autoRemove)) continue;
    out.push({
      run,
      cmd,
      names: new Set(positionals.slice(1).map((w) => packageName(w.value))),
      autoRemoveAll: autoRemove && markedAuto,
      keptManual: new Set(keptManual),
    });
  }
  return out;
}

/**
 * Whether a removal names a package (apt's glob patterns included) installed by `install`; an
 * auto-remove after `apt-mark auto` counts for packages installed in the same RUN.
 */
export function removes(removal: Removal, name: string, install: { run: RunInstruction; virtual: string | undefined }): boolean {
  if (install.virtual !== undefined && removal.names.has(install.virtual.toLowerCase())) return true;
  if (removal.autoRemoveAll && removal.run === install.run && !removal.keptManual.has(name)) return true;
  for (const n of removal.names) {
    if (n === name) return true;
    if (/[*?]/.test(n)) {
      const re = new RegExp('^' + n.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
      if (re.test(name)) return true;
    }
  }
  return false;
}

/** Whether `cmd` (in `run`) comes before `other` (in `otherRun`) in build order. */
export function before(run: Instruction, cmd: ShellCommand, otherRun: Instruction, other: ShellCommand): boolean {
  return run.index < otherRun.index || (run.index === otherRun.index && cmd.index < other.index);
}

function unquoteWord(v: string): string {
  const t = v.trim();
  if (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t[t.length - 1] === t[0]) return t.slice(1, -1);
  return t;
}

/** Joins a WORKDIR value onto a directory, as Docker does; undefined when it uses variables. */
function joinDir(dir: string, value: string): string | undefined {
  let v = unquoteWord(value);
  if (v.startsWith('[')) {
    try {
      const arr = JSON.parse(v) as unknown;
      if (Array.isArray(arr) && typeof arr[0] === 'string') v = arr[0];
    } catch {
      return undefined;
    }
  }
  if (v === '' || v.includes('$')) return undefined;
  const parts = (v.startsWith('/') ? v : `${dir}/${v}`).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return '/' + out.join('/');
}

/**
 * The working directory in effect at an instruction (absolute, without a trailing slash; `/` when
 * no WORKDIR applies), following the stages it is built FROM. Undefined when a WORKDIR uses variables.
 */
export function workdirAt(ins: Instruction): string | undefined {
  // A FROM sees what the stages it is built FROM left; any other instruction what came before it.
  if (ins.stage && ins.stage.from === ins) return foldAtStageStart(ins.stage, WORKDIR);
  return foldBefore(ins, WORKDIR);
}

const WORKDIR: BeforeFold<string | undefined> = {
  key: 'workdir',
  init: '/',
  step: (dir, i) => (i.keyword === 'WORKDIR' && dir !== undefined ? joinDir(dir, i.argsText) : dir),
};

/** An absolute path for `p` written relative to `dir`. */
export function resolvePath(dir: string, p: string): string | undefined {
  if (p.includes('$')) return undefined;
  return joinDir(dir, p);
}

/** The words of a CMD, ENTRYPOINT or HEALTHCHECK CMD, and whether they run through a shell. */
export function commandWords(ins: Instruction): { form: 'exec' | 'shell'; words: string[] } | undefined {
  let text = ins.argsText.trim();
  if (ins.keyword === 'HEALTHCHECK') {
    const m = /^CMD\s+([\s\S]*)$/i.exec(text);
    if (!m) return undefined;
    text = m[1].trim();
  }
  if (text === '') return undefined;
  if (text.startsWith('[')) {
    try {
      const arr = JSON.parse(text) as unknown;
      if (Array.isArray(arr) && arr.every((x) => typeof x === 'string')) return { form: 'exec', words: arr as string[] };
    } catch {
      // Not valid JSON: Docker runs it through the shell.
    }
  }
  return { form: 'shell', words: text.replace(/\\\r?\n/g, ' ').split(/\s+/).filter((w) => w !== '') };
}

/** Whether an `rm` argument lies in apt's lists or cache (`/var/lib/apt/lists/*`). */
export function isAptListsPath(word: string): boolean {
  let p = normalizePath(word);
  if (p.endsWith('/*') || p.endsWith('/.*')) p = p.slice(0, p.lastIndexOf('/'));
  return covers('/var/lib/apt/lists', p) || covers('/var/cache/apt', p);
}
