import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../server/src/rules/npm-cache';
import { ruleTester, lines } from '../helpers/rule-tester';
import { lint } from '../../server/src/engine/lint';

const NODE = 'FROM node:20';
const NPM_MOUNT = 'Use a BuildKit cache mount on /root/.npm';
const YARN_MOUNT = 'Use a BuildKit cache mount on /usr/local/share/.cache/yarn';

ruleTester.run(rule, {
  valid: [
    lines(NODE, 'RUN npm ci && npm cache clean --force'),
    lines(NODE, 'RUN npm install -g serve && npm cache clean -f'),
    lines(NODE, 'RUN npm ci && rm -rf /root/.npm'),
    lines(NODE, 'RUN npm ci && rm -rf ~/.npm'),
    lines(NODE, 'RUN npm ci; rm -rf $HOME/.npm/_cacache'),
    lines(NODE, 'RUN --mount=type=cache,target=/root/.npm npm ci'),
    lines(NODE, 'RUN --mount=type=tmpfs,target=/root/.npm npm ci'),
    lines(NODE, 'USER node', 'RUN --mount=type=cache,target=/home/node/.npm,uid=1000 npm ci'),
    lines(NODE, 'USER node', 'RUN npm ci && rm -rf /home/node/.npm'),
    lines(NODE, 'RUN npm ci --cache /tmp/npm && rm -rf /tmp/npm'),
    lines(NODE, 'ENV NPM_CONFIG_CACHE=/tmp/npm', 'RUN --mount=type=cache,target=/tmp/npm npm ci'),
    lines(NODE, 'RUN yarn install --frozen-lockfile && yarn cache clean'),
    lines(NODE, 'RUN yarn --frozen-lockfile && yarn cache clean'),
    lines(NODE, 'RUN yarn add left-pad && rm -rf /usr/local/share/.cache/yarn'),
    lines(NODE, 'RUN yarn install && rm -rf /root/.cache/yarn/*'),
    lines(NODE, 'RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install'),
    lines(NODE, 'RUN --mount=type=cache,target=/root/.cache/yarn yarn install'),
    lines(NODE, 'RUN pnpm install --frozen-lockfile && pnpm store prune'),
    lines(NODE, 'RUN pnpm add lodash && rm -rf /root/.local/share/pnpm/store'),
    lines(NODE, 'RUN pnpm i && rm -rf /root/.cache/pnpm'),
    lines(NODE, 'RUN --mount=type=cache,target=/root/.local/share/pnpm/store pnpm install'),
    lines(NODE, 'RUN --mount=type=cache,target=/root/.cache/pnpm pnpm install'),
    lines(NODE, 'RUN --mount=type=cache,id=pnpm,target=/pnpm/store pnpm install --prod --frozen-lockfile'),
    lines(NODE, 'ENV PNPM_HOME=/pnpm', 'RUN pnpm install && rm -rf /pnpm/store'),
    lines(NODE, 'RUN npm ci && npm run build && yarn install && npm cache clean --force && yarn cache clean'),
    lines(NODE, `RUN bash -c 'npm ci && npm cache clean --force'`),
    lines(NODE, 'RUN ["sh", "-c", "npm ci && npm cache clean --force"]'),
    lines(NODE, 'RUN <<EOF', 'npm ci', 'npm cache clean --force', 'EOF'),
    lines(NODE, 'RUN npm run build'),
    lines(NODE, 'RUN npm test'),
    lines(NODE, 'RUN npm cache clean --force'),
    lines(NODE, 'RUN npm install --help'),
    lines(NODE, 'RUN yarn build'),
    lines(NODE, 'RUN yarn run lint'),
    lines(NODE, 'RUN yarn --version'),
    lines(NODE, 'RUN yarn workspace web add react'),
    lines(NODE, 'RUN pnpm run build'),
    lines(NODE, 'RUN npmx install'),
    lines(NODE, 'RUN echo "npm ci"'),
    lines(NODE, '# RUN npm ci'),
  ],
  invalid: [
    {
      code: lines(NODE, 'RUN npm ci'),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 11, messageIncludes: ['npm ci', '~/.npm', '89 MB', 'npm cache clean --force'] }],
      output: lines(NODE, 'RUN npm ci && npm cache clean --force'),
      fixes: [
        { title: 'Append npm cache clean --force', output: lines(NODE, 'RUN npm ci && npm cache clean --force') },
        { title: NPM_MOUNT, output: lines(NODE, 'RUN --mount=type=cache,target=/root/.npm npm ci') },
      ],
    },
    {
      name: 'npm aliases and a global install each leave the cache; fix-all appends one clean',
      code: lines(NODE, 'RUN npm i && npm run build && npm add -D typescript && npm install -g serve'),
      findings: [
        { messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 10, messageIncludes: ['npm i leaves'] },
        { messageId: 'cacheLeft', line: 2, column: 31, endLine: 2, endColumn: 52, messageIncludes: ['npm add'] },
        { messageId: 'cacheLeft', line: 2, column: 56, endLine: 2, endColumn: 76, messageIncludes: ['npm install'] },
      ],
      output: lines(NODE, 'RUN npm i && npm run build && npm add -D typescript && npm install -g serve && npm cache clean --force'),
      fixes: [
        {
          title: 'Append npm cache clean --force',
          output: lines(NODE, 'RUN npm i && npm run build && npm add -D typescript && npm install -g serve && npm cache clean --force'),
        },
      ],
    },
    {
      name: 'a clean before the install does not count',
      code: lines(NODE, 'RUN npm cache clean --force && npm ci'),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 32, endLine: 2, endColumn: 38 }],
      output: lines(NODE, 'RUN npm cache clean --force && npm ci && npm cache clean --force'),
    },
    {
      name: "another manager's clean does not count",
      code: lines(NODE, 'RUN npm ci && yarn cache clean'),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 11 }],
      output: lines(NODE, 'RUN npm ci && yarn cache clean && npm cache clean --force'),
    },
    {
      name: 'bare yarn with flags, continuations across lines',
      code: lines(NODE, 'RUN yarn --frozen-lockfile \\', '      --network-timeout 100000 && \\', '    yarn build'),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 3, endColumn: 31, messageIncludes: ['yarn leaves', "yarn's cache folder", 'yarn cache clean'] }],
      output: lines(NODE, 'RUN yarn --frozen-lockfile \\', '      --network-timeout 100000 && \\', '    yarn build && yarn cache clean'),
      fixes: [
        { title: 'Append yarn cache clean', output: lines(NODE, 'RUN yarn --frozen-lockfile \\', '      --network-timeout 100000 && \\', '    yarn build && yarn cache clean') },
        {
          title: YARN_MOUNT,
          output: lines(NODE, 'RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn --frozen-lockfile \\', '      --network-timeout 100000 && \\', '    yarn build'),
        },
      ],
    },
    {
      name: 'yarn install, yarn add and yarn global add',
      code: lines(NODE, 'RUN yarn --cwd /app install && yarn add lodash && yarn global add serve'),
      findings: [
        { messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 28, messageIncludes: ['yarn install'] },
        { messageId: 'cacheLeft', line: 2, column: 32, endLine: 2, endColumn: 47, messageIncludes: ['yarn add'] },
        { messageId: 'cacheLeft', line: 2, column: 51, endLine: 2, endColumn: 72, messageIncludes: ['yarn global add'] },
      ],
      output: lines(NODE, 'RUN yarn --cwd /app install && yarn add lodash && yarn global add serve && yarn cache clean'),
    },
    {
      name: 'two managers in one RUN: fix-all appends each clean once',
      code: lines(NODE, 'RUN npm ci && yarn install'),
      findings: [
        { messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 11 },
        { messageId: 'cacheLeft', line: 2, column: 15, endLine: 2, endColumn: 27 },
      ],
      output: lines(NODE, 'RUN npm ci && yarn install && npm cache clean --force && yarn cache clean'),
    },
    {
      name: 'pnpm with PNPM_HOME set by ENV in the stage it is built FROM',
      code: lines(`${NODE} AS base`, 'ENV PNPM_HOME="/pnpm"', 'FROM base', 'RUN corepack enable && pnpm install --frozen-lockfile'),
      findings: [{ messageId: 'storeLeft', line: 4, column: 24, endLine: 4, endColumn: 54, messageIncludes: ['pnpm install', '/pnpm/store', 'hard-link', 'pnpm store prune'] }],
      output: lines(`${NODE} AS base`, 'ENV PNPM_HOME="/pnpm"', 'FROM base', 'RUN corepack enable && pnpm install --frozen-lockfile && pnpm store prune'),
      fixes: [
        {
          title: 'Use a BuildKit cache mount on /pnpm/store',
          output: lines(`${NODE} AS base`, 'ENV PNPM_HOME="/pnpm"', 'FROM base', 'RUN --mount=type=cache,target=/pnpm/store corepack enable && pnpm install --frozen-lockfile'),
        },
      ],
    },
    {
      name: 'pnpm i and pnpm add with the default store',
      code: lines(NODE, 'RUN pnpm i && pnpm add -g pm2'),
      findings: [
        { messageId: 'storeLeft', line: 2, column: 5, endLine: 2, endColumn: 11, messageIncludes: ['~/.local/share/pnpm/store'] },
        { messageId: 'storeLeft', line: 2, column: 15, endLine: 2, endColumn: 30 },
      ],
      output: lines(NODE, 'RUN pnpm i && pnpm add -g pm2 && pnpm store prune'),
      fixes: [
        { title: 'Append pnpm store prune', output: lines(NODE, 'RUN pnpm i && pnpm add -g pm2 && pnpm store prune') },
        { title: 'Use a BuildKit cache mount on /root/.local/share/pnpm/store', output: lines(NODE, 'RUN --mount=type=cache,target=/root/.local/share/pnpm/store pnpm i && pnpm add -g pm2') },
      ],
    },
    {
      name: 'sudo: the clean runs as the same user',
      code: lines('FROM ubuntu:24.04', 'RUN sudo -u root npm install -g serve'),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 18, endLine: 2, endColumn: 38 }],
      output: lines('FROM ubuntu:24.04', 'RUN sudo -u root npm install -g serve && sudo -u root npm cache clean --force'),
      fixes: [{ title: 'Append sudo -u root npm cache clean --force', output: lines('FROM ubuntu:24.04', 'RUN sudo -u root npm install -g serve && sudo -u root npm cache clean --force') }],
    },
    {
      name: 'sudo -u before a bash -c wrapper: the clean runs as that user',
      code: lines(NODE, `RUN sudo -u node bash -c 'cd /app && npm ci'`),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 38, endLine: 2, endColumn: 44 }],
      output: lines(NODE, `RUN sudo -u node bash -c 'cd /app && npm ci' && sudo -u node npm cache clean --force`),
    },
    {
      name: 'gosu: the clean runs as that user',
      code: lines(NODE, 'RUN gosu node yarn install'),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 15, endLine: 2, endColumn: 27 }],
      output: lines(NODE, 'RUN gosu node yarn install && gosu node yarn cache clean'),
    },
    {
      name: 'a cache moved with --cache: the clean names it too',
      code: lines(NODE, 'RUN npm ci --cache /tmp/npm && npm run build'),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 28, messageIncludes: ['(/tmp/npm)'] }],
      output: lines(NODE, 'RUN npm ci --cache /tmp/npm && npm run build && npm cache clean --force --cache /tmp/npm'),
      fixes: [{ title: 'Use a BuildKit cache mount on /tmp/npm', output: lines(NODE, 'RUN --mount=type=cache,target=/tmp/npm npm ci --cache /tmp/npm && npm run build') }],
    },
    {
      name: 'a clean of the default cache does not clean a moved one',
      code: lines(NODE, 'RUN npm_config_cache=/tmp/c npm ci && npm cache clean --force'),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 29, endLine: 2, endColumn: 35 }],
      output: lines(NODE, 'RUN npm_config_cache=/tmp/c npm ci && npm cache clean --force && npm cache clean --force --cache /tmp/c'),
    },
    {
      name: 'bash -c: the clean goes after the wrapper',
      code: lines(NODE, `RUN bash -c 'npm ci --omit=dev'`),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 14, endLine: 2, endColumn: 31 }],
      output: lines(NODE, `RUN bash -c 'npm ci --omit=dev' && npm cache clean --force`),
    },
    {
      name: 'exec form with sh -c',
      code: lines(NODE, 'RUN ["sh", "-c", "yarn install"]'),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 19, endLine: 2, endColumn: 31 }],
      output: lines(NODE, 'RUN ["sh", "-c", "yarn install && yarn cache clean"]'),
    },
    {
      name: 'exec form without a shell: only the cache mount',
      code: lines(NODE, 'RUN ["npm", "ci"]'),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 7, endLine: 2, endColumn: 16 }],
      output: lines(NODE, 'RUN --mount=type=cache,target=/root/.npm ["npm", "ci"]'),
    },
    {
      name: 'heredoc script',
      code: lines(NODE, 'RUN <<EOF', 'set -e', 'npm ci', 'npm run build', 'EOF'),
      findings: [{ messageId: 'cacheLeft', line: 4, column: 1, endLine: 4, endColumn: 7 }],
      output: lines(NODE, 'RUN <<EOF', 'set -e', 'npm ci', 'npm run build && npm cache clean --force', 'EOF'),
    },
    {
      name: 'a trailing & gets no append, only the mount suggestion',
      code: lines(NODE, 'RUN npm ci &'),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 11 }],
      output: lines(NODE, 'RUN --mount=type=cache,target=/root/.npm npm ci &'),
    },
    {
      name: 'a trailing comment gets no append, only the mount suggestion',
      code: lines(NODE, 'RUN yarn install # deps'),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 17 }],
      output: lines(NODE, 'RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install # deps'),
    },
    {
      name: 'after USER the mount would target the wrong home: no fix with a trailing comment',
      code: lines(NODE, 'USER node', 'RUN npm ci # deps'),
      findings: [{ messageId: 'cacheLeft', line: 3, column: 5, endLine: 3, endColumn: 11 }],
      output: null,
    },
    {
      name: 'USER root keeps the mount suggestion',
      code: lines(NODE, 'USER node', 'USER root', 'RUN npm ci &'),
      findings: [{ messageId: 'cacheLeft', line: 4, column: 5, endLine: 4, endColumn: 11 }],
      output: lines(NODE, 'USER node', 'USER root', 'RUN --mount=type=cache,target=/root/.npm npm ci &'),
    },
    {
      name: 'Yarn 2 or later (a copied .yarnrc.yml): reported without a fix',
      code: lines(NODE, 'COPY package.json yarn.lock .yarnrc.yml ./', 'RUN yarn install'),
      findings: [{ messageId: 'cacheLeft', line: 3, column: 5, endLine: 3, endColumn: 17 }],
      output: null,
    },
    {
      name: 'an exit at the end: no append',
      code: lines(NODE, 'RUN npm ci && exit 0'),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 11 }],
      output: lines(NODE, 'RUN --mount=type=cache,target=/root/.npm npm ci && exit 0'),
    },
  ],
});

describe('npm-cache fixes', () => {
  const config = { rules: { 'npm-cache': ['warning', {}] as ['warning', Record<string, unknown>] } };
  it('offers no cache mount on /root after a non-root USER', () => {
    const result = lint(lines(NODE, 'USER node', 'RUN npm ci'), config, [rule]);
    assert.deepEqual(result.findings[0]?.fixes?.map((f) => f.title), ['Append npm cache clean --force']);
  });
  it('offers no cache mount on /root when sudo -u switches to another user', () => {
    const result = lint(lines(NODE, `RUN sudo -u node bash -c 'npm ci'`), config, [rule]);
    assert.deepEqual(result.findings[0]?.fixes?.map((f) => f.title), ['Append sudo -u node npm cache clean --force']);
  });
  it('gives every install in a RUN the same append, so fix-all adds the clean once', () => {
    const result = lint(lines(NODE, 'RUN npm ci && npm install -g serve'), config, [rule]);
    const edits = result.findings.map((f) => JSON.stringify(f.fixes?.[0]?.edits));
    assert.equal(edits.length, 2);
    assert.equal(edits[0], edits[1]);
  });
});
