// Flags `pip install` (also `pip3.12`, a venv's pip, `python -m pip`) without --no-cache-dir: pip
// keeps every downloaded wheel in ~/.cache/pip, a second copy in the layer. Quiet when
// PIP_NO_CACHE_DIR is set (ENV in the stage or a stage it builds on, ARG, inline, export), when a
// later command in the same RUN purges the cache, or when a cache/tmpfs mount covers it. uv is not pip.
import { defineRule, type Finding, type Fix } from './define';
import { normalizePath, properties, type RunInstruction, type ShellCommand, type ShellWord } from '../analysis/model';
import { sizes } from '../data/sizes';
import { foldBefore, LAST_USER } from './before';
import { cacheMountFix } from './helpers';
import { isRootUser, switchOf } from './users';

const CACHE = '/root/.cache/pip';
/** The cache relative to any home folder, for non-root users (`/home/app/.cache/pip`). */
const HOME_CACHE = '.cache/pip';

const PIP_NAME = /^pip[0-9]*(\.[0-9]+)?$/;
const PYTHON_NAME = /^python[0-9]*(\.[0-9]+)?$/;

/** pip's general options that take a separate value; they may stand before the subcommand. */
const PIP_VALUE_OPTIONS: ReadonlySet<string> = new Set([
  '--python', '--log', '--log-file', '--local-log', '--proxy', '--retries', '--timeout', '--exists-action',
  '--trusted-host', '--cert', '--client-cert', '--cache-dir', '--use-feature', '--use-deprecated', '--keyring-provider',
]);
/** Python interpreter options that take a separate value (`-X dev`, `-W ignore`). */
const PYTHON_VALUE_OPTIONS: ReadonlySet<string> = new Set(['-X', '-W', '--check-hash-based-pycs']);

interface PipCall {
  /** Arguments given to pip itself (after `pip`, or after `-m pip`). */
  args: ShellWord[];
  subcommand: ShellWord | undefined;
  /** Positionals after the subcommand. */
  rest: ShellWord[];
}

export default defineRule({
  meta: {
    id: 'pip-no-cache',
    description: 'pip install without --no-cache-dir keeps downloaded packages in the image',
    defaultSeverity: 'warning',
    fixable: true,
    hasSuggestions: true,
    messages: {
      missingFlag: '{command} keeps its download cache (~/.cache/pip) in this layer: {size}. Add --no-cache-dir.',
    },
    hadolint: ['DL3042'],
  },
  check({ model }) {
    const findings: Finding[] = [];
    // Most files never set the variable: then no RUN needs the walk over the instructions before it.
    const envMayBeSet = model.instructions.some((i) => (i.keyword === 'ENV' || i.keyword === 'ARG') && properties(i).some((p) => p.name === 'PIP_NO_CACHE_DIR'));
    for (const run of model.runs()) {
      if (run.hasCacheMount(CACHE) || mountsHomeCache(run)) continue;
      if (envMayBeSet && envSetBefore(run, 'PIP_NO_CACHE_DIR')) continue;
      for (const cmd of run.commands) {
        const pip = pipCall(cmd);
        if (!pip || pip.subcommand?.value !== 'install') continue;
        if (pip.args.some((w) => w.value === '--help' || w.value === '-h')) continue;
        if (pip.args.some((w) => w.value === '--no-cache-dir' || w.value.startsWith('--no-cache-dir='))) continue;
        if (nonEmpty(cmd.assignments.get('PIP_NO_CACHE_DIR')) || exportedBefore(run, cmd.index, 'PIP_NO_CACHE_DIR')) continue;
        if (clearedAfter(run, cmd, pip)) continue;
        const fixes: Fix[] = [{ title: 'Add --no-cache-dir', safe: true, preferred: true, edits: [cmd.insertAfter(pip.subcommand, '--no-cache-dir')] }];
        // Another user's cache lives in that user's home, where a mount on /root would not help.
        const user = switchedUser(run, cmd);
        const mount = (user === undefined ? runsAsRoot(run) : isRootUser(user)) ? cacheMountFix(run, CACHE) : undefined;
        if (mount) fixes.push(mount);
        const command = PIP_NAME.test(cmd.name) ? `${cmd.name} install` : `${cmd.name} -m pip install`;
        findings.push({ span: cmd.span, messageId: 'missingFlag', data: { command, size: sizes.pipCache.label }, fixes });
      }
    }
    return findings;
  },
});

