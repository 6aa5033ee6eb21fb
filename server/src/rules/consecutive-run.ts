// Flags two or more RUN instructions in a row in one stage (comment and blank lines between them do
// not break the row): every RUN is a layer, and what one adds and a later one removes stays stored.
// Build-only stages are exempt (their layers never reach the image). The merge fix joins the RUNs
// with `&&` only when that runs the same commands the same way: same flags, shell form, a POSIX
// shell or cmd, `&&` binding to each whole script, no shell state carried from one to the next.
import { defineRule, type Finding, type Fix } from './define';
import { sizes } from '../data/sizes';
import { RunInstruction, type DockerfileModel, type Instruction, type ShellCommand } from '../analysis/model';
import { foldBefore, LAST_SHELL } from './before';
import { rootStage } from './stages';
import { parseJsonArray, shellFormSource } from '../analysis/shell/source';
import type { Edit } from '../analysis/text';

const ID = 'consecutive-run';
const HADOLINT = 'DL3059';

const POSIX_SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh', 'busybox']);

/**
 * Commands whose effect outlives them in the shell that runs them: today the next RUN starts in a
 * fresh shell and does not see it; merged, it would.
 */
const STATEFUL = new Set([
  'cd', 'pushd', 'popd', 'chdir', 'export', 'unset', 'readonly', 'declare', 'typeset', 'local', 'let', 'read',
  'mapfile', 'readarray', 'getopts', 'alias', 'unalias', 'shopt', 'umask', 'ulimit', 'trap', 'source', '.',
  'eval', 'exec', 'exit', 'return', 'logout', 'hash', 'enable', 'function', 'newgrp',
]);

/**
 * Commands that change a user's groups or home in /etc/passwd and /etc/group. Docker reads those
 * when it starts each RUN, so the next RUN sees the change and the running shell does not; that
 * matters when the change is for the user running the RUN (a non-root USER uses sudo for it).
 */
const ACCOUNT_CHANGERS = new Set(['usermod', 'gpasswd', 'groupmod', 'adduser', 'addgroup']);

/**
 * In cmd (Windows), installers and `setx` write PATH and other variables to the registry: the next
 * RUN starts with them, the running cmd does not. Only these file commands, which cannot, may come
 * before another RUN's commands in a merge.
 */
const CMD_FILE_COMMANDS = new Set([
  'mkdir', 'md', 'echo', 'copy', 'xcopy', 'robocopy', 'del', 'erase', 'rd', 'rmdir', 'move', 'ren', 'rename',
  'type', 'icacls', 'attrib', 'takeown', 'mklink', 'curl', 'tar', 'certutil', 'expand', 'dir', 'findstr', 'where', 'ver',
]);

/** `set` options that only trace or stop on errors: harmless for an `&&` list that follows. */
const HARMLESS_SET = /^[-+][exv]+$/;
const HARMLESS_SET_O = new Set(['errexit', 'xtrace', 'verbose']);

/** Suppression and hadolint pragmas bind to the instruction below; inside a RUN they bind to nothing. */
const PRAGMA = /^#\s*(?:slimfile-ignore|hadolint\b)/;

type Plan = { edits: Edit[] } | { reason: string };
type ShellKind = 'posix' | 'cmd' | 'other';

