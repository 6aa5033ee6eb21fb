// The engine's lint: rule isolation, configuration (off, severity, options), message rendering,
// ordering, and the texts it refuses to analyse.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lint, MAX_TEXT_LENGTH, renderMessage, ruleSetting, unanalysableReason } from '../../server/src/engine/lint';
import { defineRule, DOCS_BASE, type Finding, type Rule, type RuleContext } from '../../server/src/rules/define';
import apkNoCache from '../../server/src/rules/apk-no-cache';
import { lines } from '../helpers/rule-tester';

/** Reports every RUN, with its command name in the message. */
const everyRun = defineRule({
  meta: {
    id: 'every-run',
    description: 'Reports every RUN',
    defaultSeverity: 'warning',
    fixable: false,
    messages: { run: 'RUN runs {name} ({count} commands); {unknown} stays.' },
    options: { prefix: 'default', limit: 3 },
  },
  check({ model }) {
    return model.runs().map((r): Finding => ({ span: r.keywordSpan, messageId: 'run', data: { name: r.commands[0]?.name ?? '', count: r.commands.length } }));
  },
});

const throwing = defineRule({
  meta: { id: 'throwing', description: 'Always throws', defaultSeverity: 'error', fixable: false, messages: {} },
  check() {
    throw new Error('boom in a rule');
  },
});

/** Records what the engine handed it. */
function spyRule(id = 'spy'): Rule & { calls: RuleContext[] } {
  const calls: RuleContext[] = [];
  const rule = defineRule({
    meta: { id, description: 'Records its calls', defaultSeverity: 'info', fixable: false, messages: { m: 'seen' }, options: { a: 1, b: 'two' } },
    check(ctx) {
      calls.push(ctx);
      return [];
    },
  });
  return Object.assign(rule, { calls });
}

const twoRuns = lines('FROM alpine:3.20', 'RUN apk add curl', 'RUN echo hi && echo there');

describe('rule isolation', () => {
  it('a rule that throws is recorded with its id and the others still report', () => {
    const result = lint(twoRuns, {}, [throwing, everyRun]);
    assert.equal(result.failures.length, 1);
    assert.equal(result.failures[0].ruleId, 'throwing');
    assert.match(result.failures[0].error, /boom in a rule/);
    assert.match(result.failures[0].error, /at /, 'the stack is kept for the report');
    assert.deepEqual(result.findings.map((f) => f.ruleId), ['every-run', 'every-run']);
  });

  it('a thrown non-Error value is recorded as text', () => {
    const stringThrower = defineRule({
      meta: { id: 'string-thrower', description: 'Throws a string', defaultSeverity: 'error', fixable: false, messages: {} },
      check() {
        throw 'plain string';
      },
    });
    assert.deepEqual(lint(twoRuns, {}, [stringThrower]).failures, [{ ruleId: 'string-thrower', error: 'plain string' }]);
  });

  it('a rule returning findings before throwing reports none of them', () => {
    const partial = defineRule({
      meta: { id: 'partial', description: 'Throws late', defaultSeverity: 'error', fixable: false, messages: { m: 'x' } },
      check({ model }) {
        const out: Finding[] = [{ span: model.instructions[0].span, messageId: 'm' }];
        if (out.length > 0) throw new Error('late');
        return out;
      },
    });
    const result = lint(twoRuns, {}, [partial]);
    assert.deepEqual(result.findings, []);
    assert.equal(result.failures[0].ruleId, 'partial');
  });
});

describe('configuration', () => {
  it('rules not named keep their default severity and options', () => {
    const spy = spyRule();
    assert.deepEqual(ruleSetting(spy, {}), { level: 'info', options: { a: 1, b: 'two' } });
    assert.equal(lint(twoRuns, {}, [everyRun]).findings[0].severity, 'warning');
  });

  it('off: the rule does not run at all', () => {
    const spy = spyRule();
    const result = lint(twoRuns, { rules: { spy: 'off', 'every-run': 'off' } }, [spy, everyRun]);
    assert.equal(spy.calls.length, 0);
    assert.deepEqual(result.findings, []);
  });

  it('a severity overrides the default', () => {
    const result = lint(twoRuns, { rules: { 'every-run': 'error' } }, [everyRun]);
    assert.deepEqual(result.findings.map((f) => f.severity), ['error', 'error']);
    assert.deepEqual(lint(twoRuns, { rules: { 'every-run': ['hint'] } }, [everyRun]).findings.map((f) => f.severity), ['hint', 'hint']);
  });

  it('options are merged over the defaults and handed to the rule', () => {
    const spy = spyRule();
    lint(twoRuns, { rules: { spy: ['warning', { b: 'three', c: true }] } }, [spy]);
    assert.deepEqual(spy.calls[0].options, { a: 1, b: 'three', c: true });
  });

  it('options are a fresh object for every run', () => {
    const spy = spyRule();
    lint(twoRuns, {}, [spy]);
    spy.calls[0].options.a = 99;
    lint(twoRuns, {}, [spy]);
    assert.equal(spy.calls[1].options.a, 1);
  });

  it('the target and the context reach the rule', () => {
    const spy = spyRule();
    lint(twoRuns, { target: 'build' }, [spy]);
    assert.equal(spy.calls[0].target, 'build');
    assert.equal(spy.calls[0].context, undefined);
    assert.equal(spy.calls[0].model.runs().length, 2);
  });

  it('config for rules that are not in the list is ignored', () => {
    assert.equal(lint(twoRuns, { rules: { 'no-such-rule': 'error' } }, [everyRun]).findings.length, 2);
  });
});

