// The table-driven rule tester. Strict on purpose: an invalid case of a fixing rule states its
// output (null: no fix offered), duplicate cases fail, every fix output must parse, must not be
// reported again by the rule the same way, and a second fix-all pass must change nothing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ContextFacts, Fix, Rule } from '../../server/src/rules/define';
import { lint, type LintConfig, type LintFinding } from '../../server/src/engine/lint';
import { applyFix, compatibleFixes, fixAll } from '../../server/src/engine/fix';
import { applyEdits, LineIndex } from '../../server/src/analysis/text';
import { parseProblems } from './dockerfile-check';

/** Joins lines with `\n` and ends the file with one. */
export function lines(...l: string[]): string {
  return l.join('\n') + '\n';
}

export interface ExpectedFinding {
  messageId: string;
  /** 1-based; `endColumn` is exclusive. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Substrings the rendered message must contain. */
  messageIncludes?: string[];
  /** Number of related locations. */
  related?: number;
}

export interface ValidCase {
  name?: string;
  code: string;
  options?: Record<string, unknown>;
  target?: string;
  /** Measured build-context facts (see test/helpers/context.ts). */
  context?: ContextFacts;
}

export interface InvalidCase extends ValidCase {
  findings: ExpectedFinding[];
  /**
   * The text after fixing: fix-all of this rule's safe fixes when it has some, else the first fix
   * of each finding. `null` when no fix is offered.
   */
  output: string | null;
  /** Each fix of the first finding by title, with the text after applying that fix alone. */
  fixes?: { title: string; output: string }[];
}

function configFor(rule: Rule, c: ValidCase): LintConfig {
  return { rules: { [rule.meta.id]: [rule.meta.defaultSeverity, c.options ?? {}] }, target: c.target };
}

function where(text: string, f: LintFinding): ExpectedFinding {
  const idx = new LineIndex(text);
  const s = idx.positionAt(f.span.start);
  const e = idx.positionAt(f.span.end);
  return { messageId: f.messageId, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
}

function title(c: ValidCase, k: number): string {
  return c.name ?? `case ${k + 1}: ${JSON.stringify(c.code.length > 90 ? c.code.slice(0, 90) + '…' : c.code)}`;
}

function assertParsesAfter(before: string, after: string): void {
  const problems = parseProblems(before, after);
  assert.deepEqual(problems, [], `the fixed Dockerfile must parse:\n${after}`);
}

export const ruleTester = {
  run(rule: Rule, table: { valid: (string | ValidCase)[]; invalid: InvalidCase[] }): void {
    const valid: ValidCase[] = table.valid.map((v) => (typeof v === 'string' ? { code: v } : v));
    describe(rule.meta.id, () => {
      it('has no duplicate cases', () => {
        const seen = new Set<string>();
        for (const c of [...valid, ...table.invalid]) {
          const key = JSON.stringify([c.code, c.options ?? null, c.target ?? null, c.context ? c.context.top : null, c.context?.ignoreFile ?? null]);
          assert.ok(!seen.has(key), `duplicate case: ${c.code}`);
          seen.add(key);
        }
      });

      valid.forEach((c, k) => {
        it(`valid ${title(c, k)}`, () => {
          const result = lint(c.code, configFor(rule, c), [rule], c.context);
          assert.deepEqual(result.failures, []);
          assert.deepEqual(result.findings.map((f) => where(c.code, f)), [], 'expected no findings');
        });
      });

      table.invalid.forEach((c, k) => {
        it(`invalid ${title(c, k)}`, () => {
          const config = configFor(rule, c);
          const result = lint(c.code, config, [rule], c.context);
          assert.deepEqual(result.failures, []);
          const actual = result.findings.map((f) => where(c.code, f));
          const expected = c.findings.map(({ messageId, line, column, endLine, endColumn }) => ({ messageId, line, column, endLine, endColumn }));
          assert.deepEqual(actual, expected, 'findings (1-based, end exclusive)');
          c.findings.forEach((e, i) => {
            for (const part of e.messageIncludes ?? []) assert.ok(result.findings[i].message.includes(part), `message "${result.findings[i].message}" should include "${part}"`);
            if (e.related !== undefined) assert.equal(result.findings[i].related?.length ?? 0, e.related, 'related locations');
          });
          for (const f of result.findings) checkFixMeta(rule, f);

          // Fixes that only run an editor command (generate a file) change no text here.
          const allFixes = result.findings.flatMap((f) => f.fixes ?? []).filter((f) => f.edits.length > 0);
          if (c.output === null) {
            assert.deepEqual(allFixes.map((f) => f.title), [], 'output: null means no fix is offered');
          } else {
            assert.notEqual(c.output, c.code, 'output equal to code: use output: null when no fix is offered');
            const hasSafe = allFixes.some((f) => f.safe);
            let fixed: string;
            if (hasSafe) {
              fixed = fixAll(c.code, config, [rule], c.context).text;
            } else {
              const firsts = result.findings
                .map((f) => (f.fixes ?? []).filter((x) => x.edits.length > 0))
                .map((fs) => fs.find((x) => x.preferred) ?? fs[0])
                .filter((x): x is Fix => !!x);
              fixed = applyEdits(c.code, compatibleFixes(firsts).flatMap((x) => x.edits));
            }
            assert.equal(fixed, c.output, 'text after the fix');
            assertParsesAfter(c.code, fixed);
            const again = lint(fixed, config, [rule], c.context);
            assert.ok(again.findings.length < result.findings.length, `the fix must remove findings; still: ${again.findings.map((f) => f.message).join(' | ')}`);
            if (hasSafe) assert.equal(fixAll(fixed, config, [rule], c.context).text, fixed, 'a second fix-all pass must change nothing');
          }

          for (const expectedFix of c.fixes ?? []) {
            const fix = result.findings[0]?.fixes?.find((f) => f.title === expectedFix.title);
            assert.ok(fix, `fix "${expectedFix.title}" offered; offered: ${(result.findings[0]?.fixes ?? []).map((f) => f.title).join(', ')}`);
            const after = applyFix(c.code, fix);
            assert.equal(after, expectedFix.output, `text after "${expectedFix.title}"`);
            assertParsesAfter(c.code, after);
            const again = lint(after, config, [rule], c.context);
            assert.ok(again.findings.length < result.findings.length, `"${expectedFix.title}" must remove the finding`);
          }
        });
      });
    });
  },
};

function checkFixMeta(rule: Rule, f: LintFinding): void {
  for (const fix of f.fixes ?? []) {
    assert.ok(/^[A-Z]/.test(fix.title), `fix title starts with a capital verb: ${fix.title}`);
    if (fix.safe) assert.ok(rule.meta.fixable, `${rule.meta.id} returns a safe fix but meta.fixable is false`);
    else assert.ok(rule.meta.hasSuggestions, `${rule.meta.id} returns a suggestion but meta.hasSuggestions is not set`);
    assert.ok(fix.edits.length > 0 || fix.command !== undefined, 'a fix has edits or a command');
  }
}
