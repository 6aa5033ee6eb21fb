// A shell reader good enough to find commands and their words in RUN instructions, with exact
// spans: quotes, escapes, $(...), backticks, operators, redirections, comments, nested heredocs,
// prefixes (sudo, env, VAR=1, if/then/do) and `sh -c "..."` scripts. It never executes or expands
// anything, and never throws: an unterminated quote runs to the end of the text.
import { docSpan, endOf, escapeFor, type ShellSource } from './source';
import type { Edit, Span } from '../text';

export interface ShellWord {
  /** The word after quote removal (`"a b"` → `a b`); `$(...)` and `$VAR` are kept as written. */
  value: string;
  /** Logical offsets in the source. */
  start: number;
  end: number;
  /** Document span of the word as written. */
  span: Span;
  /** Whether any part was quoted or escaped. */
  quoted: boolean;
  /** For exec-form array elements: the element including its quotes. */
  outer?: Span;
  /** For exec-form array elements: the decoded string as its own source (for `sh -c`). */
  source?: ShellSource;
}

export type Operator = '&&' | '||' | ';' | '|' | '&' | '\n' | '(' | ')' | ';;';

interface WordToken {
  t: 'w';
  word: ShellWord;
}
interface OpToken {
  t: 'op';
  op: Operator;
  start: number;
  end: number;
}
interface RedirToken {
  t: 'redir';
  op: string;
  start: number;
  end: number;
}
interface CommentToken {
  t: 'comment';
  start: number;
  end: number;
}
type Token = WordToken | OpToken | RedirToken | CommentToken;

const OP_CHARS = new Set([';', '&', '|', '(', ')', '<', '>']);
const BLANK = new Set([' ', '\t', '\r', '\f', '\v']);
const REDIRECTION = /^(?:[0-9]+)?(?:<<<|<<-|<<|<>|<&|>>|>&|>\||&>>|&>|<|>)/;
/** ASCII characters that need a look inside a word: blanks, operators, quotes, escapes, expansions. */
const WORD_SPECIAL = new Uint8Array(128);
for (const c of ' \t\r\f\v\n;&|()<>\\\'"$`') WORD_SPECIAL[c.charCodeAt(0)] = 1;