export default defineRule({
  meta: {
    id: ID,
    description: 'RUN instructions in a row each make a layer where one RUN would do',
    defaultSeverity: 'warning',
    fixable: true,
    hasSuggestions: true,
    messages: {
      consecutive: '{count} RUN instructions in a row make {count} layers; one RUN joined with && makes one. Every RUN after the first is {layer}.',
      consecutiveNoFix:
        '{count} RUN instructions in a row make {count} layers; one RUN joined with && makes one. Every RUN after the first is {layer}. No automatic merge: {reason}.',
    },
    hadolint: [HADOLINT],
  },
  check({ model, target }) {
    const inImage = model.imageStages(target);
    const rows = findRows(model).filter((row) => inImage.has(row[0].stage!));
    const plans = rows.map((row) => ({ row, plan: planMerge(model, row) }));
    const mergeable = plans.filter((p) => 'edits' in p.plan && !suppressedAbove(model, p.row[0]));
    const mergeAll: Fix | undefined =
      mergeable.length >= 2
        ? {
            title: 'Merge all consecutive RUN instructions in this file',
            safe: false,
            edits: mergeable.flatMap((p) => ('edits' in p.plan ? p.plan.edits : [])),
          }
        : undefined;
    const findings: Finding[] = [];
    for (const { row, plan } of plans) {
      const span = { start: row[0].keywordSpan.start, end: contentEnd(model, row[row.length - 1]) };
      const data = { count: row.length, layer: sizes.layer.label };
      if ('reason' in plan) {
        findings.push({ span, messageId: 'consecutiveNoFix', data: { ...data, reason: plan.reason } });
        continue;
      }
      const fixes: Fix[] = [{ title: `Merge ${row.length} RUN instructions`, safe: true, preferred: true, edits: plan.edits }];
      if (mergeAll) fixes.push(mergeAll);
      findings.push({ span, messageId: 'consecutive', data, fixes });
    }
    return findings;
  },
});

/** Runs of two or more RUNs with no other instruction between them, within one stage. */
function findRows(model: DockerfileModel): RunInstruction[][] {
  const rows: RunInstruction[][] = [];
  let row: RunInstruction[] = [];
  const close = (): void => {
    if (row.length >= 2) rows.push(row);
    row = [];
  };
  for (const ins of model.instructions) {
    if (!(ins instanceof RunInstruction) || ins.stage === undefined) {
      close();
      continue;
    }
    const prev = row[row.length - 1];
    if (prev && (prev.stage !== ins.stage || prev.index !== ins.index - 1)) close();
    row.push(ins);
  }
  close();
  return rows;
}

/** The end of an instruction's text without trailing blanks. */
function contentEnd(model: DockerfileModel, ins: Instruction): number {
  let end = ins.span.end;
  while (end > ins.span.start && (model.text[end - 1] === ' ' || model.text[end - 1] === '\t')) end--;
  return end;
}

