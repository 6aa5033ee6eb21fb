import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../server/src/rules/chown-after-copy';
import { lint } from '../../server/src/engine/lint';
import { ruleTester, lines } from '../helpers/rule-tester';
import { fakeContext } from '../helpers/context';

const twoStages = lines('FROM debian:12 AS base', 'COPY app.jar /opt/app.jar', 'RUN chown app:app /opt/app.jar', 'FROM debian:12 AS slim', 'COPY --from=base /opt /opt');

ruleTester.run(rule, {
  valid: [
    { name: 'quiet when the COPY already sets that owner', code: lines('FROM debian:12', 'COPY --chown=app:app . /app', 'RUN chown -R app:app /app') },
    { name: 'quiet when the COPY already sets that user and the chown keeps the group', code: lines('FROM debian:12', 'COPY --chown=app:app . /app', 'RUN chown -R app /app') },
    { name: 'quiet when the COPY already sets that mode, written differently', code: lines('FROM debian:12', 'COPY --chmod=0755 run.sh /run.sh', 'RUN chmod 755 /run.sh') },
    { name: 'quiet for a path no COPY fed', code: lines('FROM debian:12', 'COPY app.jar /app/app.jar', 'RUN chown -R app /data') },
    { name: 'quiet in a build-only stage', code: lines('FROM debian:12 AS build', 'COPY . /src', 'RUN chown -R app /src', 'FROM debian:12', 'COPY --from=build /src/out /out') },
    { name: 'quiet in a stage the target leaves out of the image', code: twoStages, target: 'slim' },
    { name: 'quiet for a non-recursive chown of the copied folder', code: lines('FROM debian:12', 'COPY src/ /app/', 'RUN chown app:app /app') },
    { name: 'quiet when the chown comes before the COPY', code: lines('FROM debian:12', 'RUN chown -R app /app', 'COPY . /app') },
    { name: 'quiet for a folder inside what a COPY of a folder wrote', code: lines('FROM debian:12', 'COPY . /app', 'RUN chown -R app /app/data') },
    { name: 'quiet for a variable path', code: lines('FROM debian:12', 'COPY . /app', 'RUN chown -R app "$APP_HOME"') },
    { name: 'quiet for chmod with a mode that is an option', code: lines('FROM debian:12', 'COPY run.sh /run.sh', 'RUN chmod -x /run.sh') },
    { name: 'quiet for a chown in text', code: lines('FROM debian:12', 'COPY run.sh /run.sh', 'RUN echo "chown app /run.sh"') },
    {
      name: 'Windows files do not crash',
      code: lines('# escape=`', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'COPY app C:/app', 'RUN icacls C:\\app /grant Users:F /T'),
    },
  ],
  invalid: [
    {
      name: 'chown user:group of one copied file: safe fix',
      code: lines('FROM debian:12', 'COPY entrypoint.sh /usr/local/bin/entrypoint.sh', 'RUN chown app:app /usr/local/bin/entrypoint.sh', 'USER app'),
      findings: [{ messageId: 'single', line: 3, column: 5, endLine: 3, endColumn: 47, related: 1, messageIncludes: ['second time', 'line 2', '--chown=app:app'] }],
      output: lines('FROM debian:12', 'COPY --chown=app:app entrypoint.sh /usr/local/bin/entrypoint.sh', 'USER app'),
      fixes: [
        {
          title: 'Set --chown=app:app in the COPY and remove the chown',
          output: lines('FROM debian:12', 'COPY --chown=app:app entrypoint.sh /usr/local/bin/entrypoint.sh', 'USER app'),
        },
      ],
    },
    {
      name: 'reported in the stage the target builds',
      code: twoStages,
      target: 'base',
      findings: [{ messageId: 'single', line: 3, column: 5, endLine: 3, endColumn: 31, related: 1 }],
      output: lines('FROM debian:12 AS base', 'COPY --chown=app:app app.jar /opt/app.jar', 'FROM debian:12 AS slim', 'COPY --from=base /opt /opt'),
    },
    {
      name: 'chown -R over the WORKDIR a COPY filled: the folder keeps a plain chown',
      code: lines('FROM node:20-slim', 'WORKDIR /app', 'COPY . .', 'RUN chown -R node:node /app', 'USER node'),
      findings: [{ messageId: 'recursive', line: 4, column: 5, endLine: 4, endColumn: 28, related: 1, messageIncludes: ['stored twice', 'rewrites every file', '--chown=node:node'] }],
      output: lines('FROM node:20-slim', 'WORKDIR /app', 'COPY --chown=node:node . .', 'RUN chown node:node /app', 'USER node'),
      fixes: [
        {
          title: 'Set --chown=node:node in the COPY and make the chown non-recursive',
          output: lines('FROM node:20-slim', 'WORKDIR /app', 'COPY --chown=node:node . .', 'RUN chown node:node /app', 'USER node'),
        },
      ],
    },
    {
      name: 'no fix when a RUN in between may have written into the folder',
      code: lines('FROM node:20-slim', 'WORKDIR /app', 'COPY package.json ./', 'RUN npm ci', 'COPY . .', 'RUN chown -R node:node /app'),
      findings: [{ messageId: 'recursive', line: 6, column: 5, endLine: 6, endColumn: 28, related: 2, messageIncludes: ['lines 3 and 5'] }],
      output: null,
    },
    {
      name: 'chmod with an octal mode: a suggestion without BuildKit syntax',
      code: lines('FROM debian:12', 'COPY run.sh /run.sh', 'RUN chmod 755 /run.sh', 'CMD ["/run.sh"]'),
      findings: [{ messageId: 'single', line: 3, column: 5, endLine: 3, endColumn: 22, related: 1, messageIncludes: ['--chmod=755'] }],
      output: lines('FROM debian:12', 'COPY --chmod=755 run.sh /run.sh', 'CMD ["/run.sh"]'),
    },
    {
      name: 'chmod with an octal mode: safe when the file already needs BuildKit',
      code: lines('# syntax=docker/dockerfile:1', 'FROM debian:12', 'COPY run.sh /run.sh', 'RUN chmod 0755 /run.sh'),
      findings: [{ messageId: 'single', line: 4, column: 5, endLine: 4, endColumn: 23, related: 1 }],
      output: lines('# syntax=docker/dockerfile:1', 'FROM debian:12', 'COPY --chmod=0755 run.sh /run.sh'),
    },
    {
      name: 'chmod with a symbolic mode has no fix',
      code: lines('FROM debian:12', 'COPY run.sh /run.sh', 'RUN chmod +x /run.sh'),
      findings: [{ messageId: 'single', line: 3, column: 5, endLine: 3, endColumn: 21, related: 1, messageIncludes: ['octal'] }],
      output: null,
    },
    {
      name: 'chmod -R with a symbolic mode over a copied folder',
      code: lines('FROM debian:12', 'COPY scripts/ /opt/scripts/', 'RUN chmod -R u+x /opt/scripts'),
      findings: [{ messageId: 'recursive', line: 3, column: 5, endLine: 3, endColumn: 30, related: 1, messageIncludes: ['chmod -R', 'octal'] }],
      output: null,
    },
    {
      name: 'chown -R inside a longer RUN: only the recursion goes',
      code: lines('FROM debian:12', 'COPY app/ /srv/app/', 'RUN chown -R www-data:www-data /srv/app && echo ready'),
      findings: [{ messageId: 'recursive', line: 3, column: 5, endLine: 3, endColumn: 40, related: 1 }],
      output: lines('FROM debian:12', 'COPY --chown=www-data:www-data app/ /srv/app/', 'RUN chown www-data:www-data /srv/app && echo ready'),
    },
    {
      name: 'several COPYs feed the folder: the flag goes on each',
      code: lines('FROM debian:12', 'WORKDIR /app', 'COPY package.json ./', 'COPY src/ ./', 'RUN chown -Rv app:app /app'),
      findings: [{ messageId: 'recursive', line: 5, column: 5, endLine: 5, endColumn: 27, related: 2 }],
      output: lines('FROM debian:12', 'WORKDIR /app', 'COPY --chown=app:app package.json ./', 'COPY --chown=app:app src/ ./', 'RUN chown -v app:app /app'),
      fixes: [
        {
          title: 'Set --chown=app:app in 2 COPYs and make the chown non-recursive',
          output: lines('FROM debian:12', 'WORKDIR /app', 'COPY --chown=app:app package.json ./', 'COPY --chown=app:app src/ ./', 'RUN chown -v app:app /app'),
        },
      ],
    },
    {
      name: 'a user without a group keeps group 0',
      code: lines('FROM debian:12', 'COPY config.yml /etc/app/config.yml', 'RUN chown app /etc/app/config.yml'),
      findings: [{ messageId: 'single', line: 3, column: 5, endLine: 3, endColumn: 34, related: 1, messageIncludes: ['--chown=app:0'] }],
      output: lines('FROM debian:12', 'COPY --chown=app:0 config.yml /etc/app/config.yml'),
    },
    {
      name: 'exec form chown -R of one file: safe',
      code: lines('FROM debian:12', 'COPY app.jar /opt/app.jar', 'RUN ["chown", "-R", "app:app", "/opt/app.jar"]'),
      findings: [{ messageId: 'single', line: 3, column: 7, endLine: 3, endColumn: 45, related: 1 }],
      output: lines('FROM debian:12', 'COPY --chown=app:app app.jar /opt/app.jar'),
    },
    {
      name: 'an ADD of a URL, then chmod',
      code: lines('FROM debian:12', 'ADD https://example.com/tool /usr/local/bin/tool', 'RUN chmod 755 /usr/local/bin/tool && tool --version'),
      findings: [{ messageId: 'single', line: 3, column: 5, endLine: 3, endColumn: 34, related: 1, messageIncludes: ['the ADD on line 2'] }],
      output: lines('FROM debian:12', 'ADD --chmod=755 https://example.com/tool /usr/local/bin/tool', 'RUN tool --version'),
    },
    {
      name: 'an owner from variables is only a suggestion',
      code: lines('FROM debian:12', 'ARG APP_USER=app', 'COPY app.jar /app.jar', 'RUN chown ${APP_USER}:${APP_USER} /app.jar'),
      findings: [{ messageId: 'single', line: 4, column: 5, endLine: 4, endColumn: 43, related: 1 }],
      output: lines('FROM debian:12', 'ARG APP_USER=app', 'COPY --chown=${APP_USER}:${APP_USER} app.jar /app.jar'),
    },
    {
      name: 'no fix when a RUN in between uses the file',
      code: lines('FROM debian:12', 'COPY app.jar /opt/app.jar', 'RUN java -jar /opt/app.jar --self-test', 'RUN chown app:app /opt/app.jar'),
      findings: [{ messageId: 'single', line: 4, column: 5, endLine: 4, endColumn: 31, related: 1 }],
      output: null,
    },
    {
      name: 'one of two paths was copied: only its word goes',
      code: lines('FROM debian:12', 'COPY app.jar /opt/app.jar', 'RUN chown app:app /opt/app.jar /var/log/app'),
      findings: [{ messageId: 'single', line: 3, column: 5, endLine: 3, endColumn: 44, related: 1 }],
      output: lines('FROM debian:12', 'COPY --chown=app:app app.jar /opt/app.jar', 'RUN chown app:app /var/log/app'),
    },
    {
      name: 'chown with a path relative to WORKDIR',
      code: lines('FROM debian:12', 'WORKDIR /opt', 'COPY app.jar app.jar', 'RUN chown app:app app.jar'),
      findings: [{ messageId: 'single', line: 4, column: 5, endLine: 4, endColumn: 26, related: 1 }],
      output: lines('FROM debian:12', 'WORKDIR /opt', 'COPY --chown=app:app app.jar app.jar'),
    },
    {
      name: 'CRLF line endings: the RUN goes with its CRLF',
      code: 'FROM debian:12\r\nCOPY app.jar /opt/app.jar\r\nRUN chown app:app /opt/app.jar\r\nCMD ["java", "-jar", "/opt/app.jar"]\r\n',
      findings: [{ messageId: 'single', line: 3, column: 5, endLine: 3, endColumn: 31, related: 1 }],
      output: 'FROM debian:12\r\nCOPY --chown=app:app app.jar /opt/app.jar\r\nCMD ["java", "-jar", "/opt/app.jar"]\r\n',
    },
    {
      name: 'a chown between ; separators goes with the ; after it',
      code: lines('FROM debian:12', 'COPY app.jar /opt/app.jar', 'RUN set -e; chown app:app /opt/app.jar; ln -s /opt/app.jar /app.jar'),
      findings: [{ messageId: 'single', line: 3, column: 13, endLine: 3, endColumn: 39, related: 1 }],
      output: lines('FROM debian:12', 'COPY --chown=app:app app.jar /opt/app.jar', 'RUN set -e; ln -s /opt/app.jar /app.jar'),
    },
    {
      name: 'chown -R over a parent of the copied folder has no fix',
      code: lines('FROM debian:12', 'COPY app/ /home/app/src/', 'RUN chown -R app:app /home/app'),
      findings: [{ messageId: 'recursive', line: 3, column: 5, endLine: 3, endColumn: 31, related: 1 }],
      output: null,
    },
  ],
});

describe('chown-after-copy with a measured build context', () => {
  it('says how much the chown layer repeats', () => {
    const code = lines('FROM node:20-slim', 'WORKDIR /app', 'COPY . .', 'RUN chown -R node:node /app');
    const result = lint(code, {}, [rule], fakeContext({ 'src/index.js': 1_200_000, 'package.json': 800, 'public/logo.png': 3_000_000 }));
    assert.equal(result.findings.length, 1);
    assert.match(result.findings[0].message, /this layer repeats the copied 4\.2 MB\./);
  });
});
