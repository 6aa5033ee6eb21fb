import rule from '../../server/src/rules/apt-lists-not-removed';
import { ruleTester, lines } from '../helpers/rule-tester';

const FROM = 'FROM debian:12-slim';
const REMOVE = 'Remove /var/lib/apt/lists in the same RUN';
const MOUNT = 'Use a BuildKit cache mount on /var/lib/apt/lists';
const CACHE = '--mount=type=cache,target=/var/lib/apt/lists,sharing=locked';

ruleTester.run(rule, {
  valid: [
    lines(FROM, 'RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*'),
    { name: 'the folder itself, without /*', code: lines(FROM, 'RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists') },
    { name: 'rm -r without -f', code: lines(FROM, 'RUN apt-get update && apt-get install -y curl && rm -r /var/lib/apt/lists/*') },
    { name: 'removing /var/lib/apt removes the lists too', code: lines(FROM, 'RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt') },
    { name: 'apt-get clean then rm', code: lines(FROM, 'RUN apt-get update && apt-get install -y curl && apt-get clean && rm -rf /var/lib/apt/lists/* /var/cache/apt/*') },
    { name: 'apt-get dist-clean after the install', code: lines(FROM, 'RUN apt-get update && apt-get install -y curl && apt-get dist-clean') },
    { name: 'apt dist-clean after the upgrade', code: lines(FROM, 'RUN apt update && apt full-upgrade -y && apt dist-clean') },
    { name: 'quiet with a cache mount on the lists', code: lines(FROM, `RUN ${CACHE} apt-get update && apt-get install -y curl`) },
    { name: 'quiet with a cache mount on /var/lib/apt', code: lines(FROM, 'RUN --mount=type=cache,target=/var/lib/apt apt-get update') },
    { name: 'quiet with a tmpfs mount on the lists', code: lines(FROM, 'RUN --mount=type=tmpfs,target=/var/lib/apt/lists apt-get update && apt-get install -y curl') },
    { name: 'an echoed command is not run', code: lines(FROM, 'RUN echo "apt-get update && apt-get install x"') },
    { name: 'a commented-out instruction is not read', code: lines(FROM, '# RUN apt-get update') },
    { name: 'a shell comment is not read', code: lines(FROM, 'RUN true # apt-get update') },
    { name: 'other commands that start with apt-get are not apt-get', code: lines(FROM, 'RUN apt-get-foo update && apt-getter install x && apt-cache policy curl') },
    { name: 'commands that do not fetch the lists', code: lines(FROM, 'RUN apt-get remove -y curl && apt-get autoremove -y && apt-get clean') },
    {
      name: 'sudo, environment prefix, options and set -eux over continuation lines',
      code: lines(
        FROM,
        'RUN set -eux; \\',
        '    sudo apt-get -o Acquire::Retries=3 -qq update; \\',
        '    DEBIAN_FRONTEND=noninteractive sudo apt-get -y install curl; \\',
        '    sudo rm -rf /var/lib/apt/lists/*',
      ),
    },
    { name: 'clean-up inside bash -c', code: lines(FROM, `RUN bash -c 'apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*'`) },
    { name: 'clean-up in a nested script after the install', code: lines(FROM, `RUN apt-get update && apt-get install -y curl && sh -c 'rm -rf /var/lib/apt/lists/*'`) },
    { name: 'retry with || then clean-up', code: lines(FROM, 'RUN (apt-get update || apt-get update) && apt-get install -y curl && rm -rf /var/lib/apt/lists/*') },
    lines(FROM, 'RUN ["/bin/sh", "-c", "apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*"]'),
    lines(FROM, 'RUN <<EOF', 'set -eux', 'apt-get update', 'apt-get install -y curl', 'rm -rf /var/lib/apt/lists/*', 'EOF'),
    lines('# escape=`', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'RUN apt-get update && `', '    rm -rf /var/lib/apt/lists/*'),
  ],
  invalid: [
    {
      code: lines(FROM, 'RUN apt-get update && apt-get install -y curl'),
      findings: [{ messageId: 'listsLeft', line: 2, column: 23, endLine: 2, endColumn: 46, messageIncludes: ['apt-get install', 'about 20 MB', 'rm -rf /var/lib/apt/lists/*', 'apt-get clean'] }],
      output: lines(FROM, 'RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*'),
      fixes: [
        { title: REMOVE, output: lines(FROM, 'RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*') },
        { title: MOUNT, output: lines(FROM, `RUN ${CACHE} apt-get update && apt-get install -y curl`) },
      ],
    },
    {
      code: lines(FROM, 'RUN apt update'),
      findings: [{ messageId: 'listsLeft', line: 2, column: 5, endLine: 2, endColumn: 15, messageIncludes: ['apt update'] }],
      output: lines(FROM, 'RUN apt update && rm -rf /var/lib/apt/lists/*'),
    },
    {
      name: 'apt-get clean alone does not remove the lists',
      code: lines(FROM, 'RUN apt-get update && apt-get install -y curl && apt-get clean'),
      findings: [{ messageId: 'listsLeft', line: 2, column: 23, endLine: 2, endColumn: 46 }],
      output: lines(FROM, 'RUN apt-get update && apt-get install -y curl && apt-get clean && rm -rf /var/lib/apt/lists/*'),
    },
    {
      name: 'a removal before the apt command does not count',
      code: lines(FROM, 'RUN rm -rf /var/lib/apt/lists/* && apt-get update && apt-get upgrade -y'),
      findings: [{ messageId: 'listsLeft', line: 2, column: 54, endLine: 2, endColumn: 72, messageIncludes: ['apt-get upgrade'] }],
      output: lines(FROM, 'RUN rm -rf /var/lib/apt/lists/* && apt-get update && apt-get upgrade -y && rm -rf /var/lib/apt/lists/*'),
    },
    {
      name: 'the last apt command not followed by a clean-up is reported',
      code: lines(FROM, 'RUN apt-get update && rm -rf /var/lib/apt/lists/* && apt-get dist-upgrade -y'),
      findings: [{ messageId: 'listsLeft', line: 2, column: 54, endLine: 2, endColumn: 77 }],
      output: lines(FROM, 'RUN apt-get update && rm -rf /var/lib/apt/lists/* && apt-get dist-upgrade -y && rm -rf /var/lib/apt/lists/*'),
    },
    {
      name: 'flags and valued options before the subcommand',
      code: lines(FROM, 'RUN apt-get -o Acquire::Retries=3 -qq update && apt-get -y install curl'),
      findings: [{ messageId: 'listsLeft', line: 2, column: 49, endLine: 2, endColumn: 72 }],
      output: lines(FROM, 'RUN apt-get -o Acquire::Retries=3 -qq update && apt-get -y install curl && rm -rf /var/lib/apt/lists/*'),
    },
    {
      name: 'sudo and an environment prefix',
      code: lines(FROM, 'RUN sudo apt-get update && DEBIAN_FRONTEND=noninteractive sudo apt-get install -y curl'),
      findings: [{ messageId: 'listsLeft', line: 2, column: 64, endLine: 2, endColumn: 87 }],
      output: lines(FROM, 'RUN sudo apt-get update && DEBIAN_FRONTEND=noninteractive sudo apt-get install -y curl && rm -rf /var/lib/apt/lists/*'),
    },
    {
      name: 'continuation lines give a range across lines; the removal goes at the very end',
      code: lines(FROM, 'RUN set -eux; \\', '    apt-get update; \\', '    apt-get install -y \\', '      curl \\', '      git; \\', '    apt-get clean'),
      findings: [{ messageId: 'listsLeft', line: 4, column: 5, endLine: 6, endColumn: 10 }],
      output: lines(FROM, 'RUN set -eux; \\', '    apt-get update; \\', '    apt-get install -y \\', '      curl \\', '      git; \\', '    apt-get clean && rm -rf /var/lib/apt/lists/*'),
    },
    {
      name: 'an || chain: the last install is reported',
      code: lines(FROM, 'RUN apt-get update || true && apt-get install -y curl || apt-get install -y wget'),
      findings: [{ messageId: 'listsLeft', line: 2, column: 58, endLine: 2, endColumn: 81 }],
      output: lines(FROM, 'RUN apt-get update || true && apt-get install -y curl || apt-get install -y wget && rm -rf /var/lib/apt/lists/*'),
    },
    {
      name: 'bash -c script: the removal is appended after it',
      code: lines(FROM, `RUN bash -c 'apt-get update && apt-get install -y curl'`),
      findings: [{ messageId: 'listsLeft', line: 2, column: 32, endLine: 2, endColumn: 55 }],
      output: lines(FROM, `RUN bash -c 'apt-get update && apt-get install -y curl' && rm -rf /var/lib/apt/lists/*`),
    },
    {
      name: 'exec form without a shell: only the cache mount is offered',
      code: lines(FROM, 'RUN ["apt-get", "update"]'),
      findings: [{ messageId: 'listsLeft', line: 2, column: 7, endLine: 2, endColumn: 24 }],
      output: lines(FROM, `RUN ${CACHE} ["apt-get", "update"]`),
      fixes: [{ title: MOUNT, output: lines(FROM, `RUN ${CACHE} ["apt-get", "update"]`) }],
    },
    {
      name: 'exec form with sh -c',
      code: lines(FROM, 'RUN ["sh", "-c", "apt-get update && apt-get install -y curl"]'),
      findings: [{ messageId: 'listsLeft', line: 2, column: 37, endLine: 2, endColumn: 60 }],
      output: lines(FROM, 'RUN ["sh", "-c", "apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*"]'),
    },
    {
      name: 'heredoc script',
      code: lines(FROM, 'RUN <<EOF', 'set -eux', 'apt-get update', 'apt-get install -y curl', 'EOF'),
      findings: [{ messageId: 'listsLeft', line: 5, column: 1, endLine: 5, endColumn: 24 }],
      output: lines(FROM, 'RUN <<EOF', 'set -eux', 'apt-get update', 'apt-get install -y curl && rm -rf /var/lib/apt/lists/*', 'EOF'),
    },
    {
      name: 'a trailing comment makes appending unsound: only the cache mount is offered',
      code: lines(FROM, 'RUN apt-get update && apt-get install -y curl # note'),
      findings: [{ messageId: 'listsLeft', line: 2, column: 23, endLine: 2, endColumn: 46 }],
      output: lines(FROM, `RUN ${CACHE} apt-get update && apt-get install -y curl # note`),
      fixes: [{ title: MOUNT, output: lines(FROM, `RUN ${CACHE} apt-get update && apt-get install -y curl # note`) }],
    },
    {
      name: 'a trailing & makes appending unsound: only the cache mount is offered',
      code: lines(FROM, 'RUN apt-get update &'),
      findings: [{ messageId: 'listsLeft', line: 2, column: 5, endLine: 2, endColumn: 19 }],
      output: lines(FROM, `RUN ${CACHE} apt-get update &`),
    },
    {
      name: 'a script ending in exit: only the cache mount is offered',
      code: lines(FROM, 'RUN apt-get update; exit 0'),
      findings: [{ messageId: 'listsLeft', line: 2, column: 5, endLine: 2, endColumn: 19 }],
      output: lines(FROM, `RUN ${CACHE} apt-get update; exit 0`),
    },
    {
      name: 'an unterminated quote would swallow the removal: only the cache mount is offered',
      code: lines(FROM, 'RUN apt-get update && echo "done'),
      findings: [{ messageId: 'listsLeft', line: 2, column: 5, endLine: 2, endColumn: 19 }],
      output: lines(FROM, `RUN ${CACHE} apt-get update && echo "done`),
    },
    {
      name: 'a trailing ; keeps the removal before it',
      code: lines(FROM, 'RUN apt-get update;'),
      findings: [{ messageId: 'listsLeft', line: 2, column: 5, endLine: 2, endColumn: 19 }],
      output: lines(FROM, 'RUN apt-get update && rm -rf /var/lib/apt/lists/*;'),
    },
    {
      name: 'a cache mount on /var/cache/apt does not cover the lists',
      code: lines(FROM, 'RUN --mount=type=cache,target=/var/cache/apt apt-get update'),
      findings: [{ messageId: 'listsLeft', line: 2, column: 46, endLine: 2, endColumn: 60 }],
      output: lines(FROM, 'RUN --mount=type=cache,target=/var/cache/apt apt-get update && rm -rf /var/lib/apt/lists/*'),
      fixes: [
        { title: REMOVE, output: lines(FROM, 'RUN --mount=type=cache,target=/var/cache/apt apt-get update && rm -rf /var/lib/apt/lists/*') },
        { title: MOUNT, output: lines(FROM, `RUN ${CACHE} --mount=type=cache,target=/var/cache/apt apt-get update`) },
      ],
    },
    {
      name: 'one finding per RUN',
      code: lines(FROM, 'RUN apt-get update', 'RUN apt-get install -y curl'),
      findings: [
        { messageId: 'listsLeft', line: 2, column: 5, endLine: 2, endColumn: 19 },
        { messageId: 'listsLeft', line: 3, column: 5, endLine: 3, endColumn: 28 },
      ],
      output: lines(FROM, 'RUN apt-get update && rm -rf /var/lib/apt/lists/*', 'RUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*'),
    },
    {
      name: 'a Windows file with the backtick escape',
      code: lines('# escape=`', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'RUN apt-get update && `', '    apt-get install -y curl'),
      findings: [{ messageId: 'listsLeft', line: 4, column: 5, endLine: 4, endColumn: 28 }],
      output: lines('# escape=`', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'RUN apt-get update && `', '    apt-get install -y curl && rm -rf /var/lib/apt/lists/*'),
    },
  ],
});