/** The edits that merge a row into its first RUN, or why that would not be the same build. */
function planMerge(model: DockerfileModel, row: RunInstruction[]): Plan {
  const shell = shellOf(model, row[0]);
  if (shell === 'other') return { reason: 'the SHELL of this stage is not a POSIX shell or cmd, so && may not chain commands' };
  const flags = flagTexts(model, row[0]);
  for (let k = 0; k < row.length; k++) {
    const run = row[k];
    const isLast = k === row.length - 1;
    if (run.form === 'exec') return { reason: 'a RUN is in exec (JSON) form' };
    if (run.heredocs.length > 0) return { reason: 'a RUN has a heredoc' };
    const script = run.script;
    if (!run.argsSpan || !script || script.commands.length === 0) return { reason: 'a RUN has no command' };
    if (flagTexts(model, run) !== flags) return { reason: 'the RUNs have different flags' };
    if (run.mounts.some((m) => m.type === 'tmpfs' || (m.type === 'bind' && (m.options.has('rw') || m.options.has('readwrite'))))) {
      return { reason: 'a tmpfs or writable bind mount starts fresh in each RUN' };
    }
    if (script.trailingOperator) return { reason: `a RUN ends with ${script.trailingOperator}` };
    const ops = script.operators;
    if (ops.includes('&')) return { reason: 'a RUN has & (a background job in sh, a command separator in cmd)' };
    if (k > 0 && ops.some((op) => op === ';' || op === '||' || op === '\n')) {
      return { reason: 'a RUN after the first has ; or || between its commands, so && would bind to its first part only' };
    }
    if (!script.endsCleanly()) return { reason: 'a RUN ends inside an unterminated quote or substitution' };
    if (isLast) continue;
    if (script.endsInComment) return { reason: 'a RUN ends with a shell comment' };
    if (model.text.slice(run.span.start, contentEnd(model, run)).endsWith(model.escape)) return { reason: 'a RUN ends with a line continuation' };
    if (shell === 'cmd') {
      const other = script.commands.find((c) => !CMD_FILE_COMMANDS.has(c.name.toLowerCase().replace(/\.exe$/, '')));
      if (other) return { reason: `on Windows the next RUN would not see changes ${other.name || 'a command'} makes to PATH or other variables` };
      continue;
    }
    if (ops.includes('(') || script.commands.some(changesShellState)) {
      return { reason: 'a RUN changes the shell state (cd, export, set, a variable or function) that the next RUN does not see today' };
    }
    if (script.commands.some(changesOwnAccount)) return { reason: 'a RUN changes a user account that Docker reads when the next RUN starts' };
    if (script.commands.some(setsErrexit) && row.slice(k + 1).some((r) => /\$\(|`/.test(r.script?.source.text ?? ''))) {
      return { reason: 'set -e would reach the command substitutions of the next RUN' };
    }
  }
  const reinstalled = shell === 'posix' ? staleCommand(row) : undefined;
  if (reinstalled) return { reason: `a RUN reinstalls ${reinstalled}, and one shell would keep running the copy it found first` };
  const edits: Edit[] = [];
  for (let k = 1; k < row.length; k++) {
    const gap = joinGap(model, row[k - 1], row[k]);
    if (typeof gap === 'string') return { reason: gap };
    edits.push(gap);
  }
  return { edits };
}

/**
 * The edit joining `next` onto `prev`: from the end of prev's text to the start of next's
 * arguments (its keyword and flags go; they equal prev's), replaced by ` && `, a continuation and a
 * 4-space indent. Comment lines between are kept inside the continuation (Docker drops comment
 * lines there); blank lines are dropped (empty continuation lines are deprecated).
 */
function joinGap(model: DockerfileModel, prev: RunInstruction, next: RunInstruction): Edit | string {
  const start = contentEnd(model, prev);
  const parts = model.text.slice(start, next.span.start).split(/(\r\n|\n|\r)/);
  // [rest of prev's last line, break, line, break, ..., indent before next's keyword]
  if (parts.length < 3) return 'the RUNs share a line';
  const eol = parts[1];
  const kept: string[] = [];
  for (let p = 0; p < parts.length; p += 2) {
    const line = parts[p];
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (p === 0 || p === parts.length - 1 || !trimmed.startsWith('#')) return 'something other than comments stands between the RUNs';
    if (PRAGMA.test(trimmed)) return 'a suppression comment between them would no longer apply to an instruction';
    kept.push(line);
  }
  const text = ` && ${model.escape}${eol}${kept.map((l) => l + eol).join('')}    `;
  return { span: { start, end: next.argsSpan!.start }, text };
}

/** The flags as written, sorted, so the same flags in any order compare equal. */
function flagTexts(model: DockerfileModel, run: RunInstruction): string {
  return JSON.stringify(run.flags.map((f) => model.text.slice(f.span.start, f.span.end)).sort());
}

/** Whether a command leaves something behind in its shell (directory, variables, options, functions). */
function changesShellState(cmd: ShellCommand): boolean {
  const prefix = cmd.words.slice(0, cmd.nameIndex);
  // `exec` is read as a prefix (`exec foo` runs foo), but nothing after it runs in this shell.
  if (prefix.some((w) => !w.quoted && w.value === 'exec')) return true;
  if (cmd.nameIndex >= cmd.words.length) {
    // Only assignments (`X=1`) set shell variables; a lone `fi` or `done` sets nothing.
    return prefix.some((w) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(w.value));
  }
  const name = cmd.name;
  if (STATEFUL.has(name)) return true;
  if (name === 'printf') return cmd.args.some((w) => w.value.startsWith('-v'));
  if (name === 'set') {
    const args = cmd.args;
    for (let k = 0; k < args.length; k++) {
      const v = args[k].value;
      if (HARMLESS_SET.test(v)) continue;
      if ((v === '-o' || v === '+o') && HARMLESS_SET_O.has(args[k + 1]?.value ?? '')) {
        k++;
        continue;
      }
      return true;
    }
  }
  return false;
}

/** An account change that may be for the user running the RUN: through sudo, for root, or for a variable. */
function changesOwnAccount(cmd: ShellCommand): boolean {
  if (!ACCOUNT_CHANGERS.has(cmd.name)) return false;
  if (cmd.name === 'adduser' || cmd.name === 'addgroup') {
    // Only `adduser USER GROUP` changes an existing account; creating one changes no running user.
    if (cmd.positionals().length < 2) return false;
  }
  const viaSudo = cmd.words.slice(0, cmd.nameIndex).some((w) => /(^|\/)(sudo|doas)$/.test(w.value));
  return viaSudo || cmd.args.some((w) => w.value === 'root' || w.value.includes('$'));
}

function setsErrexit(cmd: ShellCommand): boolean {
  if (cmd.name !== 'set' || cmd.nameIndex >= cmd.words.length) return false;
  return cmd.args.some((w, k, all) => /^-[a-z]*e/.test(w.value) || (w.value === '-o' && all[k + 1]?.value === 'errexit'));
}

/**
 * A command that one RUN runs and then installs again (`pip install --upgrade pip`) and a later
 * RUN runs: a shell remembers where it found a command, so a merged script would keep running the
 * old copy when the new one lands elsewhere on PATH, where a new RUN looks it up again.
 */
function staleCommand(row: RunInstruction[]): string | undefined {
  const found = new Set<string>();
  const reinstalledIn = new Map<string, number>();
  for (let r = 0; r < row.length; r++) {
    for (const c of row[r].commands) {
      const at = reinstalledIn.get(c.name);
      if (at !== undefined && at < r) return c.name;
      if (c.name !== '') found.add(c.name);
      for (const w of c.args) {
        const name = w.value.split(/[@=<>~![ ]/)[0];
        if (found.has(name) && !reinstalledIn.has(name)) reinstalledIn.set(name, r);
      }
    }
  }
  return undefined;
}

/**
 * The shell a RUN uses: the last SHELL before it in its stage, else the one inherited from the
 * stages it is built FROM, else the default: cmd for Windows images (a backtick escape or a
 * Windows base image), `/bin/sh -c` otherwise.
 */
function shellOf(model: DockerfileModel, run: RunInstruction): ShellKind {
  const last = foldBefore(run, LAST_SHELL);
  if (last) return shellKind(model, last);
  const root = run.stage && rootStage(run.stage);
  const image = root?.image ? `${root.image.raw} ${root.image.resolved}` : '';
  return model.escape === '`' || /windows|servercore|nanoserver/i.test(image) ? 'cmd' : 'posix';
}

function shellKind(model: DockerfileModel, shell: Instruction): ShellKind {
  if (!shell.argsSpan) return 'other';
  const { source } = shellFormSource(model.text, shell.argsSpan.start, shell.argsSpan.end, model.escape);
  const program = parseJsonArray(source)?.[0]?.source.text;
  if (!program) return 'other';
  const base = program.replace(/\\/g, '/').split('/').pop()!.toLowerCase().replace(/\.exe$/, '');
  if (base === 'cmd') return 'cmd';
  return POSIX_SHELLS.has(base) ? 'posix' : 'other';
}

/**
 * Whether a suppression comment for this rule sits right above the row's first RUN: the merge-all
 * fix must leave such a row alone. (Rules do not see suppressions; this mirrors engine/suppress.ts.)
 */
function suppressedAbove(model: DockerfileModel, first: RunInstruction): boolean {
  const lines = model.lines;
  for (let l = first.startLine - 1; l >= 0; l--) {
    const raw = model.text.slice(lines.starts[l], lines.lineEnd(l)).trim();
    if (!raw.startsWith('#')) return false;
    const s = /^#\s*slimfile-ignore\s+(.*)$/.exec(raw);
    if (s && s[1].split(/\s--(?:\s|$)/)[0].split(/[\s,]+/).includes(ID)) return true;
    const h = /^#\s*hadolint\s+ignore\s*=\s*(.*)$/i.exec(raw);
    if (h && h[1].split(/[\s,]+/).some((c) => c.toUpperCase() === HADOLINT)) return true;
  }
  return false;
}
