import rule from '../../server/src/rules/apt-no-install-recommends';
import { ruleTester, lines } from '../helpers/rule-tester';

const FROM = 'FROM debian:12-slim';
const FIX = 'Add --no-install-recommends';

ruleTester.run(rule, {
  valid: [
    lines(FROM, 'RUN apt-get install -y --no-install-recommends curl'),
    { name: 'the flag before the subcommand counts', code: lines(FROM, 'RUN apt-get -y --no-install-recommends install curl') },
    { name: 'quiet with -o APT::Install-Recommends=false', code: lines(FROM, 'RUN apt-get install -y -o APT::Install-Recommends=false curl') },
    { name: 'quiet with -oAPT::Install-Recommends=0 before the subcommand', code: lines(FROM, 'RUN apt-get -oAPT::Install-Recommends=0 install -y curl') },
    { name: 'quiet with --option=APT::Install-Recommends=false', code: lines(FROM, 'RUN apt-get --option=APT::Install-Recommends=false install -y curl') },
    { name: 'an explicit --install-recommends is a deliberate choice', code: lines(FROM, 'RUN apt-get install -y --install-recommends curl') },
    { name: 'an explicit -o APT::Install-Recommends=true is a deliberate choice', code: lines(FROM, 'RUN apt install -y -o APT::Install-Recommends=true curl') },
    lines(FROM, 'RUN sudo DEBIAN_FRONTEND=noninteractive apt-get -qq -o Dpkg::Use-Pty=0 install -y --no-install-recommends curl'),
    { name: '-t takes a value: the subcommand is still found', code: lines(FROM, 'RUN apt-get -t bookworm-backports install --no-install-recommends -y curl') },
    lines(FROM, 'RUN apt-get update && apt-get upgrade -y && apt-get remove -y curl'),
    { name: 'an echoed command is not run', code: lines(FROM, 'RUN echo "apt-get install curl"') },
    { name: 'a commented-out instruction is not read', code: lines(FROM, '# RUN apt-get install curl') },
    { name: 'a shell comment is not read', code: lines(FROM, 'RUN true # apt-get install curl') },
    { name: 'other commands that start with apt-get are not apt-get', code: lines(FROM, 'RUN apt-get-foo install curl && apt-getter install curl && apt-cache show install') },
    { name: 'aptitude is out of scope', code: lines(FROM, 'RUN aptitude install -y curl') },
    {
      name: 'quiet when the same RUN writes the apt.conf setting first',
      code: lines(FROM, `RUN echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/99no-recommends && apt-get install -y curl`),
    },
    {
      name: 'quiet when an earlier RUN of the stage writes the apt.conf setting',
      code: lines(
        FROM,
        'RUN echo "APT::Install-Recommends \\"0\\";" > /etc/apt/apt.conf.d/99no-recommends \\',
        '    && echo "APT::Install-Suggests \\"0\\";" >> /etc/apt/apt.conf.d/99no-recommends',
        'RUN apt-get update && apt-get install -y curl',
      ),
    },
    {
      name: 'quiet when the stage is built from a stage that wrote the setting',
      code: lines(
        `${FROM} AS base`,
        `RUN printf 'APT::Install-Recommends "false";\\n' > /etc/apt/apt.conf.d/99no-recommends`,
        'FROM base',
        'RUN apt-get install -y curl',
      ),
    },
    {
      name: 'quiet when a COPY heredoc writes the setting',
      code: lines(FROM, 'COPY <<EOF /etc/apt/apt.conf.d/99no-recommends', 'APT::Install-Recommends "false";', 'EOF', 'RUN apt-get install -y curl'),
    },
    lines(FROM, 'RUN ["apt-get", "install", "--no-install-recommends", "-y", "curl"]'),
    lines(FROM, 'RUN ["/bin/sh", "-c", "apt-get install --no-install-recommends -y curl"]'),
    lines(FROM, 'RUN <<EOF', 'set -eux', 'apt-get install -y --no-install-recommends curl', 'EOF'),
    lines('# escape=`', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'RUN apt-get install -y `', '    --no-install-recommends curl'),
  ],
  invalid: [
    {
      code: lines(FROM, 'RUN apt-get install -y curl'),
      findings: [{ messageId: 'missingFlag', line: 2, column: 5, endLine: 2, endColumn: 28, messageIncludes: ['apt-get install', '+47 MB for curl', '--no-install-recommends'] }],
      output: lines(FROM, 'RUN apt-get install --no-install-recommends -y curl'),
      fixes: [{ title: FIX, output: lines(FROM, 'RUN apt-get install --no-install-recommends -y curl') }],
    },
    {
      code: lines(FROM, 'RUN apt install curl'),
      findings: [{ messageId: 'missingFlag', line: 2, column: 5, endLine: 2, endColumn: 21, messageIncludes: ['apt install'] }],
      output: lines(FROM, 'RUN apt install --no-install-recommends curl'),
    },
    {
      name: 'flags before the subcommand',
      code: lines(FROM, 'RUN apt-get -y install curl'),
      findings: [{ messageId: 'missingFlag', line: 2, column: 5, endLine: 2, endColumn: 28 }],
      output: lines(FROM, 'RUN apt-get -y install --no-install-recommends curl'),
    },
    {
      name: 'options with values before the subcommand',
      code: lines(FROM, 'RUN apt-get -o Dpkg::Options::=--force-confold -t bookworm-backports -qq install -y curl'),
      findings: [{ messageId: 'missingFlag', line: 2, column: 5, endLine: 2, endColumn: 89 }],
      output: lines(FROM, 'RUN apt-get -o Dpkg::Options::=--force-confold -t bookworm-backports -qq install --no-install-recommends -y curl'),
    },
    {
      name: 'another -o setting does not count',
      code: lines(FROM, 'RUN apt-get -oAPT::Install-Suggests=false install -y curl'),
      findings: [{ messageId: 'missingFlag', line: 2, column: 5, endLine: 2, endColumn: 58 }],
      output: lines(FROM, 'RUN apt-get -oAPT::Install-Suggests=false install --no-install-recommends -y curl'),
    },
    {
      name: 'sudo and an environment prefix',
      code: lines(FROM, 'RUN sudo DEBIAN_FRONTEND=noninteractive apt-get install -y curl'),
      findings: [{ messageId: 'missingFlag', line: 2, column: 41, endLine: 2, endColumn: 64 }],
      output: lines(FROM, 'RUN sudo DEBIAN_FRONTEND=noninteractive apt-get install --no-install-recommends -y curl'),
    },
    {
      name: 'continuation lines give a range across lines',
      code: lines(FROM, 'RUN set -eux; \\', '    apt-get update; \\', '    apt-get install -y \\', '      curl \\', '      git'),
      findings: [{ messageId: 'missingFlag', line: 4, column: 5, endLine: 6, endColumn: 10 }],
      output: lines(FROM, 'RUN set -eux; \\', '    apt-get update; \\', '    apt-get install --no-install-recommends -y \\', '      curl \\', '      git'),
    },
    {
      name: 'each install of an || chain',
      code: lines(FROM, 'RUN apt-get install -y curl || apt-get install -y wget'),
      findings: [
        { messageId: 'missingFlag', line: 2, column: 5, endLine: 2, endColumn: 28 },
        { messageId: 'missingFlag', line: 2, column: 32, endLine: 2, endColumn: 55 },
      ],
      output: lines(FROM, 'RUN apt-get install --no-install-recommends -y curl || apt-get install --no-install-recommends -y wget'),
    },
    {
      name: 'bash -c script',
      code: lines(FROM, `RUN bash -c 'apt-get update && apt-get install -y curl'`),
      findings: [{ messageId: 'missingFlag', line: 2, column: 32, endLine: 2, endColumn: 55 }],
      output: lines(FROM, `RUN bash -c 'apt-get update && apt-get install --no-install-recommends -y curl'`),
    },
    {
      name: 'exec form without a shell',
      code: lines(FROM, 'RUN ["apt-get", "install", "-y", "curl"]'),
      findings: [{ messageId: 'missingFlag', line: 2, column: 7, endLine: 2, endColumn: 39 }],
      output: lines(FROM, 'RUN ["apt-get", "install", "--no-install-recommends", "-y", "curl"]'),
    },
    {
      name: 'exec form with sh -c',
      code: lines(FROM, 'RUN ["sh", "-c", "apt-get update && apt-get install -y curl"]'),
      findings: [{ messageId: 'missingFlag', line: 2, column: 37, endLine: 2, endColumn: 60 }],
      output: lines(FROM, 'RUN ["sh", "-c", "apt-get update && apt-get install --no-install-recommends -y curl"]'),
    },
    {
      name: 'heredoc script',
      code: lines(FROM, 'RUN <<EOF', 'set -eux', 'apt-get update', 'apt-get install -y curl', 'EOF'),
      findings: [{ messageId: 'missingFlag', line: 5, column: 1, endLine: 5, endColumn: 24 }],
      output: lines(FROM, 'RUN <<EOF', 'set -eux', 'apt-get update', 'apt-get install --no-install-recommends -y curl', 'EOF'),
    },
    {
      name: 'a trailing comment does not hinder the fix',
      code: lines(FROM, 'RUN apt-get update && apt-get install -y curl # tools'),
      findings: [{ messageId: 'missingFlag', line: 2, column: 23, endLine: 2, endColumn: 46 }],
      output: lines(FROM, 'RUN apt-get update && apt-get install --no-install-recommends -y curl # tools'),
    },
    {
      name: 'the apt.conf setting written after the install does not count',
      code: lines(FROM, `RUN apt-get install -y curl && echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/99no-recommends`),
      findings: [{ messageId: 'missingFlag', line: 2, column: 5, endLine: 2, endColumn: 28 }],
      output: lines(FROM, `RUN apt-get install --no-install-recommends -y curl && echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/99no-recommends`),
    },
    {
      name: 'a setting only echoed to the build log does not count',
      code: lines(FROM, `RUN echo 'APT::Install-Recommends "false";'`, 'RUN apt-get install -y curl'),
      findings: [{ messageId: 'missingFlag', line: 3, column: 5, endLine: 3, endColumn: 28 }],
      output: lines(FROM, `RUN echo 'APT::Install-Recommends "false";'`, 'RUN apt-get install --no-install-recommends -y curl'),
    },
    {
      name: 'a setting written in an unrelated stage does not count',
      code: lines(
        `${FROM} AS other`,
        `RUN echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/99no-recommends`,
        FROM,
        'RUN apt-get install -y curl',
      ),
      findings: [{ messageId: 'missingFlag', line: 4, column: 5, endLine: 4, endColumn: 28 }],
      output: lines(
        `${FROM} AS other`,
        `RUN echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/99no-recommends`,
        FROM,
        'RUN apt-get install --no-install-recommends -y curl',
      ),
    },
    {
      name: 'a Windows file with the backtick escape',
      code: lines('# escape=`', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'RUN apt-get update && `', '    apt-get install -y curl'),
      findings: [{ messageId: 'missingFlag', line: 4, column: 5, endLine: 4, endColumn: 28 }],
      output: lines('# escape=`', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'RUN apt-get update && `', '    apt-get install --no-install-recommends -y curl'),
    },
  ],
});
