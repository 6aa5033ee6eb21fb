// Property tests over generated and mutated Dockerfiles: analysis never throws, every range lies
// inside the document, and every fix stays inside it without overlapping edits and leaves text that
// still reads as instructions. A fixed seed in `npm test`; `npm run fuzz` runs longer with a random
// seed (FUZZ_RUNS, FUZZ_SEED). A failing case found this way becomes a regression case below.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { lint } from '../../server/src/engine/lint';
import { fixAll, editsConflict } from '../../server/src/engine/fix';
import { applyEdits } from '../../server/src/analysis/text';
import { analyze } from '../../server/src/analysis/model';
import { corpusDir } from '../helpers/corpus';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = process.env.FUZZ_SEED === 'random' ? Date.now() % 2 ** 31 : process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : 20261128;
if (process.env.FUZZ_SEED !== undefined) console.log(`fuzz seed ${SEED}, ${RUNS} runs (repeat with FUZZ_SEED=${SEED})`);

const FRAGMENTS = [
  'FROM alpine:3.20', 'FROM ubuntu:22.04 AS build', 'FROM build', 'FROM scratch', 'ARG V=3.12', 'FROM python:${V}-slim',
  'RUN apk add curl', 'RUN apt-get update && apt-get install -y git', 'RUN pip install flask', 'RUN npm ci', 'RUN yum install -y x',
  'RUN set -e; sudo apt-get install -y \\', '    curl \\', '  # comment inside', '    && rm -rf /var/lib/apt/lists/*',
  'RUN ["sh", "-c", "apk add \\"x\\""]', 'RUN ["apt-get", "install", "y"]', 'RUN <<EOF', 'apt-get install -y x', 'EOF', 'RUN <<-EOT bash',
  'RUN echo "unterminated', "RUN echo 'single", 'RUN a && (b || c', 'RUN $(echo x) `y` ${Z:-w}', 'RUN bash -c "sh -c \'apk add z\'"',
  'COPY . .', 'COPY --from=build /out /out', 'ADD https://example.org/x.tgz /tmp/', 'COPY ["a", "b"]', 'WORKDIR /app', 'ENV PIP_NO_CACHE_DIR=1',
  'USER app', 'SHELL ["powershell", "-Command"]', '# escape=`', '# slimfile-ignore apk-no-cache', '# hadolint ignore=DL3019', '',
  'RUN apk add x &', 'RUN apk add x;', 'RUN apk add x # trailing', 'RUN \\', 'ONBUILD RUN apk add x', 'HEALTHCHECK CMD curl -f x || exit 1',
];
const NOISE = ['\u0000', '\uFEFF', '\r', '\r\n', '\n', '"', "'", '`', '\\', '[', ']', '{', '}', '(', ')', '$', '#', '&&', '|', ';', '<<EOF', ' ', '\t', 'é', '😀'];

function checkDocument(text: string): void {
  const result = lint(text);
  assert.deepEqual(result.failures, [], 'no rule throws');
  // Re-analysing after each fix is the expensive part: done for the first fixes only.
  let budget = 60;
  for (const f of result.findings) {
    assert.ok(f.span.start >= 0 && f.span.start <= f.span.end && f.span.end <= text.length, `${f.ruleId} range inside the document`);
    for (const fix of f.fixes ?? []) {
      for (const e of fix.edits) assert.ok(e.span.start >= 0 && e.span.start <= e.span.end && e.span.end <= text.length, `${f.ruleId} "${fix.title}" edit inside`);
      for (let i = 0; i < fix.edits.length; i++) for (let j = i + 1; j < fix.edits.length; j++) assert.ok(!editsConflict(fix.edits[i], fix.edits[j]), 'no overlapping edits');
      if (budget-- <= 0) continue;
      const after = applyEdits(text, fix.edits);
      // A merge removes one RUN per edit; nothing else removes instructions.
      assert.ok(analyze(after).instructions.length >= analyze(text).instructions.length - Math.max(1, fix.edits.length), `${f.ruleId} "${fix.title}" keeps the instructions`);
    }
  }
  const once = fixAll(text).text;
  assert.equal(fixAll(once).text, once, 'fix-all is idempotent');
}

const generated = fc
  .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.constantFrom(...NOISE), fc.string({ maxLength: 20 })), { maxLength: 40 })
  .chain((parts) => fc.array(fc.constantFrom('\n', '\r\n', ' ', ''), { minLength: parts.length, maxLength: parts.length }).map((seps) => parts.map((p, k) => p + seps[k]).join('')));

const corpus = (() => {
  const dir = corpusDir();
  if (!dir) return [] as string[];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.Dockerfile')).sort().map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
})();

const mutated = corpus.length === 0
  ? fc.constant('FROM alpine\nRUN apk add curl\n')
  : fc
      .tuple(fc.integer({ min: 0, max: corpus.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 40 }), fc.constantFrom(...NOISE, ...FRAGMENTS)), { maxLength: 8 }))
      .map(([k, muts]) => {
        let t = corpus[k];
        for (const [at, del, ins] of muts) {
          const p = t.length === 0 ? 0 : at % t.length;
          t = t.slice(0, p) + ins + t.slice(p + del);
        }
        return t;
      });

describe('fuzzing the analysis and the fixes', () => {
  it('generated documents', () => {
    fc.assert(fc.property(generated, (text) => checkDocument(text)), { numRuns: RUNS, seed: SEED });
  });
  it('mutated corpus files', () => {
    fc.assert(fc.property(mutated, (text) => checkDocument(text)), { numRuns: Math.ceil(RUNS / 3), seed: SEED });
  });
  it('random text and bytes', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => checkDocument(text)), { numRuns: RUNS, seed: SEED });
  });
});

describe('extreme inputs', () => {
  it('a 100k-character line', () => checkDocument('FROM alpine\nRUN apk add ' + 'x'.repeat(100_000) + '\n'));
  it('thousands of stages', () => checkDocument(Array.from({ length: 3000 }, (_, k) => `FROM alpine AS s${k}\nRUN apk add curl\n`).join('')));
  it('deeply nested sh -c', () => {
    let script = 'apk add curl';
    for (let k = 0; k < 12; k++) script = `sh -c ${JSON.stringify(script)}`;
    checkDocument(`FROM alpine\nRUN ${script}\n`);
  });
  it('an unterminated heredoc', () => checkDocument('FROM alpine\nRUN <<EOF\napk add curl\n'));
  it('odd escape directives', () => {
    for (const e of ['`', '\\', 'x', '', '``']) checkDocument(`# escape=${e}\nFROM alpine\nRUN apk add \\\n  curl ${e}\n  git\n`);
  });
  it('CR-only line breaks and a BOM', () => checkDocument('\uFEFFFROM alpine\rRUN apk add curl\rRUN pip install x\r'));
  it('binary content is skipped with a reason', () => {
    const r = lint('FROM alpine\u0000\u0001RUN');
    assert.match(r.skipped ?? '', /binary/);
  });
});
