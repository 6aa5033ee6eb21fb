// `.dockerignore` matching with Docker's semantics: patterns are relative to the context root
// (a leading `/` changes nothing), `*` and `?` stop at `/`, `**` spans any number of folders,
// `[...]` classes and `\` escapes as in Go's filepath.Match, `!` re-includes, the last matching
// line wins, and a pattern that matches a folder excludes everything below it.
// Reference: the "Dockerignore files" section of Docker's build-context documentation.

export interface IgnorePattern {
  /** The pattern as written, without `!`. */
  pattern: string;
  /** A `!` exception: re-includes what it matches. */
  negate: boolean;
  /** 1-based line in the file. */
  line: number;
  regex: RegExp;
}

/** Reads a `.dockerignore` text into patterns (comments and blank lines dropped). */
export function parseDockerignore(text: string): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n|\r/)
    .forEach((raw, k) => {
      let p = raw.trim();
      if (p === '' || p.startsWith('#')) return;
      let negate = false;
      if (p.startsWith('!')) {
        negate = true;
        p = p.slice(1).trim();
      }
      const cleaned = cleanPattern(p);
      if (cleaned === '') return;
      out.push({ pattern: cleaned, negate, line: k + 1, regex: patternToRegExp(cleaned) });
    });
  return out;
}

/** Like Go's filepath.Clean on a slash path, without the leading `/`. */
export function cleanPattern(p: string): string {
  const parts: string[] = [];
  for (const seg of p.replace(/\\(?![*?[\]\\])/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      parts.pop();
      continue;
    }
    parts.push(seg);
  }
  return parts.join('/');
}

/** A RegExp matching a whole relative path for one cleaned pattern. */
export function patternToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '\\' && i + 1 < pattern.length) {
      i++;
      re += escapeRe(pattern[i]);
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, end);
        const neg = body.startsWith('^') || body.startsWith('!');
        if (neg) body = body.slice(1);
        re += `[${neg ? '^' : ''}${body.replace(/\\/g, '\\\\').replace(/\//g, '')}]`;
        i = end;
      }
    } else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`);
}

function escapeRe(c: string): string {
  return c.replace(/[.*?+^${}()|[\]\\/]/g, '\\$&');
}

/** The path and each of its parent folders: `a/b/c` → `a`, `a/b`, `a/b/c`. */
function prefixes(rel: string): string[] {
  const parts = rel.split('/');
  return parts.map((_, k) => parts.slice(0, k + 1).join('/'));
}

/**
 * Whether a context-relative path (slash-separated, no leading `./`) is excluded. Returns the
 * deciding pattern too, or undefined when no line matched.
 */
export function matchIgnore(rel: string, patterns: readonly IgnorePattern[]): { excluded: boolean; by: IgnorePattern | undefined } {
  const path = cleanPattern(rel);
  const candidates = prefixes(path);
  let excluded = false;
  let by: IgnorePattern | undefined;
  for (const p of patterns) {
    if (candidates.some((c) => p.regex.test(c))) {
      excluded = !p.negate;
      by = p;
    }
  }
  return { excluded, by };
}

export function isExcluded(rel: string, patterns: readonly IgnorePattern[]): boolean {
  return matchIgnore(rel, patterns).excluded;
}

/**
 * Whether a folder could hold a re-included path, so a scan must not skip it even when it is
 * excluded itself (`node_modules` with `!node_modules/keep`).
 */
export function mayReinclude(dirRel: string, patterns: readonly IgnorePattern[]): boolean {
  const dir = cleanPattern(dirRel);
  return patterns.some((p) => p.negate && (p.pattern.startsWith(dir + '/') || p.pattern.startsWith('**') || /^[*?[]/.test(p.pattern)));
}
