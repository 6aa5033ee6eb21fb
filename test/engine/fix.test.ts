// The engine's fixing: which edits conflict, which fixes go together in one pass, and fix-all's
// passes (conflicting fixes land in turn, the result is stable, the pass limit holds).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, compatibleFixes, editsConflict, fixAll, MAX_FIX_PASSES, safeFixOf } from '../../server/src/engine/fix';
import { lint, type LintFinding } from '../../server/src/engine/lint';
import { defineRule, type Finding, type Fix } from '../../server/src/rules/define';
import type { Edit } from '../../server/src/analysis/text';
import apkNoCache from '../../server/src/rules/apk-no-cache';
import { lines } from '../helpers/rule-tester';

const edit = (start: number, end: number, text = 'x'): Edit => ({ span: { start, end }, text });
const fix = (title: string, ...edits: Edit[]): Fix => ({ title, edits, safe: true });

/** Upper-cases instruction keywords written in lower case. */
const upperKeyword = defineRule({
  meta: { id: 'upper-keyword', description: 'Keywords in upper case', defaultSeverity: 'info', fixable: true, messages: { m: 'upper-case it' } },
  check({ model }) {
    const out: Finding[] = [];
    for (const ins of model.instructions) {
      const written = model.text.slice(ins.keywordSpan.start, ins.keywordSpan.end);
      if (written === written.toUpperCase()) continue;
      out.push({ span: ins.keywordSpan, messageId: 'm', fixes: [{ title: 'Upper-case', safe: true, edits: [{ span: ins.keywordSpan, text: written.toUpperCase() }] }] });
    }
    return out;
  },
});

/** A rule appending ` <mark>` to each RUN that lacks it: two of them insert at the same place. */
function markRule(mark: string) {
  return defineRule({
    meta: { id: `mark-${mark}`, description: `Marks RUNs with ${mark}`, defaultSeverity: 'info', fixable: true, messages: { m: 'mark it' } },
    check({ model }) {
      return model
        .runs()
        .filter((r) => r.argsSpan && !r.argsText.includes(mark))
        .map((r) => ({ span: r.span, messageId: 'm', fixes: [{ title: `Add ${mark}`, safe: true, edits: [{ span: { start: r.argsSpan!.end, end: r.argsSpan!.end }, text: ` ${mark}` }] }] }));
    },
  });
}

/** Always offers a fix, whatever the text: fix-all must stop by itself. */
const neverSatisfied = defineRule({
  meta: { id: 'never-satisfied', description: 'Always wants more', defaultSeverity: 'info', fixable: true, messages: { m: 'more' } },
  check: ({ model }) => [{ span: { start: 0, end: 0 }, messageId: 'm', fixes: [{ title: 'Add #', safe: true, edits: [{ span: { start: model.text.length, end: model.text.length }, text: '#' }] }] }],
});

/** Offers only a suggestion and a command fix: nothing for fix-all. */
const suggestsOnly = defineRule({
  meta: { id: 'suggests-only', description: 'Suggestions only', defaultSeverity: 'info', fixable: false, hasSuggestions: true, messages: { m: 'maybe' } },
  check: ({ model }) =>
    model.runs().map((r) => ({
      span: r.span,
      messageId: 'm',
      fixes: [
        { title: 'Rewrite', edits: [{ span: r.span, text: 'RUN true' }] },
        { title: 'Run a command', safe: true, edits: [], command: { command: 'slimfile.doSomething' } },
      ],
    })),
});

describe('editsConflict', () => {
  const table: [string, Edit, Edit, boolean][] = [
    ['overlapping replacements', edit(0, 5), edit(3, 8), true],
    ['one replacement inside another', edit(0, 10), edit(3, 4), true],
    ['adjacent replacements', edit(0, 5), edit(5, 8), false],
    ['disjoint replacements', edit(0, 2), edit(6, 8), false],
    ['two inserts at the same place', edit(4, 4), edit(4, 4), true],
    ['inserts at different places', edit(4, 4), edit(5, 5), false],
    ['an insert at the start of a replacement', edit(4, 4), edit(4, 9), true],
    ['an insert at the end of a replacement', edit(9, 9), edit(4, 9), true],
    ['an insert inside a replacement', edit(6, 6), edit(4, 9), true],
    ['an insert just outside a replacement', edit(10, 10), edit(4, 9), false],
  ];
  for (const [name, a, b, expected] of table) {
    it(`${name}: ${expected ? 'conflict' : 'no conflict'} (both orders)`, () => {
      assert.equal(editsConflict(a, b), expected);
      assert.equal(editsConflict(b, a), expected);
    });
  }
});