/** The pip invocation of a command (`pip …`, `pip3.12 …`, `python3 -m pip …`), if it is one. */
function pipCall(cmd: ShellCommand): PipCall | undefined {
  let args: ShellWord[] | undefined;
  if (PIP_NAME.test(cmd.name)) {
    args = cmd.args;
  } else if (PYTHON_NAME.test(cmd.name)) {
    const all = cmd.args;
    for (let k = 0; k < all.length; k++) {
      const v = all[k].value;
      if (PYTHON_VALUE_OPTIONS.has(v)) {
        k++;
        continue;
      }
      // `-m pip`, `-mpip`, and clustered flags ending in m (`-Im pip`).
      const inline = /^-[A-Za-z]*m(.+)$/.exec(v);
      if (inline && !/^-[A-Za-z]*c/.test(v)) {
        if (inline[1] === 'pip') args = all.slice(k + 1);
        break;
      }
      if (/^-[A-Za-z]*m$/.test(v) && !/^-[A-Za-z]*c/.test(v)) {
        if (all[k + 1]?.value === 'pip') args = all.slice(k + 2);
        break;
      }
      // A script, `-c code` or `-` ends the interpreter's options: this is not pip.
      if (!v.startsWith('-') || v === '-' || /^-[A-Za-z]*c/.test(v) || v === '--') break;
    }
  }
  if (!args) return undefined;
  const positionals: ShellWord[] = [];
  for (let k = 0; k < args.length; k++) {
    const v = args[k].value;
    if (v.startsWith('-') && v.length > 1) {
      if (PIP_VALUE_OPTIONS.has(v)) k++;
      continue;
    }
    positionals.push(args[k]);
  }
  return { args, subcommand: positionals[0], rest: positionals.slice(1) };
}

/** Whether a later command in the same RUN empties the cache this install filled. */
function clearedAfter(run: RunInstruction, install: ShellCommand, pip: PipCall): boolean {
  if (run.removesPath(CACHE, install.index)) return true;
  // `--cache-dir DIR` moves the cache: removing or mounting DIR is what counts then.
  const custom = optionValue(pip.args, '--cache-dir');
  if (custom && custom.startsWith('/') && (run.removesPath(custom, install.index) || run.hasCacheMount(custom))) return true;
  for (const c of run.commands) {
    if (c.index <= install.index) continue;
    if (c.name === 'rm' && c.positionals().some((w) => coversHomeCache(w.value))) return true;
    const later = pipCall(c);
    if (later?.subcommand?.value === 'cache' && later.rest[0]?.value === 'purge') return true;
  }
  return false;
}

function optionValue(args: ShellWord[], name: string): string | undefined {
  let value: string | undefined;
  args.forEach((w, k) => {
    if (w.value === name) value = args[k + 1]?.value;
    else if (w.value.startsWith(name + '=')) value = w.value.slice(name.length + 1);
  });
  return value;
}

/**
 * Whether a path is a home folder's pip cache or contains it (`/home/app/.cache`, `/srv/app/.cache/pip`):
 * the cache follows the user's home, which the Dockerfile may not show.
 */
function coversHomeCache(path: string): boolean {
  let p = normalizePath(path).replace(/\/+$/, '');
  if (p.endsWith('/*') || p.endsWith('/.*')) p = p.slice(0, p.lastIndexOf('/'));
  if (/^\/home\/[^/]+$/.test(p)) return true;
  return p.endsWith('/.cache') || p.endsWith('/' + HOME_CACHE);
}

function mountsHomeCache(run: RunInstruction): boolean {
  return run.mounts.some((m) => (m.type === 'cache' || m.type === 'tmpfs') && m.target !== undefined && coversHomeCache(m.target));
}

function nonEmpty(v: string | undefined): boolean {
  return v !== undefined && v !== '';
}

/** `export NAME=value` (or `export NAME` after an assignment) earlier in the same RUN. */
function exportedBefore(run: RunInstruction, index: number, name: string): boolean {
  return run.commands.some(
    (c) => c.index < index && c.name === 'export' && c.args.some((w) => w.value.startsWith(name + '=') && w.value.length > name.length + 1),
  );
}

/**
 * Whether `name` is set to a non-empty value for this RUN: by ENV in its stage or a stage it is
 * built FROM (ENV is inherited), or by ARG with a default in its own stage (build args are in the
 * RUN's environment; they are not inherited).
 */
function envSetBefore(run: RunInstruction, name: string): boolean {
  const value = foldBefore<string | undefined>(run, {
    key: `pip-no-cache:env:${name}`,
    init: undefined,
    step: (acc, ins, ownStage) => {
      if (ins.keyword !== 'ENV' && !(ins.keyword === 'ARG' && ownStage)) return acc;
      for (const p of properties(ins)) if (p.name === name) acc = p.value ?? (ins.keyword === 'ARG' ? acc : '');
      return acc;
    },
  });
  return nonEmpty(value);
}

/** Whether the RUN runs as root: no USER before it, or the last one names root or uid 0. */
function runsAsRoot(run: RunInstruction): boolean {
  const last = foldBefore(run, LAST_USER);
  if (!last) return true;
  return isRootUser(last.argsText.trim().split(':')[0]);
}

/**
 * The user a command switches to with `sudo`, `doas`, `gosu` or `su-exec` (before it, or before the
 * `sh -c` that wraps it); undefined when it runs as the RUN's user.
 */
function switchedUser(run: RunInstruction, cmd: ShellCommand): string | undefined {
  for (let c: ShellCommand | undefined = cmd; c; c = c.script === run.script ? undefined : c.script.parent) {
    const s = switchOf(c);
    if (s) return s.user;
  }
  return undefined;
}

