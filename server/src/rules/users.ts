// Who a command runs as: `sudo`, `doas`, `gosu`, `su-exec` before it (or before the `sh -c` that
// wraps it). Cache rules need it: a clean-up appended after the command must run as the same user,
// and a cache lives in that user's home.
import type { RunInstruction, ShellCommand } from '../analysis/model';

export const SIMPLE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;
const SUDO_VALUE_OPTIONS = new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-T', '-U', '--user', '--group']);

export interface UserSwitch {
  /** `sudo -u app ` as written, to run a clean-up as the same user; '' when none; undefined when it cannot be repeated. */
  prefix: string | undefined;
  /** The user switched to (`root` for plain sudo), or undefined when the command runs as the RUN's user. */
  user: string | undefined;
}

/**
 * How a command changes user: `sudo`, `doas`, `gosu` or `su-exec` before it, or before the `sh -c`
 * that wraps it, up to the level of the RUN's script (where an appended command runs).
 */
export function userSwitch(run: RunInstruction, cmd: ShellCommand): UserSwitch {
  const chain = [cmd];
  for (let c: ShellCommand | undefined = cmd; c.script !== run.script && c.script.parent; ) {
    c = c.script.parent;
    chain.push(c);
  }
  const found = chain.map(switchOf).filter((s): s is { words: string[]; user: string } => s !== undefined);
  if (found.length === 0) return { prefix: '', user: undefined };
  if (found.length > 1) return { prefix: undefined, user: found[0].user };
  const { words, user } = found[0];
  return { prefix: words.every((w) => SIMPLE_WORD.test(w)) ? words.join(' ') + ' ' : undefined, user };
}

export function switchOf(cmd: ShellCommand): { words: string[]; user: string } | undefined {
  const pre = cmd.words.slice(0, cmd.nameIndex).map((w) => w.value);
  const s = pre.findIndex((v) => /(^|\/)(sudo|doas|gosu|su-exec)$/.test(v));
  if (s < 0) return undefined;
  if (/(gosu|su-exec)$/.test(pre[s])) {
    const target = pre[s + 1] ?? '';
    return { words: pre.slice(s, s + 2), user: target.split(':')[0] };
  }
  const words = [pre[s]];
  let user = 'root';
  for (let k = s + 1; k < pre.length && pre[k].startsWith('-'); k++) {
    words.push(pre[k]);
    if (pre[k].startsWith('--user=')) user = pre[k].slice('--user='.length);
    else if (/^-u.+/.test(pre[k])) user = pre[k].slice(2);
    if (SUDO_VALUE_OPTIONS.has(pre[k]) && k + 1 < pre.length) {
      if (pre[k] === '-u' || pre[k] === '--user') user = pre[k + 1];
      words.push(pre[++k]);
    }
  }
  return { words, user };
}

export function isRootUser(user: string): boolean {
  return user === 'root' || user === '0' || user === '#0';
}
