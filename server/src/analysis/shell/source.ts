// The text a shell sees, with a map back to document offsets. A Dockerfile RUN is not the text the
// shell runs: line continuations and comment lines inside them are removed first, JSON strings are
// decoded, heredoc bodies stand on their own. Every word keeps exact document spans through `map`.
import type { Span } from '../text';

export type SourceKind = 'shell' | 'heredoc' | 'json-string' | 'json-array';

export interface ShellSource {
  kind: SourceKind;
  /** The logical text, as the shell receives it. */
  text: string;
  /** `map[i]` is the document offset of `text[i]`; `map[text.length]` is the offset just after it. */
  map: Int32Array;
  /** Whether backslash escapes (POSIX shells); false for Windows images using the backtick escape. */
  posix: boolean;
  /** Document offset just after `text[i]`, where a character came from several (a JSON escape). */
  ends?: Int32Array;
}

/** The document offset just after logical character `k`. */
export function endOf(src: ShellSource, k: number): number {
  return src.ends ? src.ends[k] : src.map[k] + 1;
}

/** Document span of the logical range `[start, end)` of a source. */
export function docSpan(src: ShellSource, start: number, end: number): Span {
  if (end <= start) {
    const at = src.map[Math.min(start, src.text.length)];
    return { start: at, end: at };
  }
  return { start: src.map[start], end: endOf(src, end - 1) };
}

function isLineBreak(c: string): boolean {
  return c === '\n' || c === '\r';
}

/** 0, 1, 2, ...: the map of every slice of a document is a view of it (see identityMap). */
let identity = new Int32Array(0);

/**
 * The map of `[start, end)` of a document of `docLength` characters taken as it is: a view of one
 * shared array of offsets. Allocating a typed array per instruction line cost twenty times as much
 * as a view, and most lines have no continuation. Views are read-only by convention: nothing
 * writes into a map.
 */
function identityMap(start: number, end: number, docLength: number): Int32Array {
  const fits = Math.ceil((docLength + 1) / 65536) * 65536;
  // Made for the whole document at once (views of a replaced array keep it alive, so growing line
  // by line would keep every step), and made again smaller after a much bigger document, so that
  // one huge file does not leave its array behind for good.
  if (identity.length < fits || identity.length > 4 * fits) {
    identity = new Int32Array(fits);
    for (let k = 0; k < fits; k++) identity[k] = k;
  }
  return identity.subarray(start, end + 1);
}

/**
 * Builds the logical text of a shell-form instruction from `start` to the first line break that is
 * not a line continuation (or `end`). Continuations are the escape character, optional blanks and a
 * line break; blank lines and `#` comment lines directly after a continuation are dropped, as the
 * Docker parser does. Returns the source and the document offset where it stopped.
 */
export function shellFormSource(
  doc: string,
  start: number,
  end: number,
  escape: string,
): { source: ShellSource; stop: number } {
  const posix = escape !== '`';
  // Fast path: most instructions are one line with no escape character before the line break.
  const escCode = escape.charCodeAt(0);
  let brk = start;
  let hasEscape = false;
  while (brk < end) {
    const c = doc.charCodeAt(brk);
    if (c === 10 || c === 13) break;
    if (c === escCode) hasEscape = true;
    brk++;
  }
  if (!hasEscape) {
    return { source: { kind: 'shell', text: doc.slice(start, brk), map: identityMap(start, brk, doc.length), posix }, stop: brk };
  }
  // Pieces joined at the end: a string built by += stays a chain of pieces in memory.
  const pieces: string[] = [];
  const offsets = new Int32Array(end - start + 1);
  let n = 0;
  let i = start;
  let runStart = start;
  const flush = (upTo: number): void => {
    if (upTo > runStart) {
      pieces.push(doc.slice(runStart, upTo));
      for (let k = runStart; k < upTo; k++) offsets[n++] = k;
    }
  };
  while (i < end) {
    const c = doc.charCodeAt(i);
    if (c === escCode) {
      let j = i + 1;
      for (let d = doc.charCodeAt(j); j < end && (d === 32 || d === 9); d = doc.charCodeAt(++j));
      if (j >= end || isBreakCode(doc.charCodeAt(j))) {
        flush(i);
        if (j >= end) {
          i = j;
          runStart = i;
          break;
        }
        i = skipDroppedLines(doc, skipBreak(doc, j), end);
        runStart = i;
        continue;
      }
    }
    if (c === 10 || c === 13) break;
    i++;
  }
  flush(i);
  offsets[n] = i;
  // A copy of the used part: a view would keep the whole buffer, sized for heredoc bodies too.
  return { source: { kind: 'shell', text: pieces.join(''), map: offsets.slice(0, n + 1), posix }, stop: i };
}

