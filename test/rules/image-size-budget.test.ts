import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule, { describeEstimate, estimateImage } from '../../server/src/rules/image-size-budget';
import { analyze } from '../../server/src/analysis/model';
import { lint } from '../../server/src/engine/lint';
import { lookup } from '../../server/src/data/images';
import { ruleTester, lines } from '../helpers/rule-tester';
import { fakeContext } from '../helpers/context';

const MB = 1_000_000;
const ctx = fakeContext({ 'app/main.py': 2 * MB, 'models/big.bin': 910 * MB, 'src/x.go': 1 * MB });
const pythonMB = lookup(analyze('FROM python:3.12\n').stages[0].image!)!.sizeMB;

ruleTester.run(rule, {
  valid: [
    { name: 'small images are quiet', code: lines('FROM python:3.12-slim', 'COPY app/ /app/'), context: ctx },
    { name: 'unknown context counts the base only', code: lines('FROM python:3.12', 'COPY . /app') },
    { name: 'a build stage does not count', code: lines('FROM python:3.12 AS b', 'COPY models/ /m/', 'FROM python:3.12-slim', 'COPY --from=b /m/x /x'), context: fakeContext({ 'app/a': 1 }) },
  ],
  invalid: [
    {
      code: lines('FROM python:3.12', 'COPY models/ /app/models/', 'RUN pip install --no-cache-dir -r req.txt'),
      context: ctx,
      findings: [{ messageId: 'overBudget', line: 1, column: 6, endLine: 1, endColumn: 17, messageIncludes: ['at least', 'COPY models/ 910 MB', 'over the 1.0 GB budget'] }],
      output: null,
    },
    {
      name: 'past the error limit it is an error',
      code: lines('FROM scratch', 'COPY models/ /m/'),
      context: ctx,
      options: { warnMB: 100, errorMB: 500 },
      findings: [{ messageId: 'overLimit', line: 1, column: 6, endLine: 1, endColumn: 13 }],
      output: null,
    },
    {
      name: 'COPY --from a build stage counts what that stage copied in',
      code: lines('FROM golang:1.22 AS build', 'COPY models/ /src/', 'FROM scratch', 'COPY --from=build /src/app /app'),
      context: ctx,
      options: { warnMB: 500 },
      findings: [{ messageId: 'overBudget', line: 3, column: 6, endLine: 3, endColumn: 13, messageIncludes: ['≈ 910 MB'] }],
      output: null,
    },
  ],
});

describe('the size estimate', () => {
  it('adds the base and the measured copies; RUN layers make it a lower bound', () => {
    const e = estimateImage(analyze(lines('FROM python:3.12', 'COPY app/ /app/', 'COPY src/ /src/', 'RUN true')), undefined, ctx)!;
    assert.equal(e.bytes, pythonMB * MB + 3 * MB);
    assert.equal(e.atLeast, true);
    assert.deepEqual(e.parts.map((p) => [p.label, p.bytes]), [['base python:3.12', pythonMB * MB], ['COPY app/', 2 * MB], ['COPY src/', 1 * MB], ['RUN (line 4)', undefined]]);
    assert.match(describeEstimate(e), /^at least \d+ MB: base python:3\.12 \d+ MB \+ COPY app\/ 2\.0 MB \+ COPY src\/ 1\.0 MB \+ …$/);
  });
  it('follows FROM <stage> to the base image', () => {
    const e = estimateImage(analyze(lines('FROM python:3.12 AS base', 'COPY app/ /app/', 'FROM base', 'COPY src/ /src/')), undefined, ctx)!;
    assert.equal(e.bytes, pythonMB * MB + 3 * MB);
    assert.equal(e.atLeast, false);
  });
  it('uses the target stage', () => {
    const e = estimateImage(analyze(lines('FROM scratch AS a', 'COPY src/ /s', 'FROM python:3.12 AS b')), 'a', ctx)!;
    assert.equal(e.bytes, 1 * MB);
  });
  it('is configurable through options and severity can rise to error', () => {
    const r = lint(lines('FROM scratch', 'COPY models/ /m/'), { rules: { 'image-size-budget': ['info', { warnMB: 100, errorMB: 500 }] } }, [rule], ctx);
    assert.equal(r.findings[0].severity, 'error');
  });
});
