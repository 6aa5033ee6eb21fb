// Suppression comments. `# slimfile-ignore id[,id] [-- reason]` on the comment lines right above an
// instruction silences those rules for that instruction; `# slimfile-ignore-file id...` anywhere
// silences them for the file. hadolint's `# hadolint ignore=DL3009,...` (and `global ignore=`) is
// understood through the `hadolint` codes in each rule's meta, so pragmas survive a move from hadolint.
import type { DockerfileModel, Instruction } from '../analysis/model';
import type { Edit, Span } from '../analysis/text';
import type { Fix, Rule } from '../rules/define';

export interface Suppression {
  /** Our rule ids this comment names (hadolint codes already mapped). */
  ruleIds: string[];
  /** Ids or codes written that match no rule. */
  unknown: string[];
  /** The comment line, for reporting and removal. */
  span: Span;
  /** The span of the whole line including its line break, for removal. */
  lineSpan: Span;
  /** The instruction it covers; undefined for file-wide comments. */
  instruction: Instruction | undefined;
  kind: 'slimfile' | 'hadolint';
  /** Ids that silenced at least one finding. */
  used: Set<string>;
}

const SLIMFILE = /^#\s*slimfile-ignore(-file)?(?:\s+([^\r\n]*?))?\s*$/;
const HADOLINT = /^#\s*hadolint\s+(global\s+)?ignore\s*=\s*([A-Za-z0-9_,\s-]+?)\s*$/;

/** hadolint code → our rule ids, from the rule metas. */
export function hadolintMap(rules: readonly Rule[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const r of rules) {
    for (const code of r.meta.hadolint ?? []) {
      const key = code.toUpperCase();
      map.set(key, [...(map.get(key) ?? []), r.meta.id]);
    }
  }
  return map;
}

/** Reads every suppression comment of a file. */
export function findSuppressions(model: DockerfileModel, rules: readonly Rule[]): Suppression[] {
  const known = new Set(rules.map((r) => r.meta.id));
  const hadolint = hadolintMap(rules);
  const out: Suppression[] = [];
  const text = model.text;
  const lines = model.lines;
  // The instruction that starts after each line, to bind comments to what follows them.
  const startsAtLine = new Map<number, Instruction>();
  for (const ins of model.instructions) startsAtLine.set(ins.startLine, ins);
  const covered = new Set<number>();
  for (const ins of model.instructions) for (let l = ins.startLine + 1; l <= ins.endLine; l++) covered.add(l);

  for (let line = 0; line < lines.lineCount; line++) {
    if (covered.has(line)) continue;
    const start = lines.starts[line];
    const end = lines.lineEnd(line);
    const raw = text.slice(start, end);
    const trimmed = raw.trim();
    if (!trimmed.startsWith('#')) continue;
    const lead = raw.length - raw.trimStart().length;
    const span = { start: start + lead, end: start + lead + trimmed.length };
    const next = line + 1 < lines.lineCount ? lines.starts[line + 1] : text.length;
    const lineSpan = { start, end: next };
    let kind: Suppression['kind'];
    let fileWide: boolean;
    let names: string[];
    const s = SLIMFILE.exec(trimmed);
    const h = s ? null : HADOLINT.exec(trimmed);
    if (s) {
      kind = 'slimfile';
      fileWide = s[1] !== undefined;
      const list = (s[2] ?? '').split(/\s--(?:\s|$)/)[0];
      names = list.split(/[\s,]+/).filter((x) => x !== '');
    } else if (h) {
      kind = 'hadolint';
      fileWide = h[1] !== undefined;
      names = h[2].split(/[\s,]+/).filter((x) => x !== '');
    } else {
      continue;
    }
    const ruleIds: string[] = [];
    const unknown: string[] = [];
    for (const n of names) {
      if (kind === 'slimfile') {
        if (known.has(n)) ruleIds.push(n);
        else unknown.push(n);
      } else {
        const mapped = hadolint.get(n.toUpperCase());
        // hadolint codes we have no rule for are not ours to judge: they are neither used nor unknown.
        if (mapped) ruleIds.push(...mapped);
      }
    }
    out.push({ ruleIds, unknown, span, lineSpan, instruction: fileWide ? undefined : instructionAfter(model, line, startsAtLine), kind, used: new Set() });
  }
  return out;
}

/** The instruction right below a block of comment lines starting at `line`. */
function instructionAfter(model: DockerfileModel, line: number, startsAtLine: Map<number, Instruction>): Instruction | undefined {
  for (let l = line + 1; l < model.lines.lineCount; l++) {
    const ins = startsAtLine.get(l);
    if (ins) return ins;
    const raw = model.text.slice(model.lines.starts[l], model.lines.lineEnd(l)).trim();
    if (!raw.startsWith('#')) return undefined;
  }
  return undefined;
}

/** Whether a finding of `ruleId` at `span` is silenced; marks the suppression used. */
export function isSuppressed(suppressions: readonly Suppression[], ruleId: string, span: Span): boolean {
  let hit = false;
  for (const s of suppressions) {
    if (!s.ruleIds.includes(ruleId)) continue;
    // A finding that covers several instructions (a row of RUNs) is silenced from any of them, as
    // hadolint reports DL3059 on the later RUN while we start at the first.
    if (s.instruction && !(span.start <= s.instruction.span.end && span.end >= s.instruction.span.start)) continue;
    s.used.add(ruleId);
    hit = true;
  }
  return hit;
}

/**
 * "Ignore <id> for this instruction": adds the id to a `# slimfile-ignore` comment right above the
 * instruction, or inserts one with the instruction's indentation.
 */
export function ignoreFix(model: DockerfileModel, suppressions: readonly Suppression[], ruleId: string, span: Span): Fix | undefined {
  const ins = model.instructions.find((i) => span.start >= i.span.start && span.start <= i.span.end);
  if (!ins) return undefined;
  const existing = suppressions.find((s) => s.kind === 'slimfile' && s.instruction === ins);
  if (existing) {
    const comment = model.text.slice(existing.span.start, existing.span.end);
    const m = /^(#\s*slimfile-ignore\s+[^\s]*?)(\s+--.*)?$/.exec(comment);
    if (m) {
      const at = existing.span.start + m[1].length;
      return { title: `Ignore ${ruleId} for this instruction`, edits: [{ span: { start: at, end: at }, text: `,${ruleId}` }] };
    }
  }
  const line = ins.startLine;
  const at = model.lines.starts[line];
  const edit: Edit = { span: { start: at, end: at }, text: `${model.lines.indentOf(line)}# slimfile-ignore ${ruleId}${model.lines.eol}` };
  return { title: `Ignore ${ruleId} for this instruction`, edits: [edit] };
}
