// Stage facts shared by the stage-aware rules: the root a stage is built on, and the WORKDIR in
// effect at an instruction across the stages it is built FROM.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/analysis/model';
import { rootStage, workdirAt } from '../../server/src/rules/stages';
import { lines } from '../helpers/rule-tester';

describe('rootStage', () => {
  it('follows FROM <stage> back to the stage built from an image', () => {
    const model = analyze(lines('FROM alpine AS a', 'FROM a AS b', 'FROM debian AS c', 'FROM b AS d', 'FROM d'));
    const [a, b, c, d, e] = model.stages;
    assert.deepEqual([a, b, c, d, e].map((s) => rootStage(s).name ?? '(last)'), ['a', 'a', 'c', 'a', 'a']);
  });

  it('does not link a stage to itself or to a later one', () => {
    const model = analyze(lines('FROM later AS first', 'FROM first AS first', 'FROM alpine AS later'));
    assert.deepEqual(model.stages.map((s) => rootStage(s).index), [0, 0, 2]);
  });

  it('answers for every stage of a long chain', () => {
    const text = ['FROM alpine AS s0', ...Array.from({ length: 3000 }, (_, k) => `FROM s${k} AS s${k + 1}`)].join('\n');
    const model = analyze(text);
    for (const s of [...model.stages].reverse()) assert.equal(rootStage(s), model.stages[0]);
  });
});

describe('workdirAt', () => {
  it('reads WORKDIR across the stages a stage is built FROM, FROM itself included', () => {
    const model = analyze(lines('FROM alpine AS a', 'WORKDIR /app', 'FROM a AS b', 'RUN x', 'WORKDIR src', 'RUN y', 'FROM debian', 'RUN z'));
    const at = (k: number): string | undefined => workdirAt(model.instructions[k]);
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7].map(at), ['/', '/', '/app', '/app', '/app', '/app/src', '/', '/']);
  });

  it('is unknown after a WORKDIR with a variable', () => {
    const model = analyze(lines('FROM alpine', 'WORKDIR $HOME', 'RUN x'));
    assert.equal(workdirAt(model.instructions[2]), undefined);
  });
});
