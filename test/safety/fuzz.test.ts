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
import { convertToMultiStage } from '../../server/src/rules/build-tools-in-final-stage';
import { editProblems, fixAllProblems, fixProblems } from '../helpers/fix-safety';
import { corpusDir } from '../helpers/corpus';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
/** `bash -n` over the RUN scripts after each fix (a process each): on unless FUZZ_SHELL=0. */
const SHELL = process.env.FUZZ_SHELL !== '0';
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
  const counts = new Map<string, number>();
  for (const f of result.findings) {
    assert.ok(f.span.start >= 0 && f.span.start <= f.span.end && f.span.end <= text.length, `${f.ruleId} range inside the document`);
    counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
  }
  // Each fix gets the corpus test's checks; re-analysing after each is the expensive part, so
  // the first fixes of a document get them all (five in a big one) and the rest the edit checks only.
  let budget = text.length > 50_000 ? 5 : 40;
  for (const f of result.findings) {
    for (const fix of f.fixes ?? []) {
      const problems = budget-- > 0 ? fixProblems(text, f.ruleId, fix, counts.get(f.ruleId)!, { shell: SHELL }) : editProblems(text, fix.edits);
      assert.deepEqual(problems, [], `${f.ruleId} "${fix.title}" on ${JSON.stringify(text.slice(0, 400))}`);
    }
  }
  assert.deepEqual(fixAllProblems(text, { shell: SHELL }), [], `fix-all on ${JSON.stringify(text.slice(0, 400))}`);
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
    fc.assert(fc.property(generated, (text) => checkDocument(text)), { numRuns: RUNS, seed: SEED, includeErrorInReport: true });
  });
  it('mutated corpus files', () => {
    fc.assert(fc.property(mutated, (text) => checkDocument(text)), { numRuns: Math.ceil(RUNS / 3), seed: SEED, includeErrorInReport: true });
  });
  it('random text and bytes', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => checkDocument(text)), { numRuns: RUNS, seed: SEED, includeErrorInReport: true });
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
  // Found by the fuzzer: text appended after an open quote or heredoc lands inside it.
  it('no clean-up appended inside an unterminated quote', () => {
    for (const [text, rule] of [['FROM alpine:3.20\nRUN npm ci "\n', 'npm-cache'], ['FROM centos:7\nRUN yum install -y x "\n', 'yum-dnf-cache'], ["FROM debian:12\nRUN apt-get update && apt-get install -y x '\n", 'apt-lists-not-removed']]) {
      checkDocument(text);
      const found = lint(text).findings.filter((f) => f.ruleId === rule);
      assert.equal(found.length, 1, `${rule} still reports ${JSON.stringify(text)}`);
      assert.deepEqual((found[0].fixes ?? []).filter((f) => f.edits.some((e) => e.text.includes('&&'))), [], `no && appended for ${rule}`);
    }
  });
  it('no clean-up appended before an escape character that ends the RUN', () => {
    // dockerfile-ast ends this RUN after `x\ \`; text inserted before the last `\` made it a
    // line continuation that pulled the next line into the appended path.
    const text = 'RUN yum install -y x\\ \\\n\r\nee>!\nq\n';
    checkDocument(text);
    const found = lint(text).findings.find((f) => f.ruleId === 'yum-dnf-cache');
    assert.ok(found, 'still reported');
    assert.deepEqual(found.fixes?.map((f) => f.title), ['Use a BuildKit cache mount on /var/cache/yum']);
  });
  it('no fix edits a RUN whose nested script leaves a backtick open', () => {
    const text = 'FROM alpine:3.20\nRUN bash -c "sh -c \'apk add z\'"`"\n';
    checkDocument(text);
    const found = lint(text).findings.find((f) => f.ruleId === 'apk-no-cache');
    assert.ok(found, 'still reported');
    assert.deepEqual(found.fixes?.map((f) => f.title), ['Use a BuildKit cache mount on /var/cache/apk'], 'the mount goes before the script');
  });
  it('nothing appended after a line continuation that ends the file', () => {
    const text = 'FROM golang:1.17\n\nRUN go install example.org/x@v2    curl \\';
    checkDocument(text);
    const result = lint(text);
    assert.equal(result.model!.danglingContinuation, text.length);
    assert.ok(result.findings.some((f) => f.ruleId === 'build-tools-in-final-stage'), 'still reported');
    assert.equal(convertToMultiStage(result.model!), undefined);
    for (const f of result.findings) for (const fix of f.fixes ?? []) for (const e of fix.edits) assert.ok(e.span.end < text.length, `${f.ruleId} "${fix.title}" stays before the end`);
  });
  it('no merge of RUNs across an unterminated quote', () => {
    const text = 'FROM alpine:3.20\nRUN echo a\nRUN echo "unterminated\nRUN echo c\n';
    checkDocument(text);
    const merge = lint(text).findings.find((f) => f.ruleId === 'consecutive-run');
    assert.ok(merge, 'still reported');
    assert.equal(merge.fixes, undefined);
    assert.match(merge.message, /unterminated quote/);
  });
  it('no fix writes into a heredoc that never closes', () => {
    const text = 'FROM ubuntu:noble\nRUN apt-get install -y gcc\nRUN RUN <<EOFecho hi\nCMD ["x"]\n';
    checkDocument(text);
    const result = lint(text);
    const open = result.model!.openHeredoc!;
    assert.equal(open.keyword, 'RUN');
    assert.equal(open.span.end, text.length);
    assert.ok(result.findings.some((f) => f.ruleId === 'build-tools-in-final-stage'), 'build tools still reported');
    assert.equal(convertToMultiStage(result.model!), undefined);
    for (const f of result.findings) for (const fix of f.fixes ?? []) for (const e of fix.edits) assert.ok(e.span.end <= open.span.start, `${f.ruleId} "${fix.title}" stays before the open heredoc`);
    // The fixes before it still apply.
    assert.ok(result.findings.some((f) => f.ruleId === 'apt-lists-not-removed' && f.fixes?.length), 'the RUN before keeps its fix');
  });
  it('odd escape directives', () => {
    for (const e of ['`', '\\', 'x', '', '``']) checkDocument(`# escape=${e}\nFROM alpine\nRUN apk add \\\n  curl ${e}\n  git\n`);
  });
  it('CR-only line breaks and a BOM', () => checkDocument('\uFEFFFROM alpine\rRUN apk add curl\rRUN pip install x\r'));
  it('binary content is skipped with a reason', () => {
    const r = lint('FROM alpine\u0000\u0001RUN');
    assert.match(r.skipped ?? '', /binary/);
  });
});