describe('messages', () => {
  it('fills placeholders from data and leaves unknown ones as written', () => {
    const result = lint(twoRuns, {}, [everyRun]);
    assert.deepEqual(result.findings.map((f) => f.message), ['RUN runs apk (1 commands); {unknown} stays.', 'RUN runs echo (2 commands); {unknown} stays.']);
  });

  it('renderMessage', () => {
    assert.equal(renderMessage('{a} and {b} and {a}', { a: 'x', b: 0 }), 'x and 0 and x');
    assert.equal(renderMessage('{a} {missing}', { a: 1 }), '1 {missing}');
    assert.equal(renderMessage('{a}', undefined), '{a}');
    assert.equal(renderMessage('{a}', { a: '{b}', b: 'no' }), '{b}', 'substituted text is not substituted again');
  });

  it('a message id missing from the meta shows the id', () => {
    const odd = defineRule({
      meta: { id: 'odd', description: 'Unknown message id', defaultSeverity: 'info', fixable: false, messages: {} },
      check: ({ model }) => [{ span: model.instructions[0].span, messageId: 'notInMeta' }],
    });
    assert.equal(lint(twoRuns, {}, [odd]).findings[0].message, 'notInMeta');
  });

  it('findings carry the rule id, the docs URL and the finding itself', () => {
    const [f] = lint(lines('FROM alpine:3.20', 'RUN apk add curl')).findings;
    assert.equal(f.ruleId, 'apk-no-cache');
    assert.equal(f.docsUrl, `${DOCS_BASE}apk-no-cache.md`);
    assert.equal(f.messageId, 'missingFlag');
    assert.ok(f.fixes && f.fixes.length > 0);
    assert.ok(f.message.includes('--no-cache') && !f.message.includes('{'));
  });
});

describe('ordering', () => {
  it('findings are sorted by position, then by rule id', () => {
    const late = defineRule({
      meta: { id: 'a-late', description: 'Reports the last line', defaultSeverity: 'info', fixable: false, messages: { m: 'late' } },
      check: ({ model }) => [{ span: model.instructions[2].span, messageId: 'm' }],
    });
    const sameSpot = defineRule({
      meta: { id: 'z-first', description: 'Reports the second RUN keyword', defaultSeverity: 'info', fixable: false, messages: { m: 'first' } },
      check: ({ model }) => [{ span: model.instructions[2].keywordSpan, messageId: 'm' }],
    });
    const result = lint(twoRuns, {}, [sameSpot, late, everyRun]);
    assert.deepEqual(
      result.findings.map((f) => [f.ruleId, f.span.start]),
      [
        ['every-run', 17],
        ['every-run', 34],
        ['z-first', 34],
        ['a-late', 34],
      ],
    );
  });
});

describe('texts that are not analysed', () => {
  it('binary content is skipped with a reason and no rule runs', () => {
    const spy = spyRule();
    const result = lint('FROM alpine\n\u0000\u0001\u0002', {}, [spy]);
    assert.match(result.skipped ?? '', /binary/);
    assert.equal(result.model, undefined);
    assert.deepEqual(result.findings, []);
    assert.equal(spy.calls.length, 0);
  });

  it('too large text is skipped with a reason', () => {
    const spy = spyRule();
    const result = lint('#'.repeat(MAX_TEXT_LENGTH + 1), {}, [spy]);
    assert.match(result.skipped ?? '', /too large/);
    assert.equal(spy.calls.length, 0);
  });

  it('unanalysableReason accepts text up to the limit', () => {
    assert.equal(unanalysableReason('#'.repeat(MAX_TEXT_LENGTH)), undefined);
    assert.equal(unanalysableReason(''), undefined);
    assert.match(unanalysableReason('#'.repeat(MAX_TEXT_LENGTH + 1)) ?? '', /limit is 5 MB/);
  });

  it('an empty file is analysed and clean', () => {
    const result = lint('', {}, [everyRun, apkNoCache]);
    assert.equal(result.skipped, undefined);
    assert.ok(result.model);
    assert.deepEqual(result.findings, []);
    assert.deepEqual(result.failures, []);
  });
});

describe('suppression comments', () => {
  it('silence the named rule for the instruction below only', () => {
    const code = lines('FROM alpine:3.20', '# slimfile-ignore every-run -- needed', 'RUN apk add curl', 'RUN echo hi');
    const result = lint(code, {}, [everyRun]);
    assert.deepEqual(result.findings.map((f) => f.span.start), [code.indexOf('RUN echo')]);
  });
});
