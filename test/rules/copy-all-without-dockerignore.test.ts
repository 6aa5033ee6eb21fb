import { it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../server/src/rules/copy-all-without-dockerignore';
import { lint } from '../../server/src/engine/lint';
import { ruleTester, lines } from '../helpers/rule-tester';
import { fakeContext } from '../helpers/context';

const MB = 1_000_000;
const mix = fakeContext({ 'node_modules/react/index.js': 412 * MB, '.git/pack': 96 * MB, 'src/app.js': 4000, 'package.json': 900 });
const ignored = fakeContext({ 'src/app.js': 4000, 'package.json': 900 }, { ignoreFile: '.dockerignore' });

ruleTester.run(rule, {
  valid: [
    { name: 'quiet when a .dockerignore applies', code: lines('FROM node:20-slim', 'COPY . .'), context: ignored },
    { name: 'quiet when the context is unknown', code: lines('FROM node:20-slim', 'COPY . .') },
    { name: 'explicit sources are fine', code: lines('FROM node:20-slim', 'COPY package.json src/ ./'), context: mix },
    { name: 'COPY --from a stage is not the context', code: lines('FROM node:20 AS b', 'FROM node:20-slim', 'COPY --from=b . .'), context: mix },
  ],
  invalid: [
    {
      code: lines('FROM node:20-slim', 'COPY . .'),
      context: mix,
      findings: [{ messageId: 'noIgnoreFile', line: 2, column: 6, endLine: 2, endColumn: 7, messageIncludes: ['508 MB in 4 files', 'node_modules 412 MB, .git 96 MB'] }],
      output: null,
    },
    {
      name: 'ADD ./ and a JSON form are the whole context too',
      code: lines('FROM node:20-slim', 'ADD ./ /app/', 'COPY [".", "/srv"]'),
      context: mix,
      findings: [
        { messageId: 'noIgnoreFile', line: 2, column: 5, endLine: 2, endColumn: 7 },
        { messageId: 'noIgnoreFile', line: 3, column: 7, endLine: 3, endColumn: 10 },
      ],
      output: null,
    },
    {
      name: 'a cut-short scan says at least',
      code: lines('FROM node:20-slim', 'COPY . .'),
      context: fakeContext({ 'a/b': 2 * MB }, { truncated: true }),
      findings: [{ messageId: 'noIgnoreFile', line: 2, column: 6, endLine: 2, endColumn: 7, messageIncludes: ['at least 2.0 MB'] }],
      output: null,
    },
  ],
});

it('offers the generate command as its fix', () => {
  const [f] = lint(lines('FROM node:20-slim', 'COPY . .'), {}, [rule], mix).findings;
  assert.deepEqual(f.fixes?.map((x) => [x.title, x.command?.command, x.edits.length]), [['Generate .dockerignore for this build context', 'slimfile.generateDockerignore', 0]]);
});
