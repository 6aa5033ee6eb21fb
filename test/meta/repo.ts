// Shared by the meta tests: where the repository is, and a small Markdown reader for the parts of
// README.md and docs/rules/*.md that tests check (headings, sections, tables, fenced blocks).
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The repository root: the nearest folder above the compiled test (or, when the tests were
 * compiled elsewhere, above the working directory) with a package.json named "slimfile" and the
 * rule sources. The sources tell it from a copy of package.json that a build put into out/.
 */
export const repoRoot: string = findRepoRoot();

function findRepoRoot(): string {
  for (const start of [__dirname, process.cwd()]) {
    let dir = path.resolve(start);
    for (;;) {
      if (isSlimfilePackage(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'server', 'src', 'rules', 'index.ts'))) return dir;
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error(`no package.json named "slimfile" above ${__dirname} or ${process.cwd()}`);
}

function isSlimfilePackage(file: string): boolean {
  try {
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: unknown }).name === 'slimfile';
  } catch {
    return false;
  }
}

export function repoPath(...parts: string[]): string {
  return path.join(repoRoot, ...parts);
}

export function readRepoFile(...parts: string[]): string {
  return fs.readFileSync(repoPath(...parts), 'utf8');
}

export function repoFileExists(...parts: string[]): boolean {
  return fs.existsSync(repoPath(...parts));
}

export interface Heading {
  level: number;
  text: string;
  /** 0-based line index. */
  line: number;
}

export interface FencedBlock {
  /** The info string after the opening fence (`dockerfile`, `sh`, or ''). */
  lang: string;
  body: string;
  /** 0-based line index of the opening fence. */
  line: number;
}

/** A Markdown document split into lines, with code fences recognised so `#` inside code is not a heading. */
export class MarkdownDoc {
  readonly lines: string[];
  readonly headings: Heading[] = [];
  readonly blocks: FencedBlock[] = [];
  /** Per line: whether it is inside a fenced block (fences included). */
  private readonly inCode: boolean[] = [];

  constructor(text: string) {
    this.lines = text.replace(/\r\n?/g, '\n').split('\n');
    let open: { fence: string; lang: string; line: number; body: string[] } | undefined;
    this.lines.forEach((line, i) => {
      const fence = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)/.exec(line);
      if (open) {
        this.inCode.push(true);
        if (fence && fence[1][0] === open.fence[0] && fence[1].length >= open.fence.length && fence[2] === '') {
          this.blocks.push({ lang: open.lang, body: open.body.join('\n') + '\n', line: open.line });
          open = undefined;
        } else {
          open.body.push(line);
        }
        return;
      }
      if (fence) {
        open = { fence: fence[1], lang: fence[2], line: i, body: [] };
        this.inCode.push(true);
        return;
      }
      this.inCode.push(false);
      const h = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
      if (h) this.headings.push({ level: h[1].length, text: h[2], line: i });
    });
  }

  /**
   * The section under the first heading with this level and text: from the line after the heading
   * to the next heading of the same or a higher level. Undefined when there is no such heading.
   */
  section(level: number, text: string): MarkdownDoc | undefined {
    const at = this.headings.findIndex((h) => h.level === level && h.text === text);
    if (at < 0) return undefined;
    const start = this.headings[at].line + 1;
    const next = this.headings.slice(at + 1).find((h) => h.level <= level);
    return new MarkdownDoc(this.lines.slice(start, next ? next.line : this.lines.length).join('\n'));
  }

  /** Lines outside fenced blocks. */
  proseLines(): string[] {
    return this.lines.filter((_, i) => !this.inCode[i]);
  }

  /** The first pipe table outside code: header cells and row cells, trimmed. */
  firstTable(): { header: string[]; rows: string[][] } | undefined {
    const prose = this.lines.map((l, i) => (this.inCode[i] ? '' : l));
    for (let i = 0; i + 1 < prose.length; i++) {
      if (!isTableRow(prose[i]) || !/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(prose[i + 1])) continue;
      const rows: string[][] = [];
      for (let j = i + 2; j < prose.length && isTableRow(prose[j]); j++) rows.push(tableCells(prose[j]));
      return { header: tableCells(prose[i]), rows };
    }
    return undefined;
  }
}

function isTableRow(line: string): boolean {
  return line.trim().startsWith('|');
}

/** Cells of a `| a | b |` row; `\|` inside a cell is a literal pipe. */
export function tableCells(line: string): string[] {
  const cells: string[] = [];
  let cur = '';
  const body = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\' && body[i + 1] === '|') {
      cur += '|';
      i++;
    } else if (body[i] === '|') {
      cells.push(cur.trim());
      cur = '';
    } else {
      cur += body[i];
    }
  }
  cells.push(cur.trim());
  return cells;
}
