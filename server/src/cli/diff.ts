// A line-based unified diff (Myers' O(ND) algorithm), as `diff -u` prints it, for --fix-dry-run.
// Lines keep their line breaks, so a change of line ending shows up and the patch applies exactly.

/** Splits text into lines that keep their terminator (`\n`, `\r\n` or a lone `\r`). */
export function splitLines(text: string): string[] {
  const out: string[] = [];
  const re = /\r\n|\n|\r/g;
  let start = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push(text.slice(start, m.index + m[0].length));
    start = m.index + m[0].length;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

type Op = { kind: ' ' | '-' | '+'; line: string };

/** The shortest edit script from `a` to `b` (Myers 1986), as a list of kept, removed and added lines. */
export function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk back through the saved frontiers to recover the path.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1] < vd[offset + k + 1]) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: ' ', line: a[--x] });
      y--;
    }
    if (d === 0) break;
    if (x === prevX) ops.push({ kind: '+', line: b[--y] });
    else ops.push({ kind: '-', line: a[--x] });
  }
  return ops.reverse();
}

const NO_NEWLINE = '\\ No newline at end of file\n';

function printLine(kind: string, line: string): string {
  const ended = /[\r\n]$/.test(line);
  return kind + line + (ended ? '' : '\n' + NO_NEWLINE);
}

/**
 * A unified diff of two texts with `context` lines around each change, headed `--- a/<name>` and
 * `+++ b/<name>`; the empty string when they are equal.
 */
export function unifiedDiff(oldName: string, newName: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = diffLines(a, b);
  // Positions (0-based) of each op in a and b.
  const at: { ai: number; bi: number }[] = [];
  let ai = 0;
  let bi = 0;
  for (const op of ops) {
    at.push({ ai, bi });
    if (op.kind !== '+') ai++;
    if (op.kind !== '-') bi++;
  }
  const changed = ops.map((op, i) => (op.kind === ' ' ? -1 : i)).filter((i) => i >= 0);
  const hunks: { from: number; to: number }[] = [];
  for (const i of changed) {
    const from = Math.max(0, i - context);
    const to = Math.min(ops.length - 1, i + context);
    const last = hunks[hunks.length - 1];
    if (last && from <= last.to + 1) last.to = Math.max(last.to, to);
    else hunks.push({ from, to });
  }
  let out = `--- ${oldName}\n+++ ${newName}\n`;
  for (const h of hunks) {
    const slice = ops.slice(h.from, h.to + 1);
    const aCount = slice.filter((o) => o.kind !== '+').length;
    const bCount = slice.filter((o) => o.kind !== '-').length;
    // diff -u numbers an empty range by the line before it.
    const aStart = aCount === 0 ? at[h.from].ai : at[h.from].ai + 1;
    const bStart = bCount === 0 ? at[h.from].bi : at[h.from].bi + 1;
    out += `@@ -${range(aStart, aCount)} +${range(bStart, bCount)} @@\n`;
    for (const op of slice) out += printLine(op.kind, op.line);
  }
  return out;
}

function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${start},${count}`;
}
