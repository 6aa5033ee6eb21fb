// Splits a Dockerfile into instructions: where each starts, where its keyword ends, where it ends
// (continuations and heredoc bodies included), and the escape character from the parser
// directives. The boundaries are the ones dockerfile-ast's parser draws, odd cases included (a
// keyword broken by a continuation, `#` lines inside continuations, heredocs of ONBUILD RUN), so
// spans stay what editors built on it show; test/analysis/split.test.ts compares the two on the
// corpus and on generated text. It reads each character once or twice and builds no argument
// objects, which is where a full parse spends its time.

export interface RawInstruction {
  /** The keyword as written, upper-cased (`RUN`); it can hold characters after an escaped line break. */
  keyword: string;
  start: number;
  keywordEnd: number;
  end: number;
  /** A heredoc it opens never closes: the rest of the text is its body. */
  openHeredoc?: true;
}

export interface Split {
  escape: '\\' | '`';
  instructions: RawInstruction[];
}

const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const HASH = 35;

const isBreak = (c: number): boolean => c === LF || c === CR;
const isBlank = (c: number): boolean => c === SPACE || c === TAB;

/** An offset moved off the middle of a `\r\n` pair, as positions round-trip in LSP documents. */
function clampOffset(text: string, o: number): number {
  if (o > text.length) return text.length;
  return o > 0 && text.charCodeAt(o - 1) === CR && text.charCodeAt(o) === LF ? o - 1 : o;
}

/** Reads the parser directives at the top: their count and the escape character they set. */
function readDirectives(text: string): { count: number; escape: '\\' | '`' } {
  let count = 0;
  let escape: '\\' | '`' | undefined;
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (isBlank(c)) continue;
    if (c !== HASH) break;
    // A `#` line: `name=value`, the name and the value each ending at a blank.
    let nameStart = -1;
    let nameEnd = -1;
    let j = i + 1;
    let directive = false;
    let stop = false;
    for (; j < n; j++) {
      const d = text.charCodeAt(j);
      if (isBlank(d)) {
        if (nameStart >= 0 && nameEnd < 0) nameEnd = j;
        continue;
      }
      if (isBreak(d)) {
        stop = true;
        break;
      }
      if (d !== 61 /* = */) {
        if (nameStart < 0) nameStart = j;
        continue;
      }
      if (nameStart < 0) {
        stop = true;
        break;
      }
      if (nameEnd < 0) nameEnd = j;
      let valueStart = -1;
      let valueEnd = -1;
      let k = j + 1;
      for (; k < n; k++) {
        const e = text.charCodeAt(k);
        if (isBreak(e)) break;
        if (isBlank(e)) {
          if (valueStart >= 0 && valueEnd < 0) valueEnd = k;
        } else if (valueStart < 0) valueStart = k;
      }
      if (valueStart < 0) {
        valueStart = j + 1;
        valueEnd = k;
      } else if (valueEnd < 0) valueEnd = k;
      count++;
      if (escape === undefined && text.slice(nameStart, nameEnd).toLowerCase() === 'escape') {
        const v = text.slice(valueStart, valueEnd);
        if (v === '\\' || v === '`') escape = v;
      }
      // Reading goes on right after the value (past a `\r` there), one character further.
      i = text.charCodeAt(valueEnd) === CR ? valueEnd + 1 : valueEnd;
      directive = true;
      break;
    }
    if (stop) break;
    if (directive) continue;
    // A `#` line that reached the end of the text without `=`: reading goes on after the `#`.
  }
  return { count, escape: escape ?? '\\' };
}

/** Offset of the start of line `line` (0-based), or the text's length past the last line. */
function lineStartOffset(text: string, line: number): number {
  let l = 0;
  for (let i = 0; i < text.length && l < line; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) l++;
    else if (c === CR) {
      if (text.charCodeAt(i + 1) === LF) i++;
      l++;
    }
    if (l === line) return i + 1;
  }
  return line === 0 ? 0 : text.length;
}

export function splitInstructions(text: string): Split {
  const { count, escape } = readDirectives(text);
  const esc = escape.charCodeAt(0);
  const n = text.length;
  const out: RawInstruction[] = [];
  // Set by the reader of the last instruction when a heredoc it opens never closes.
  const heredoc = { open: false };
  let i = count > 0 ? lineStartOffset(text, count) : text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (isBlank(c) || isBreak(c)) continue;
    if (c === HASH) {
      while (i < n && !isBreak(text.charCodeAt(i))) i++;
      continue;
    }
    i = readInstruction(text, i, esc, out, heredoc);
  }
  return { escape, instructions: out };
}