function isBreakCode(c: number): boolean {
  return c === 10 || c === 13;
}

function skipBreak(doc: string, i: number): number {
  if (doc[i] === '\r' && doc[i + 1] === '\n') return i + 2;
  return i + 1;
}

/** Skips blank and comment lines that follow a continuation. */
function skipDroppedLines(doc: string, i: number, end: number): number {
  for (;;) {
    let j = i;
    while (j < end && (doc[j] === ' ' || doc[j] === '\t')) j++;
    if (j < end && isLineBreak(doc[j])) {
      i = skipBreak(doc, j);
      continue;
    }
    if (j < end && doc[j] === '#') {
      while (j < end && !isLineBreak(doc[j])) j++;
      if (j >= end) return j;
      i = skipBreak(doc, j);
      continue;
    }
    return i;
  }
}

/** A verbatim slice of the document (a heredoc body): the identity map. */
export function verbatimSource(doc: string, start: number, end: number, posix: boolean): ShellSource {
  return { kind: 'heredoc', text: doc.slice(start, end), map: identityMap(start, end, doc.length), posix };
}

export interface JsonElement {
  source: ShellSource;
  /** Span of the element including its quotes. */
  outer: Span;
}

/**
 * Decodes an exec-form array `["a", "b"]` from the logical text of an instruction's arguments.
 * Returns undefined when it is not a JSON array of strings: Docker then runs it as shell form.
 */
export function parseJsonArray(src: ShellSource): JsonElement[] | undefined {
  const t = src.text;
  const end = t.length;
  let i = 0;
  const ws = (): void => {
    while (i < end && (t[i] === ' ' || t[i] === '\t')) i++;
  };
  const elements: JsonElement[] = [];
  ws();
  if (t[i] !== '[') return undefined;
  i++;
  ws();
  if (t[i] === ']') {
    i++;
    ws();
    return i >= end ? elements : undefined;
  }
  const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
  for (;;) {
    ws();
    if (t[i] !== '"') return undefined;
    const outerStart = src.map[i];
    i++;
    const chars: string[] = [];
    const offsets: number[] = [];
    const ends: number[] = [];
    for (;;) {
      if (i >= end) return undefined;
      const c = t[i];
      if (c === '"') break;
      if (c === '\\') {
        const n = t[i + 1];
        if (n !== undefined && simple[n] !== undefined) {
          chars.push(simple[n]);
          offsets.push(src.map[i]);
          ends.push(src.map[i + 1] + 1);
          i += 2;
          continue;
        }
        if (n === 'u' && /^[0-9a-fA-F]{4}$/.test(t.slice(i + 2, i + 6))) {
          chars.push(String.fromCharCode(parseInt(t.slice(i + 2, i + 6), 16)));
          offsets.push(src.map[i]);
          ends.push(src.map[i + 5] + 1);
          i += 6;
          continue;
        }
        return undefined;
      }
      chars.push(c);
      offsets.push(src.map[i]);
      ends.push(src.map[i] + 1);
      i++;
    }
    offsets.push(src.map[i]);
    ends.push(src.map[i]);
    i++;
    elements.push({
      source: { kind: 'json-string', text: chars.join(''), map: Int32Array.from(offsets), posix: true, ends: Int32Array.from(ends) },
      outer: { start: outerStart, end: src.map[i - 1] + 1 },
    });
    ws();
    if (t[i] === ',') {
      i++;
      continue;
    }
    if (t[i] === ']') {
      i++;
      ws();
      return i >= end ? elements : undefined;
    }
    return undefined;
  }
}

/** Escapes text for insertion into a source of this kind. */
export function escapeFor(kind: SourceKind, text: string): string {
  return kind === 'json-string' || kind === 'json-array' ? JSON.stringify(text).slice(1, -1) : text;
}