/** Reads the tokens of a source. */
function tokenize(src: ShellSource): Token[] {
  const t = src.text;
  const n = t.length;
  const tokens: Token[] = [];
  const pendingHeredocs: { delim: string; strip: boolean }[] = [];
  let i = 0;
  let expectHeredocDelim: boolean | undefined;
  while (i < n) {
    const c = t[i];
    if (BLANK.has(c)) {
      i++;
      continue;
    }
    if (src.posix && c === '\\' && t[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '\n') {
      tokens.push({ t: 'op', op: '\n', start: i, end: i + 1 });
      i++;
      // Bodies of heredocs opened on this line are data, not commands.
      while (pendingHeredocs.length > 0) {
        const { delim, strip } = pendingHeredocs.shift()!;
        for (;;) {
          if (i >= n) break;
          let e = t.indexOf('\n', i);
          if (e < 0) e = n;
          let line = t.slice(i, e);
          if (line.endsWith('\r')) line = line.slice(0, -1);
          if (strip) line = line.replace(/^\t+/, '');
          i = Math.min(e + 1, n);
          if (line === delim) break;
        }
      }
      continue;
    }
    if (c === '#') {
      let e = t.indexOf('\n', i);
      if (e < 0) e = n;
      tokens.push({ t: 'comment', start: i, end: e });
      i = e;
      continue;
    }
    // Redirections, with an optional file descriptor number in front (they start with one of `<>&0-9`).
    const redir = c === '<' || c === '>' || c === '&' || (c >= '0' && c <= '9') ? REDIRECTION.exec(t.slice(i, i + 6)) : null;
    if (redir && (redir[0][0] < '0' || redir[0][0] > '9' || /[<>]/.test(redir[0]))) {
      const op = redir[0];
      tokens.push({ t: 'redir', op, start: i, end: i + op.length });
      i += op.length;
      if (op.endsWith('<<') || op.endsWith('<<-')) expectHeredocDelim = op.endsWith('-');
      else expectHeredocDelim = undefined;
      continue;
    }
    if (OP_CHARS.has(c)) {
      const two = t.slice(i, i + 2);
      let op: Operator;
      if (two === '&&' || two === '||' || two === ';;') op = two;
      else if (two === '|&') op = '|';
      else op = c as Operator;
      const len = two === '|&' || op.length === 2 ? 2 : 1;
      tokens.push({ t: 'op', op, start: i, end: i + len });
      i += len;
      continue;
    }
    const word = readWord(src, i);
    tokens.push({ t: 'w', word });
    if (expectHeredocDelim !== undefined) {
      pendingHeredocs.push({ delim: word.value, strip: expectHeredocDelim });
      expectHeredocDelim = undefined;
    }
    i = word.end;
  }
  return tokens;
}

/** Reads one word starting at `start`. */
function readWord(src: ShellSource, start: number): ShellWord {
  const t = src.text;
  const n = t.length;
  let i = start;
  let value = '';
  let quoted = false;
  while (i < n) {
    // A run of ordinary characters is taken in one slice.
    let j = i;
    for (let code = t.charCodeAt(j); j < n && (code >= 128 || WORD_SPECIAL[code] === 0); code = t.charCodeAt(++j));
    if (j > i) {
      value += t.slice(i, j);
      i = j;
      continue;
    }
    const c = t[i];
    if (BLANK.has(c) || c === '\n' || OP_CHARS.has(c)) break;
    if (c === '\\' && src.posix) {
      if (t[i + 1] === '\n') {
        i += 2;
        continue;
      }
      quoted = true;
      if (i + 1 < n) value += t[i + 1];
      i += 2;
      continue;
    }
    if (c === "'") {
      quoted = true;
      const e = t.indexOf("'", i + 1);
      const stop = e < 0 ? n : e;
      value += t.slice(i + 1, stop);
      i = stop + 1;
      continue;
    }
    if (c === '"') {
      quoted = true;
      i++;
      while (i < n && t[i] !== '"') {
        if (t[i] === '\\' && src.posix && i + 1 < n) {
          const nx = t[i + 1];
          if (nx === '\n') {
            i += 2;
            continue;
          }
          value += nx === '$' || nx === '`' || nx === '"' || nx === '\\' ? nx : t[i] + nx;
          i += 2;
          continue;
        }
        if (t[i] === '$' && t[i + 1] === '(') {
          const e = skipBalanced(src, i + 1, '(', ')');
          value += t.slice(i, e);
          i = e;
          continue;
        }
        if (t[i] === '`') {
          const e = skipBackticks(src, i);
          value += t.slice(i, e);
          i = e;
          continue;
        }
        // A run of characters with no meaning inside double quotes, in one slice (added one by one,
        // a long quoted word was a chain of one-character strings).
        let j = i + 1;
        for (let code = t.charCodeAt(j); j < n && code !== 34 && code !== 92 && code !== 36 && code !== 96; code = t.charCodeAt(++j));
        value += t.slice(i, j);
        i = j;
      }
      i++;
      continue;
    }
    if (c === '$' && t[i + 1] === "'") {
      quoted = true;
      let j = i + 2;
      while (j < n && t[j] !== "'") j += t[j] === '\\' ? 2 : 1;
      value += t.slice(i + 2, Math.min(j, n));
      i = j + 1;
      continue;
    }
    if (c === '$' && (t[i + 1] === '(' || t[i + 1] === '{')) {
      const e = skipBalanced(src, i + 1, t[i + 1], t[i + 1] === '(' ? ')' : '}');
      value += t.slice(i, e);
      i = e;
      continue;
    }
    if (c === '`' && src.posix) {
      const e = skipBackticks(src, i);
      value += t.slice(i, e);
      i = e;
      continue;
    }
    value += c;
    i++;
  }
  const end = Math.min(i, n);
  return { value, start, end, span: docSpan(src, start, end), quoted };
}

/** From an opening bracket at `i`, the offset after its matching close (or the end). */
function skipBalanced(src: ShellSource, i: number, open: string, close: string): number {
  const t = src.text;
  let depth = 0;
  while (i < t.length) {
    const c = t[i];
    if (c === '\\' && src.posix) {
      i += 2;
      continue;
    }
    if (c === "'") {
      const e = t.indexOf("'", i + 1);
      i = e < 0 ? t.length : e + 1;
      continue;
    }
    if (c === '"') {
      i++;
      while (i < t.length && t[i] !== '"') i += t[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (c === open) depth++;
    else if (c === close) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return t.length;
}

function skipBackticks(src: ShellSource, i: number): number {
  const t = src.text;
  i++;
  while (i < t.length && t[i] !== '`') i += t[i] === '\\' ? 2 : 1;
  return Math.min(i + 1, t.length);
}

// Words that start a compound command or precede the real command.
const RESERVED_PREFIX = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', 'time']);
const RESERVED_ALONE = new Set(['fi', 'done', 'esac', '}']);
const SUDO_VALUE_OPTS = new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-T', '-U', '--user', '--group']);
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh']);

/** One simple command: its words, the command it runs, and where it stands in the RUN. */
export class ShellCommand {
  /** Execution order within the RUN (nested `sh -c` commands follow their wrapper). */
  index = 0;
  /** The script nested in this command (`sh -c "..."`), if any. */
  nested: ShellScript | undefined;

  constructor(
    /** All words, prefixes included, redirections excluded. */
    readonly words: ShellWord[],
    /** Position of the command word in `words`; `words.length` when there is none. */
    readonly nameIndex: number,
    /** The operator after the command, if any. */
    readonly separator: Operator | undefined,
    readonly script: ShellScript,
    /** Logical offset just after the last token that belongs to the command (redirections too). */
    readonly tailEnd: number,
  ) {}

  private nameCache: string | undefined;

  /** The command's base name (`/usr/bin/apt-get` → `apt-get`); `''` when the command is only assignments. */
  get name(): string {
    if (this.nameCache !== undefined) return this.nameCache;
    const w = this.words[this.nameIndex];
    if (!w) return (this.nameCache = '');
    const v = w.value;
    const slash = v.lastIndexOf('/');
    return (this.nameCache = slash >= 0 ? v.slice(slash + 1) : v);
  }

  get nameWord(): ShellWord | undefined {
    return this.words[this.nameIndex];
  }

  /** Words after the command word. */
  get args(): ShellWord[] {
    return this.words.slice(this.nameIndex + 1);
  }

  /** `VAR=value` assignments written before the command (also after `env`). */
  get assignments(): Map<string, string> {
    const out = new Map<string, string>();
    for (const w of this.words.slice(0, this.nameIndex)) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(w.value);
      if (m) out.set(m[1], m[2]);
    }
    return out;
  }

  /** Document span from the command word to the last argument. */
  get span(): Span {
    const first = this.words[this.nameIndex] ?? this.words[0];
    const last = this.words[this.words.length - 1];
    if (!first || !last) return docSpan(this.script.source, this.tailEnd, this.tailEnd);
    return { start: first.span.start, end: last.span.end };
  }

  /**
   * Whether an argument is one of `names` (`--flag`, `--flag=value`), or a short option cluster that
   * contains a one-letter name (`-qy` has `-y`). Stops at `--`.
   */
  hasFlag(...names: string[]): boolean {
    for (const w of this.args) {
      const v = w.value;
      if (v === '--') return false;
      for (const name of names) {
        if (v === name || v.startsWith(name + '=')) return true;
        if (/^-[A-Za-z]$/.test(name) && /^-[A-Za-z]+$/.test(v) && v.includes(name[1])) return true;
      }
    }
    return false;
  }

  /** The value of an option written `--opt value`, `--opt=value` or `-oValue`; all occurrences. */
  optionValues(...names: string[]): string[] {
    const out: string[] = [];
    const args = this.args;
    for (let k = 0; k < args.length; k++) {
      const v = args[k].value;
      for (const name of names) {
        if (v === name && k + 1 < args.length) out.push(args[k + 1].value);
        else if (v.startsWith(name + '=')) out.push(v.slice(name.length + 1));
        else if (/^-[A-Za-z]$/.test(name) && v.startsWith(name) && v.length > 2) out.push(v.slice(2));
      }
    }
    return out;
  }

  /** Arguments that are not options, skipping the values of options listed in `valueOptions`. */
  positionals(valueOptions: ReadonlySet<string> = new Set()): ShellWord[] {
    const out: ShellWord[] = [];
    const args = this.args;
    let onlyPositional = false;
    for (let k = 0; k < args.length; k++) {
      const v = args[k].value;
      if (!onlyPositional && v === '--') {
        onlyPositional = true;
        continue;
      }
      if (!onlyPositional && v.startsWith('-') && v.length > 1) {
        if (valueOptions.has(v)) k++;
        continue;
      }
      out.push(args[k]);
    }
    return out;
  }

  /** An edit inserting an argument right after `word` (written for this source: shell or JSON). */
  insertAfter(word: ShellWord, arg: string): Edit {
    const kind = this.script.source.kind;
    if (kind === 'json-array') {
      const at = word.outer ? word.outer.end : word.span.end;
      return { span: { start: at, end: at }, text: `, ${JSON.stringify(arg)}` };
    }
    return { span: { start: word.span.end, end: word.span.end }, text: ' ' + escapeFor(kind, arg) };
  }
}

/** The commands of one source, in order. */
export class ShellScript {
  commands: ShellCommand[] = [];
  /** A `#` comment after the last command (appending after it would be commented out). */
  endsInComment = false;
  /** The operator that ends the script with nothing after it (`a;`, `a &`). */
  trailingOperator: Operator | undefined;

  constructor(
    readonly source: ShellSource,
    /** The command this script is nested in (`sh -c`), if any. */
    readonly parent: ShellCommand | undefined,
  ) {}

  /** The last command that runs something. */
  get lastCommand(): ShellCommand | undefined {
    for (let k = this.commands.length - 1; k >= 0; k--) {
      if (this.commands[k].words.length > 0) return this.commands[k];
    }
    return undefined;
  }

  /** Operators between commands at this level (newlines included), in order. */
  get operators(): Operator[] {
    const ops: Operator[] = [];
    for (const c of this.commands) if (c.separator) ops.push(c.separator);
    return ops;
  }

  private cleanEnd: boolean | undefined;

  /**
   * Whether text after the script would start a command of its own: not after an unterminated
   * quote, `$(`, backtick or `${` (it would become part of the last word). The last command's text is
   * re-read with ` && :` appended, by the same reader; a script with no command ends cleanly.
   */
  endsCleanly(): boolean {
    if (this.cleanEnd !== undefined) return this.cleanEnd;
    const last = this.lastCommand;
    if (!last || this.source.kind === 'json-array') return (this.cleanEnd = true);
    const text = `${this.source.text.slice(last.words[0].start, last.tailEnd)} && :`;
    const map = new Int32Array(text.length + 1);
    for (let k = 0; k < map.length; k++) map[k] = k;
    const probe = parseScript({ kind: this.source.kind, text, map, posix: this.source.posix });
    return (this.cleanEnd = probe.lastCommand?.name === ':' && probe.lastCommand.words.length === 1);
  }

  /**
   * An edit that appends `&& <command>` after the last command, so it runs after everything else
   * when everything succeeded. Undefined where that would be wrong: a background `&` at the end, a
   * trailing comment, an exec-form array, a last command `exit` (nothing after it runs), a quote
   * or substitution left open.
   */
  appendCommand(command: string): Edit | undefined {
    if (this.source.kind === 'json-array') return undefined;
    const last = this.lastCommand;
    if (!last) return undefined;
    if (last.separator === '&' || last.name === 'exit') return undefined;
    if (this.endsInComment && this.source.kind !== 'heredoc') return undefined;
    if (!this.endsCleanly()) return undefined;
    const at = endOf(this.source, last.tailEnd - 1);
    return { span: { start: at, end: at }, text: escapeFor(this.source.kind, ` && ${command}`) };
  }
}

/** Parses a source into a script; nested `sh -c` scripts are parsed too, up to a depth. */
export function parseScript(src: ShellSource, parent?: ShellCommand, depth = 0): ShellScript {
  const script = new ShellScript(src, parent);
  const tokens = tokenize(src);
  let words: ShellWord[] = [];
  let tailEnd = -1;
  let expectRedirTarget = false;
  let lastWasComment = false;
  const finish = (sep: Operator | undefined): void => {
    if (words.length === 0) return;
    // A copy of exactly its length: an array grown by push keeps room for 17 (most commands have
    // a few words, and a 50k-line file has tens of thousands of them).
    const cmd = new ShellCommand(words.slice(), findNameIndex(words), sep, script, tailEnd);
    script.commands.push(cmd);
    words = [];
  };
  for (const tok of tokens) {
    lastWasComment = false;
    if (tok.t === 'comment') {
      lastWasComment = true;
      continue;
    }
    if (tok.t === 'redir') {
      expectRedirTarget = true;
      tailEnd = tok.end;
      continue;
    }
    if (tok.t === 'w') {
      tailEnd = tok.word.end;
      if (expectRedirTarget) {
        expectRedirTarget = false;
        continue;
      }
      words.push(tok.word);
      continue;
    }
    expectRedirTarget = false;
    if (tok.op === ')') tailEnd = tok.end;
    if (words.length === 0) {
      // An operator after nothing: attach it to the previous command when that one has none.
      const prev = script.commands[script.commands.length - 1];
      if (prev && prev.separator === undefined && tok.op !== '(') {
        script.commands[script.commands.length - 1] = withSeparator(prev, tok.op);
      }
      continue;
    }
    finish(tok.op);
  }
  finish(undefined);
  script.commands = script.commands.slice(); // exactly its length, like a command's words
  script.endsInComment = lastWasComment;
  const last = script.commands[script.commands.length - 1];
  if (last && last.separator && last.separator !== '\n' && last.separator !== ')') script.trailingOperator = last.separator;
  if (depth < 4) {
    for (const cmd of script.commands) cmd.nested = nestedScript(cmd, depth);
  }
  return script;
}

function withSeparator(cmd: ShellCommand, sep: Operator): ShellCommand {
  return new ShellCommand(cmd.words, cmd.nameIndex, sep, cmd.script, cmd.tailEnd);
}

/** Index of the command word after prefixes such as `VAR=1`, `sudo -u x`, `env -i`, `then`. */
function findNameIndex(words: ShellWord[]): number {
  let k = 0;
  while (k < words.length) {
    const w = words[k];
    const v = w.value;
    if (!w.quoted && RESERVED_PREFIX.has(v)) {
      k++;
      continue;
    }
    if (!w.quoted && RESERVED_ALONE.has(v)) {
      k++;
      continue;
    }
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(v)) {
      k++;
      continue;
    }
    const base = v.slice(v.lastIndexOf('/') + 1);
    if (base === 'sudo' || base === 'doas') {
      k++;
      while (k < words.length && words[k].value.startsWith('-')) {
        k += SUDO_VALUE_OPTS.has(words[k].value) ? 2 : 1;
      }
      continue;
    }
    if (base === 'env') {
      k++;
      while (k < words.length && (words[k].value.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[k].value))) {
        k += words[k].value === '-u' || words[k].value === '-C' ? 2 : 1;
      }
      continue;
    }
    if (base === 'nice') {
      k++;
      if (words[k]?.value === '-n') k += 2;
      else if (words[k]?.value.startsWith('-')) k++;
      continue;
    }
    if (base === 'command' || base === 'exec' || base === 'nohup' || base === 'eatmydata' || base === 'builtin') {
      k++;
      continue;
    }
    if (base === 'gosu' || base === 'su-exec') {
      k += 2;
      continue;
    }
    return k;
  }
  return words.length;
}

/** The script of `sh -c '...'` (also `bash -ec`, `/bin/sh -o pipefail -c`), if this is one. */
function nestedScript(cmd: ShellCommand, depth: number): ShellScript | undefined {
  if (!SHELLS.has(cmd.name)) return undefined;
  const args = cmd.args;
  for (let k = 0; k < args.length; k++) {
    const v = args[k].value;
    if (v === '-o' || v === '+o') {
      k++;
      continue;
    }
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(v)) {
      const scriptWord = args[k + 1];
      if (!scriptWord) return undefined;
      return parseScript(scriptWord.source ?? wordSource(cmd.script.source, scriptWord), cmd, depth + 1);
    }
    if (!v.startsWith('-') && !v.startsWith('+')) return undefined;
  }
  return undefined;
}