/** Reads the instruction starting at `start`; returns the offset where it stopped. */
function readInstruction(text: string, start: number, esc: number, out: RawInstruction[], heredoc: { open: boolean }): number {
  const n = text.length;
  let keyword = text[start];
  let keywordEnd = -1;
  // After an escaped line break, until something other than blanks follows.
  let continued = false;
  const push = (end: number): number => {
    const kwEnd = keywordEnd < 0 ? end : keywordEnd;
    const raw: RawInstruction = { keyword: keyword.toUpperCase(), start, keywordEnd: clampOffset(text, kwEnd), end: clampOffset(text, end) };
    if (heredoc.open) raw.openHeredoc = true;
    out.push(raw);
    return end;
  };
  for (let i = start + 1; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === esc) {
      continued = true;
      const next = text.charCodeAt(i + 1);
      if (isBreak(next)) {
        if (keywordEnd < 0) keywordEnd = i;
        i++;
        continue;
      }
      if (isBlank(next)) {
        let j = i + 2;
        while (j < n && isBlank(text.charCodeAt(j))) j++;
        if (j < n && isBreak(text.charCodeAt(j))) {
          i = j;
          continue;
        }
        keywordEnd = i + 1;
        keyword += text[i];
        if (j >= n) return push(n);
        // The blank before the next word ends the keyword.
        i = j - 2;
        continue;
      }
      keywordEnd = i + 1;
      keyword += text[i];
      continued = false;
      continue;
    }
    if (isBlank(c)) {
      if (continued) {
        let j = i + 1;
        while (j < n && isBlank(text.charCodeAt(j))) j++;
        if (j < n && isBreak(text.charCodeAt(j))) {
          i = j;
          continue;
        }
        continued = false;
      }
      if (keywordEnd < 0) keywordEnd = i;
      return push(readArguments(text, keyword.toUpperCase(), keywordEnd, i, esc, heredoc));
    }
    if (isBreak(c)) {
      if (continued) continue;
      if (keywordEnd < 0) keywordEnd = i;
      return push(i);
    }
    if (c === HASH && continued) continue;
    keywordEnd = i + 1;
    keyword += text[i];
    continued = false;
  }
  if (keywordEnd < 0) keywordEnd = n;
  return push(n);
}

/**
 * Reads arguments from the blank at `offset` to the first line break that is not escaped, then
 * past the bodies of the heredocs they open. Returns the end offset.
 */
function readArguments(text: string, keyword: string, keywordEnd: number, offset: number, esc: number, heredoc: { open: boolean }): number {
  const n = text.length;
  let continued = false;
  for (let i = offset + 1; i < n; i++) {
    const c = text.charCodeAt(i);
    if (isBreak(c)) {
      if (continued) continue;
      return skipHeredocs(text, keyword, keywordEnd, i, esc, heredoc);
    }
    if (c === esc) {
      const next = text.charCodeAt(i + 1);
      if (isBreak(next)) {
        continued = true;
        i++;
      } else if (isBlank(next)) {
        let j = i + 2;
        while (j < n && isBlank(text.charCodeAt(j))) j++;
        if (j >= n) return skipHeredocs(text, keyword, keywordEnd, n, esc, heredoc);
        if (isBreak(text.charCodeAt(j))) continued = true;
        // The character at `j` is passed over, whatever it is.
        i = j;
      }
      continue;
    }
    if (c === HASH) {
      // A comment line inside a continuation.
      if (continued) while (i < n && !isBreak(text.charCodeAt(i))) i++;
      continue;
    }
    if (!isBlank(c)) continued = false;
  }
  // The arguments run to the end of the text: a heredoc they open has no body and never closes.
  return skipHeredocs(text, keyword, keywordEnd, n, esc, heredoc);
}

/**
 * Past the heredoc bodies opened by an ADD, COPY or RUN (also after ONBUILD) ending at `lineEnd`.
 * Sets `heredoc.open` when one of them never closes (the text's length is returned then).
 */
function skipHeredocs(text: string, keyword: string, keywordEnd: number, lineEnd: number, esc: number, heredoc: { open: boolean }): number {
  let argsFrom = keywordEnd;
  if (keyword === 'ONBUILD') {
    // The trigger is the first word after ONBUILD, as written.
    const first = rawWords(text, keywordEnd, lineEnd, esc, 1)[0];
    if (!first) return lineEnd;
    keyword = text.slice(clampOffset(text, first.start), clampOffset(text, first.end)).toUpperCase();
    argsFrom = first.end;
  }
  if (keyword !== 'ADD' && keyword !== 'COPY' && keyword !== 'RUN') return lineEnd;
  // A heredoc word needs two `<`: most lines have none and need no word splitting. (Looked for on
  // the line only: a search through the rest of the text made each instruction cost the file's size.)
  let lts = 0;
  for (let k = argsFrom; k < lineEnd && lts < 2; k++) if (text.charCodeAt(k) === 60 /* < */) lts++;
  if (lts < 2) return lineEnd;
  const words = rawWords(text, clampOffset(text, argsFrom), lineEnd, esc, Infinity).map((w) => w.value);
  // Leading `--flag` words are not arguments: they are counted up to the first word without `--`.
  let flagCount = 0;
  for (const w of words) {
    if (!w.includes('--')) break;
    if (w.startsWith('--')) flagCount++;
  }
  const names: string[] = [];
  let tabbed = false;
  for (const w of words.slice(flagCount)) {
    if (!w.startsWith('<<') || w.length <= 2) continue;
    if (w.startsWith('<<-')) tabbed = true;
    const name = heredocName(w);
    if (name !== undefined) names.push(name);
  }
  let at = lineEnd;
  for (const name of names) {
    at = findDelimiter(text, name, at, tabbed);
    if (at < 0) {
      heredoc.open = true;
      return text.length;
    }
  }
  return at;
}

