import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../server/src/rules/unused-suppression';
import apkNoCache from '../../server/src/rules/apk-no-cache';
import { lint } from '../../server/src/engine/lint';
import { ignoreFix, findSuppressions } from '../../server/src/engine/suppress';
import { analyze } from '../../server/src/analysis/model';
import { applyEdits } from '../../server/src/analysis/text';
import { ruleTester, lines } from '../helpers/rule-tester';

// With only this rule enabled, ids of other rules are not judged; unknown ids always are.
ruleTester.run(rule, {
  valid: [
    lines('FROM alpine:3.20', '# slimfile-ignore apk-no-cache', 'RUN apk add curl'),
    lines('FROM alpine:3.20', '# hadolint ignore=DL3018', 'RUN apk add curl'),
    lines('FROM alpine:3.20', '# just a comment about ignore', 'RUN apk add curl'),
  ],
  invalid: [
    {
      code: lines('FROM alpine:3.20', '# slimfile-ignore no-such-rule', 'RUN apk add curl'),
      findings: [{ messageId: 'unknownRule', line: 2, column: 1, endLine: 2, endColumn: 31, messageIncludes: ['no-such-rule'] }],
      output: lines('FROM alpine:3.20', 'RUN apk add curl'),
    },
    {
      code: lines('FROM alpine:3.20', '  # slimfile-ignore-file apk-nocache -- typo', 'RUN apk add curl'),
      findings: [{ messageId: 'unknownRule', line: 2, column: 3, endLine: 2, endColumn: 45 }],
      output: lines('FROM alpine:3.20', 'RUN apk add curl'),
    },
  ],
});

const both = [apkNoCache, rule];

function ids(text: string): string[] {
  return lint(text, {}, both).findings.map((f) => `${f.ruleId}@${analyze(text).lines.positionAt(f.span.start).line + 1}`);
}

describe('suppression comments', () => {
  it('silence the named rule for the instruction right below', () => {
    assert.deepEqual(ids(lines('FROM alpine', '# slimfile-ignore apk-no-cache -- index needed at run time', 'RUN apk add curl', 'RUN apk add git')), ['apk-no-cache@4']);
  });
  it('reach across further comment lines, not across instructions', () => {
    assert.deepEqual(ids(lines('FROM alpine', '# slimfile-ignore apk-no-cache', '# why: later', 'RUN apk add curl')), []);
    assert.deepEqual(ids(lines('FROM alpine', '# slimfile-ignore apk-no-cache', 'ENV A=1', 'RUN apk add curl')), ['unused-suppression@2', 'apk-no-cache@4']);
  });
  it('cover a whole multi-line instruction', () => {
    assert.deepEqual(ids(lines('FROM alpine', '# slimfile-ignore apk-no-cache', 'RUN echo hi && \\', '    apk add curl')), []);
  });
  it('silence a whole file with slimfile-ignore-file', () => {
    assert.deepEqual(ids(lines('# slimfile-ignore-file apk-no-cache', 'FROM alpine', 'RUN apk add curl', 'RUN apk add git')), []);
  });
  it('accept several ids separated by commas', () => {
    assert.deepEqual(ids(lines('FROM alpine', '# slimfile-ignore consecutive-run,apk-no-cache', 'RUN apk add curl')), []);
  });
  it('map hadolint codes to our rules', () => {
    assert.deepEqual(ids(lines('FROM alpine', '# hadolint ignore=DL3018,DL3019', 'RUN apk add curl')), []);
    assert.deepEqual(ids(lines('# hadolint global ignore=DL3019', 'FROM alpine', 'RUN apk add curl')), []);
  });
  it('leave hadolint codes we have no rule for alone', () => {
    assert.deepEqual(ids(lines('FROM alpine', '# hadolint ignore=DL3018', 'RUN apk add --no-cache curl')), []);
  });
  it('report a suppression that silenced nothing, with a removal fix', () => {
    const text = lines('FROM alpine', '# slimfile-ignore apk-no-cache', 'RUN apk add --no-cache curl');
    const [f] = lint(text, {}, both).findings;
    assert.equal(f.ruleId, 'unused-suppression');
    assert.equal(f.message, 'apk-no-cache reported nothing here: this suppression comment can go.');
    assert.equal(applyEdits(text, f.fixes![0].edits), lines('FROM alpine', 'RUN apk add --no-cache curl'));
  });
  it('do not judge ids of rules that are off', () => {
    const text = lines('FROM alpine', '# slimfile-ignore apk-no-cache', 'RUN apk add curl');
    assert.deepEqual(lint(text, { rules: { 'apk-no-cache': 'off' } }, both).findings, []);
  });
});

describe('Ignore <id> for this instruction', () => {
  function fixed(text: string, line: number): string {
    const model = analyze(text);
    const sup = findSuppressions(model, both);
    const f = lint(text, {}, both).findings.find((x) => model.lines.positionAt(x.span.start).line + 1 === line)!;
    const fix = ignoreFix(model, sup, f.ruleId, f.span)!;
    assert.equal(fix.title, `Ignore ${f.ruleId} for this instruction`);
    const out = applyEdits(text, fix.edits);
    assert.deepEqual(lint(out, {}, both).findings.filter((x) => x.ruleId === f.ruleId), [], 'silenced afterwards');
    return out;
  }
  it('inserts a comment with the instruction indentation', () => {
    assert.equal(fixed(lines('FROM alpine', '  RUN apk add curl'), 2), lines('FROM alpine', '  # slimfile-ignore apk-no-cache', '  RUN apk add curl'));
  });
  it('keeps CRLF line breaks', () => {
    assert.equal(fixed('FROM alpine\r\nRUN apk add curl\r\n', 2), 'FROM alpine\r\n# slimfile-ignore apk-no-cache\r\nRUN apk add curl\r\n');
  });
  it('extends an existing comment, keeping its reason', () => {
    const text = lines('FROM alpine', '# slimfile-ignore consecutive-run -- one layer on purpose', 'RUN apk add curl');
    assert.equal(fixed(text, 3), lines('FROM alpine', '# slimfile-ignore consecutive-run,apk-no-cache -- one layer on purpose', 'RUN apk add curl'));
  });
});

describe('suppressions on findings that cover several instructions', () => {
  it('silence consecutive-run from the later RUN, where hadolint puts DL3059', async () => {
    const consecutive = (await import('../../server/src/rules/consecutive-run')).default;
    const text = lines('FROM alpine', 'RUN echo a', '# hadolint ignore=DL3059', 'RUN echo b');
    assert.deepEqual(lint(text, {}, [consecutive, rule]).findings.map((f) => f.ruleId), []);
  });
});
