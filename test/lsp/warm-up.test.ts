// The start-up warm-up: it analyses a sample that reaches most rules, runs the rounds asked in
// separate turns of the event loop, and stops when told.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lint } from '../../server/src/engine/lint';
import { warmUp, warmUpSample } from '../../server/src/lsp/warm-up';

describe('warm-up', () => {
  it('analyses a sample that many rules report on, without rule failures', () => {
    const result = lint(warmUpSample(2));
    assert.deepEqual(result.failures, []);
    const rules = new Set(result.findings.map((f) => f.ruleId));
    assert.ok(rules.size >= 8, `rules reached: ${[...rules].join(', ')}`);
  });

  it('runs the rounds asked', async () => {
    const ran = await new Promise<number>((resolve) => warmUp(3, resolve));
    assert.equal(ran, 3);
  });

  it('stops when told, and a request queued meanwhile runs between rounds', async () => {
    let stop = false;
    let between = false;
    const ran = await new Promise<number>((resolve) => {
      warmUp(1000, resolve, () => stop);
      setImmediate(() => {
        between = true;
        stop = true;
      });
    });
    assert.ok(between);
    assert.ok(ran < 1000, `ran ${ran} rounds`);
  });
});
