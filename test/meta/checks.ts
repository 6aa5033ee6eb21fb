// Checks on rule metas shared by the meta tests (kept out of the *.test.ts files so importing them
// does not run another file's tests).

const PLACEHOLDER = /\{([^{}]*)\}/g;
/**
 * Capitalised words a sentence-case description may contain after its first word. Add proper nouns
 * here when a description needs one.
 */
const PROPER_NOUNS = new Set(['Alpine', 'BuildKit', 'Debian', 'Docker', 'Dockerfile', 'Ubuntu']);

/** Why a description is not one sentence-case line without a final period, or undefined. */
export function descriptionProblem(id: string, description: string): string | undefined {
  if (description.trim() === '') return 'is empty';
  if (/[\r\n]/.test(description)) return 'spans more than one line';
  if (description !== description.trim()) return 'has leading or trailing spaces';
  if (/[.]$/.test(description)) return 'ends with a period';
  const words = description.split(/\s+/);
  const first = words[0].replace(/[,;:]$/, '');
  // A lowercase start is how a command is written ("apk add ..."): accept it only for a command the
  // id names, so "data files copied" (a sentence that forgot its capital) is still caught.
  if (/^[a-z]/.test(first) && !id.split('-').includes(first.split('-')[0])) {
    return `starts with a lowercase word "${first}" that is not a command named in the id`;
  }
  const titled = words.slice(1).filter((w) => /^[A-Z][a-z]+$/.test(w.replace(/[,;:]$/, '')) && !PROPER_NOUNS.has(w.replace(/[,;:]$/, '')));
  if (titled.length > 0) return `is not sentence case (${titled.join(', ')}); proper nouns can be added to PROPER_NOUNS in this test`;
  return undefined;
}

/** Why a message template is malformed, or undefined: `{name}` placeholders only, ends a sentence. */
export function templateProblem(template: string): string | undefined {
  if (template.trim() === '') return 'is empty';
  for (const m of template.matchAll(PLACEHOLDER)) {
    if (!/^[a-z][A-Za-z0-9]*$/.test(m[1])) return `has an invalid placeholder "${m[0]}" (use {camelCase})`;
  }
  const rest = template.replace(PLACEHOLDER, '');
  if (/[{}]/.test(rest)) return 'has an unbalanced "{" or "}"';
  // A template may end with a placeholder whose text ends the sentence ("... {advice}").
  if (!/([.!?]|\{[a-z][A-Za-z0-9]*\})$/.test(template.trim())) return 'does not end a sentence (. ! ?) or with a {placeholder}';
  return undefined;
}

/** The placeholder names a template uses. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

export type FixKind = 'yes' | 'yes+suggestion' | 'suggestion' | 'no';

/** What the README's Fix column must say for a rule, from its meta. */
export function fixKindOf(meta: { fixable: boolean; hasSuggestions?: boolean }): FixKind {
  if (meta.fixable) return meta.hasSuggestions ? 'yes+suggestion' : 'yes';
  return meta.hasSuggestions ? 'suggestion' : 'no';
}

/**
 * Reads a README Fix cell: `yes`, `yes (+ <what> suggestion)`, `suggestion` (optionally followed
 * by what it does in parentheses) or `no`. Undefined for anything else.
 */
export function parseFixCell(cell: string): FixKind | undefined {
  const c = cell.trim();
  if (c === 'yes') return 'yes';
  if (/^yes \(\+ [^()]*\bsuggestions?\)$/.test(c)) return 'yes+suggestion';
  if (/^suggestions?( \([^()]+\))?$/.test(c)) return 'suggestion';
  if (c === 'no') return 'no';
  return undefined;
}