describe('compatibleFixes', () => {
  it('picks fixes in document order and drops those that conflict with one picked before', () => {
    const late = fix('late', edit(20, 22));
    const first = fix('first', edit(0, 3));
    const clash = fix('clash', edit(2, 4));
    const second = fix('second', edit(5, 5), edit(30, 31));
    assert.deepEqual(compatibleFixes([late, clash, second, first]).map((f) => f.title), ['first', 'second', 'late']);
  });

  it('drops a fix whose own edits conflict', () => {
    assert.deepEqual(compatibleFixes([fix('self-clash', edit(0, 4), edit(2, 6)), fix('ok', edit(10, 11))]).map((f) => f.title), ['ok']);
  });

  it('a fix with several edits is taken whole or not at all', () => {
    const wide = fix('wide', edit(0, 1), edit(50, 51));
    const middle = fix('middle', edit(50, 50));
    assert.deepEqual(compatibleFixes([wide, middle]).map((f) => f.title), ['wide']);
  });

  it('nothing in, nothing out', () => assert.deepEqual(compatibleFixes([]), []));
});

describe('applyFix and safeFixOf', () => {
  it('applyFix applies all of a fix’s edits', () => {
    assert.equal(applyFix('hello world', fix('t', edit(0, 1, 'J'), edit(5, 5, ','), edit(6, 11, 'there'))), 'Jello, there');
  });

  it('safeFixOf takes the first safe fix with edits; suggestions and command-only fixes are not safe fixes', () => {
    const code = lines('FROM alpine', 'RUN apk add x');
    const [finding] = lint(code, {}, [suggestsOnly]).findings;
    assert.equal(safeFixOf(finding), undefined);
    const withSafe: LintFinding = { ...finding, fixes: [...(finding.fixes ?? []), { title: 'Safe one', safe: true, edits: [edit(0, 0, '#')] }, { title: 'Safe two', safe: true, edits: [edit(1, 1)] }] };
    assert.equal(safeFixOf(withSafe)?.title, 'Safe one');
    assert.equal(safeFixOf({ ...finding, fixes: undefined }), undefined);
  });
});

describe('fixAll', () => {
  it('applies every safe fix in one pass when they do not conflict', () => {
    const code = lines('from alpine:3.20', 'run apk add curl', 'Copy . /app');
    const result = fixAll(code, {}, [upperKeyword]);
    assert.equal(result.text, lines('FROM alpine:3.20', 'RUN apk add curl', 'COPY . /app'));
    assert.equal(result.applied, 3);
    assert.equal(result.passes, 1);
  });

  it('fixes that conflict land in later passes, after re-analysis', () => {
    const code = lines('FROM alpine', 'RUN echo', 'RUN true');
    const result = fixAll(code, {}, [markRule('aa'), markRule('bb')]);
    assert.equal(result.text, lines('FROM alpine', 'RUN echo aa bb', 'RUN true aa bb'));
    assert.equal(result.applied, 4);
    assert.equal(result.passes, 2);
  });

  it('is idempotent: a second fix-all changes nothing', () => {
    const rules = [upperKeyword, markRule('aa'), markRule('bb'), apkNoCache];
    const once = fixAll(lines('from alpine:3.20', 'run apk add curl', 'run echo'), {}, rules);
    const twice = fixAll(once.text, {}, rules);
    assert.equal(twice.text, once.text);
    assert.equal(twice.applied, 0);
    assert.equal(twice.passes, 0);
  });

  it('stops after the pass limit when a rule is never satisfied', () => {
    const result = fixAll(lines('FROM alpine'), {}, [neverSatisfied]);
    assert.equal(result.passes, MAX_FIX_PASSES);
    assert.equal(result.applied, MAX_FIX_PASSES);
    assert.equal(result.text, lines('FROM alpine') + '#'.repeat(MAX_FIX_PASSES));
  });

  it('never applies suggestions or command-only fixes', () => {
    const code = lines('FROM alpine', 'RUN apk add x');
    assert.deepEqual(fixAll(code, {}, [suggestsOnly]), { text: code, applied: 0, passes: 0 });
  });

  it('respects the configuration: a rule that is off is not fixed', () => {
    const code = lines('from alpine');
    assert.equal(fixAll(code, { rules: { 'upper-keyword': 'off' } }, [upperKeyword]).text, code);
  });

  it('a throwing rule does not stop the others from fixing', () => {
    const throwing = defineRule({
      meta: { id: 'throwing', description: 'Throws', defaultSeverity: 'error', fixable: true, messages: {} },
      check() {
        throw new Error('boom');
      },
    });
    assert.equal(fixAll(lines('from alpine'), {}, [throwing, upperKeyword]).text, lines('FROM alpine'));
  });

  it('uses the registry by default (apk-no-cache)', () => {
    const result = fixAll(lines('FROM alpine:3.20', 'RUN apk add curl && apk add git'));
    assert.equal(result.text, lines('FROM alpine:3.20', 'RUN apk add --no-cache curl && apk add --no-cache git'));
  });

  it('returns binary text unchanged', () => {
    const code = 'from alpine\n\u0000';
    assert.deepEqual(fixAll(code, {}, [upperKeyword]), { text: code, applied: 0, passes: 0 });
  });
});