/** A source for the text of a word after quote removal, mapped to the document. */
function wordSource(src: ShellSource, word: ShellWord): ShellSource {
  const t = src.text;
  const chars: string[] = [];
  const offsets: number[] = [];
  const ends: number[] = [];
  let i = word.start;
  /** Adds character `k`, written from `from` (its escaping backslash, if any) to `k`. */
  const push = (k: number, from = k): void => {
    chars.push(t[k]);
    offsets.push(src.map[from]);
    ends.push(endOf(src, k));
  };
  while (i < word.end) {
    const c = t[i];
    if (c === '\\' && src.posix) {
      if (i + 1 < word.end) push(i + 1, i);
      i += 2;
      continue;
    }
    if (c === "'") {
      const e = t.indexOf("'", i + 1);
      const stop = e < 0 || e > word.end ? word.end : e;
      for (let k = i + 1; k < stop; k++) push(k);
      i = stop + 1;
      continue;
    }
    if (c === '"') {
      i++;
      while (i < word.end && t[i] !== '"') {
        if (t[i] === '\\' && src.posix && '$`"\\\n'.includes(t[i + 1] ?? '')) {
          push(i + 1, i);
          i += 2;
          continue;
        }
        push(i);
        i++;
      }
      i++;
      continue;
    }
    push(i);
    i++;
  }
  offsets.push(src.map[Math.min(word.end, t.length)]);
  ends.push(src.map[Math.min(word.end, t.length)]);
  return { kind: src.kind, text: chars.join(''), map: Int32Array.from(offsets), posix: src.posix, ends: Int32Array.from(ends) };
}