/** The delimiter of a heredoc word (`<<-"EOF"` → `EOF`), or undefined when it has none. */
function heredocName(word: string): string | undefined {
  let v = word.slice(word.startsWith('<<-') ? 3 : 2);
  for (const q of ['"', "'"]) {
    if (v[0] !== q) continue;
    if (v[v.length - 1] !== q) return undefined;
    // substring, not slice: a lone quote stays itself, as the parser reads it.
    v = v.substring(1, v.length - 1);
  }
  return v[0] === '<' ? undefined : v;
}

/**
 * From `from`, the offset of the line break ending the line that is exactly `name` (from the
 * line's start, or after leading tabs when `tabbed`); the text's length when that line is the last
 * one, without a break; -1 when there is none.
 */
function findDelimiter(text: string, name: string, from: number, tabbed: boolean): number {
  const n = text.length;
  let wordStart = -1;
  let atLineStart = true;
  for (let i = from; i < n; i++) {
    const c = text.charCodeAt(i);
    if (isBreak(c)) {
      if (wordStart >= 0 && i - wordStart === name.length && text.startsWith(name, wordStart)) return i;
      wordStart = -1;
      atLineStart = true;
    } else if (c === SPACE || (c === TAB && !tabbed)) {
      atLineStart = false;
    } else if (c !== TAB && atLineStart) {
      wordStart = i;
      atLineStart = false;
    }
  }
  if (from < n && wordStart >= 0 && n - wordStart === name.length && text.startsWith(name, wordStart)) return n;
  return -1;
}

interface RawWord {
  value: string;
  start: number;
  end: number;
}

/**
 * The words of `[from, to)` as the parser splits arguments: at blanks and line breaks, with the
 * escape character taking the next character literally, escaped line breaks (and `#` lines right
 * after them) dropped, and a word cut where an escaped blank run ends a line.
 */
function rawWords(text: string, from: number, to: number, esc: number, limit: number): RawWord[] {
  const words: RawWord[] = [];
  const s = text.slice(from, to);
  const len = s.length;
  let lineStart = false;
  let inComment = false;
  let wordStart = -1;
  let blankAfterBreak = false;
  let continuing = false;
  let cut = -1;
  let value = '';
  const emit = (end: number): void => {
    words.push({ value, start: from + wordStart, end: from + end });
    value = '';
    wordStart = -1;
  };
  for (let i = 0; i < len && words.length < limit; i++) {
    const c = s.charCodeAt(i);
    if (isBlank(c) || isBreak(c)) {
      if (continuing) {
        blankAfterBreak = !isBreak(c);
        if (isBreak(c) && inComment) {
          inComment = false;
          lineStart = true;
        }
        continue;
      }
      if (wordStart >= 0) {
        emit(cut < 0 ? i : cut);
        cut = -1;
      }
      continue;
    }
    if (c === esc) {
      const next = s.charCodeAt(i + 1);
      if (isBlank(next)) {
        let j = i + 2;
        while (j < len && isBlank(s.charCodeAt(j))) j++;
        if (j >= len) continue;
        const d = s.charCodeAt(j);
        if (isBreak(d)) {
          if (d === CR) j++;
          inComment = false;
          continuing = true;
          lineStart = true;
          if (wordStart >= 0) cut = i;
          i = j;
        } else {
          cut = i;
          if (wordStart < 0) i = j - 1;
        }
        continue;
      }
      if (isBreak(next)) {
        inComment = false;
        continuing = true;
        lineStart = true;
        if (wordStart >= 0 && cut < 0) cut = i;
        i += next === CR ? 2 : 1;
        continue;
      }
      if (blankAfterBreak && cut >= 0) emit(cut);
      cut = -1;
      blankAfterBreak = false;
      continuing = false;
      if (i + 1 >= len) break;
      value += next === 36 /* $ */ ? s[i] + s[i + 1] : s[i + 1];
      if (wordStart < 0) wordStart = i;
      i++;
      continue;
    }
    if (inComment) continue;
    if (lineStart && c === HASH) {
      inComment = true;
    } else {
      if (blankAfterBreak && cut >= 0) emit(cut);
      blankAfterBreak = false;
      continuing = false;
      cut = -1;
      value += s[i];
      if (wordStart < 0) wordStart = i;
    }
    lineStart = false;
  }
  if (wordStart >= 0 && words.length < limit) emit(cut < 0 ? len : cut);
  return words;
}
