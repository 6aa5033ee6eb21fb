import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../server/src/rules/removed-in-later-layer';
import { lint } from '../../server/src/engine/lint';
import { ruleTester, lines } from '../helpers/rule-tester';
import { fakeContext } from '../helpers/context';

const twoStages = lines(
  'FROM debian:12 AS base',
  'COPY app.tar.gz /tmp/',
  'RUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz',
  'FROM debian:12 AS prod',
  'COPY --from=base /opt /opt',
);

ruleTester.run(rule, {
  valid: [
    {
      name: 'quiet when the add and the rm share a RUN',
      code: lines('FROM debian:12', 'RUN curl -fsSL -o /tmp/x.tgz https://example.com/x.tgz && tar -xzf /tmp/x.tgz -C /opt && rm /tmp/x.tgz'),
    },
    {
      name: 'quiet in a build-only stage',
      code: lines('FROM alpine:3.20 AS build', 'COPY app.tgz /tmp/', 'RUN rm /tmp/app.tgz', 'FROM alpine:3.20', 'COPY --from=build /opt /opt'),
    },
    { name: 'quiet in a stage the target leaves out of the image', code: twoStages, target: 'prod' },
    { name: 'quiet for a variable path', code: lines('FROM debian:12', 'COPY app.tgz /tmp/', 'RUN rm /tmp/$NAME') },
    { name: 'quiet for a glob other than a trailing /*', code: lines('FROM debian:12', 'COPY app.tgz /tmp/', 'RUN rm /tmp/*.tgz') },
    { name: 'quiet for a quoted star', code: lines('FROM debian:12', 'COPY app.tgz /tmp/', 'RUN rm -rf "/tmp/*"') },
    { name: 'quiet for an unrelated path', code: lines('FROM debian:12', 'COPY app.tgz /tmp/', 'RUN rm -rf /var/lib/apt/lists/*') },
    { name: 'quiet when the rm comes before the add', code: lines('FROM debian:12', 'RUN rm -rf /tmp/x', 'COPY x /tmp/x') },
    {
      name: 'quiet when WORKDIR moved between the COPY and a relative rm',
      code: lines('FROM debian:12', 'WORKDIR /a', 'COPY x.tgz .', 'WORKDIR /b', 'RUN rm x.tgz'),
    },
    {
      name: 'quiet for a relative path in the base image WORKDIR against an absolute rm',
      code: lines('FROM debian:12', 'COPY x.tgz ./', 'RUN rm /x.tgz'),
    },
    { name: 'quiet for an empty folder made by mkdir', code: lines('FROM debian:12', 'RUN mkdir -p /build', 'RUN rm -rf /build') },
    {
      name: 'quiet when the deleting RUN fills the mkdir folder itself',
      code: lines('FROM debian:12', 'RUN mkdir /build', 'WORKDIR /build', 'RUN cmake /src && make && rm -rf /build'),
    },
    {
      name: 'quiet when an apt install in the same RUN may have filled the folder',
      code: lines('FROM debian:12', 'RUN mkdir -p /var/www/html && cd /var/www/html && touch index.html', 'RUN apt-get install -y apache2 && rm -rf /var/www/html/*'),
    },
    {
      name: 'quiet when the file was already deleted in its own RUN',
      code: lines('FROM debian:12', 'RUN curl -o /tmp/x.tgz https://example.com/x.tgz && rm /tmp/x.tgz', 'RUN rm -rf /tmp/*'),
    },
    {
      name: 'quiet when the file was moved away before the rm',
      code: lines('FROM debian:12', 'COPY x.tgz /tmp/', 'RUN mv /tmp/x.tgz /opt/x.tgz', 'RUN rm -f /tmp/x.tgz'),
    },
    { name: 'quiet for curl to stdout', code: lines('FROM debian:12', 'RUN curl -fsSL -o - https://example.com/x.tgz | tar -xz -C /opt', 'RUN rm -f /tmp/x.tgz') },
    {
      name: 'Windows files do not crash',
      code: lines('# escape=`', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'COPY app.zip C:/temp/', 'RUN powershell -Command Remove-Item C:\\temp\\app.zip; `', '    Remove-Item -Recurse C:\\temp'),
    },
  ],
  invalid: [
    {
      name: 'a COPY deleted by a later RUN, bind mount offered',
      code: lines('FROM debian:12', 'COPY app.tar.gz /tmp/', 'RUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz'),
      findings: [{ messageId: 'removedLater', line: 3, column: 44, endLine: 3, endColumn: 59, related: 1, messageIncludes: ['/tmp/app.tar.gz', 'copied', 'line 2', 'frees nothing'] }],
      output: lines('FROM debian:12', 'RUN --mount=type=bind,source=app.tar.gz,target=/tmp/app.tar.gz tar -xzf /tmp/app.tar.gz -C /opt'),
      fixes: [
        {
          title: 'Bind-mount app.tar.gz in this RUN instead of copying it',
          output: lines('FROM debian:12', 'RUN --mount=type=bind,source=app.tar.gz,target=/tmp/app.tar.gz tar -xzf /tmp/app.tar.gz -C /opt'),
        },
      ],
    },
    {
      name: 'a COPY renamed on the way, mounted under its new name',
      code: lines('FROM debian:12', 'COPY dist/app-1.4.2.tar.gz /tmp/app.tar.gz', 'RUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz'),
      findings: [{ messageId: 'removedLater', line: 3, column: 44, endLine: 3, endColumn: 59, related: 1 }],
      output: lines('FROM debian:12', 'RUN --mount=type=bind,source=dist/app-1.4.2.tar.gz,target=/tmp/app.tar.gz tar -xzf /tmp/app.tar.gz -C /opt'),
    },
    {
      name: 'no bind mount over a folder: deleting /tmp after COPY x /tmp',
      code: lines('FROM debian:12', 'COPY app.tgz /tmp', 'RUN tar -xzf /tmp/app.tgz -C /opt && rm -rf /tmp'),
      findings: [{ messageId: 'removedLater', line: 3, column: 45, endLine: 3, endColumn: 49, related: 1 }],
      output: null,
    },
    {
      name: 'no bind mount when the RUN changes the file before deleting it',
      code: lines('FROM debian:12', 'COPY install.sh /tmp/install.sh', 'RUN chmod +x /tmp/install.sh && /tmp/install.sh && rm /tmp/install.sh'),
      findings: [{ messageId: 'removedLater', line: 3, column: 55, endLine: 3, endColumn: 70, related: 1 }],
      output: null,
    },
    {
      name: 'a COPY from another stage, mounted from that stage',
      code: lines('FROM debian:12 AS build', 'RUN make /out/pkg.deb', 'FROM debian:12', 'COPY --from=build /out/pkg.deb /tmp/pkg.deb', 'RUN dpkg -i /tmp/pkg.deb && rm /tmp/pkg.deb'),
      findings: [{ messageId: 'removedLater', line: 5, column: 32, endLine: 5, endColumn: 44, related: 1 }],
      output: lines('FROM debian:12 AS build', 'RUN make /out/pkg.deb', 'FROM debian:12', 'RUN --mount=type=bind,source=/out/pkg.deb,from=build,target=/tmp/pkg.deb dpkg -i /tmp/pkg.deb'),
    },
    {
      name: 'reported in the stage the target builds',
      code: twoStages,
      target: 'base',
      findings: [{ messageId: 'removedLater', line: 3, column: 44, endLine: 3, endColumn: 59, related: 1 }],
      output: lines(
        'FROM debian:12 AS base',
        'RUN --mount=type=bind,source=app.tar.gz,target=/tmp/app.tar.gz tar -xzf /tmp/app.tar.gz -C /opt',
        'FROM debian:12 AS prod',
        'COPY --from=base /opt /opt',
      ),
    },
    {
      name: 'curl -o then rm in a later RUN: the rm moves with its connector',
      code: lines(
        'FROM debian:12',
        'RUN curl -fsSL -o /tmp/node.tar.xz https://nodejs.org/dist/v20.0.0/node-v20.0.0-linux-x64.tar.xz && tar -xJf /tmp/node.tar.xz -C /usr/local',
        'RUN echo done && \\',
        '    rm -f /tmp/node.tar.xz',
      ),
      findings: [{ messageId: 'removedLater', line: 4, column: 11, endLine: 4, endColumn: 27, related: 1, messageIncludes: ['downloaded', 'line 2'] }],
      output: lines(
        'FROM debian:12',
        'RUN curl -fsSL -o /tmp/node.tar.xz https://nodejs.org/dist/v20.0.0/node-v20.0.0-linux-x64.tar.xz && tar -xJf /tmp/node.tar.xz -C /usr/local && rm -rf /tmp/node.tar.xz',
        'RUN echo done',
      ),
      fixes: [
        {
          title: 'Delete /tmp/node.tar.xz in the RUN on line 2 instead',
          output: lines(
            'FROM debian:12',
            'RUN curl -fsSL -o /tmp/node.tar.xz https://nodejs.org/dist/v20.0.0/node-v20.0.0-linux-x64.tar.xz && tar -xJf /tmp/node.tar.xz -C /usr/local && rm -rf /tmp/node.tar.xz',
            'RUN echo done',
          ),
        },
      ],
    },
    {
      name: 'curl -O names the file after the URL in the WORKDIR; a RUN left empty is removed',
      code: lines('FROM debian:12', 'WORKDIR /src', 'RUN curl -fsSLO https://example.com/dl/tool-1.2.tar.gz && tar -xzf tool-1.2.tar.gz', 'RUN rm tool-1.2.tar.gz', 'CMD ["tool"]'),
      findings: [{ messageId: 'removedLater', line: 4, column: 8, endLine: 4, endColumn: 23, related: 1 }],
      output: lines('FROM debian:12', 'WORKDIR /src', 'RUN curl -fsSLO https://example.com/dl/tool-1.2.tar.gz && tar -xzf tool-1.2.tar.gz && rm -rf tool-1.2.tar.gz', 'CMD ["tool"]'),
    },
    {
      name: 'git clone then rm -rf, with a RUN in between that uses the clone: no fix',
      code: lines('FROM debian:12', 'WORKDIR /src', 'RUN git clone --depth 1 https://github.com/example/tool.git', 'RUN make -C tool install', 'RUN rm -rf tool'),
      findings: [{ messageId: 'removedLater', line: 5, column: 12, endLine: 5, endColumn: 16, related: 1, messageIncludes: ['cloned', 'line 3'] }],
      output: null,
    },
    {
      name: 'git clone into a folder, removed with another path: only that word moves',
      code: lines('FROM debian:12', 'RUN git clone https://github.com/example/tool.git /opt/tool && make -C /opt/tool install', 'RUN rm -rf /opt/tool /var/cache/foo'),
      findings: [{ messageId: 'removedLater', line: 3, column: 12, endLine: 3, endColumn: 21, related: 1 }],
      output: lines(
        'FROM debian:12',
        'RUN git clone https://github.com/example/tool.git /opt/tool && make -C /opt/tool install && rm -rf /opt/tool',
        'RUN rm -rf /var/cache/foo',
      ),
    },
    {
      name: 'wget after cd, removed by an exec-form RUN',
      code: lines('FROM alpine:3.20', 'RUN cd /tmp && wget -q https://example.com/x.tgz', 'RUN ["rm", "-f", "/tmp/x.tgz"]'),
      findings: [{ messageId: 'removedLater', line: 3, column: 19, endLine: 3, endColumn: 29, related: 1 }],
      output: lines('FROM alpine:3.20', 'RUN cd /tmp && wget -q https://example.com/x.tgz && rm -rf /tmp/x.tgz'),
    },
    {
      name: 'no fix when the adding RUN is exec form without a shell',
      code: lines('FROM alpine:3.20', 'RUN ["wget", "-O", "/tmp/x.tgz", "https://example.com/x.tgz"]', 'RUN rm /tmp/x.tgz'),
      findings: [{ messageId: 'removedLater', line: 3, column: 8, endLine: 3, endColumn: 18, related: 1 }],
      output: null,
    },
    {
      name: 'no fix when the adding RUN ends with exit (an appended rm would never run)',
      code: lines('FROM alpine:3.20', 'RUN wget -q -O /tmp/x.tgz https://example.com/x.tgz && exit 0', 'RUN rm /tmp/x.tgz'),
      findings: [{ messageId: 'removedLater', line: 3, column: 8, endLine: 3, endColumn: 18, related: 1 }],
      output: null,
    },
    {
      name: 'a relative COPY under WORKDIR, unzipped and deleted later',
      code: lines('FROM debian:12', 'WORKDIR /app', 'COPY data.zip .', 'RUN unzip data.zip -d /srv && rm data.zip'),
      findings: [{ messageId: 'removedLater', line: 4, column: 34, endLine: 4, endColumn: 42, related: 1 }],
      output: lines('FROM debian:12', 'WORKDIR /app', 'RUN --mount=type=bind,source=data.zip,target=/app/data.zip unzip data.zip -d /srv'),
    },
    {
      name: 'deleting the folder a COPY went into',
      code: lines('FROM debian:12', 'COPY app.tgz /tmp/build/', 'RUN tar -xzf /tmp/build/app.tgz -C /opt && rm -rf /tmp/build'),
      findings: [{ messageId: 'removedLater', line: 3, column: 51, endLine: 3, endColumn: 61, related: 1 }],
      output: null,
    },
    {
      name: 'deleting the entries of the folder with /*',
      code: lines('FROM debian:12', 'COPY app.tgz /tmp/', 'RUN rm -rf /tmp/*'),
      findings: [{ messageId: 'removedLater', line: 3, column: 12, endLine: 3, endColumn: 18, related: 1 }],
      output: null,
    },
    {
      name: 'a folder made by mkdir and filled in later layers',
      code: lines('FROM debian:12', 'RUN mkdir /build', 'WORKDIR /build', 'RUN cmake /src && make install', 'WORKDIR /', 'RUN rm -rf /build'),
      findings: [{ messageId: 'removedLater', line: 6, column: 12, endLine: 6, endColumn: 18, related: 1, messageIncludes: ['created and filled'] }],
      output: null,
    },
    {
      name: 'a folder made and filled in one RUN, deleted in the next',
      code: lines('FROM debian:12', 'RUN mkdir -p /build && cd /build && cmake /src && make install', 'RUN rm -rf /build'),
      findings: [{ messageId: 'removedLater', line: 3, column: 12, endLine: 3, endColumn: 18, related: 1 }],
      output: lines('FROM debian:12', 'RUN mkdir -p /build && cd /build && cmake /src && make install && rm -rf /build'),
    },
    {
      name: 'two COPYs into the deleted folder',
      code: lines('FROM debian:12', 'COPY a.tgz /tmp/stuff/', 'COPY b.tgz /tmp/stuff/', 'RUN rm -rf /tmp/stuff'),
      findings: [{ messageId: 'removedLater', line: 4, column: 12, endLine: 4, endColumn: 22, related: 2, messageIncludes: ['lines 2 and 3'] }],
      output: null,
    },
    {
      name: 'no move when the deleting heredoc RUN reads the file first',
      code: lines('FROM debian:12', 'RUN curl -fsSL -o /tmp/x.deb https://example.com/x.deb', 'RUN <<EOF', 'dpkg -i /tmp/x.deb', 'rm /tmp/x.deb', 'EOF'),
      findings: [{ messageId: 'removedLater', line: 5, column: 4, endLine: 5, endColumn: 14, related: 1 }],
      output: null,
    },
    {
      name: 'a heredoc rm after other commands is removed with its newline',
      code: lines('FROM debian:12', 'RUN curl -fsSL -o /tmp/x.deb https://example.com/x.deb && dpkg -i /tmp/x.deb', 'RUN <<EOF', 'echo start', 'rm /tmp/x.deb', 'EOF'),
      findings: [{ messageId: 'removedLater', line: 5, column: 4, endLine: 5, endColumn: 14, related: 1 }],
      output: lines('FROM debian:12', 'RUN curl -fsSL -o /tmp/x.deb https://example.com/x.deb && dpkg -i /tmp/x.deb && rm -rf /tmp/x.deb', 'RUN <<EOF', 'echo start', 'EOF'),
    },
    {
      name: 'an rm between && and ; keeps the ;',
      code: lines('FROM debian:12', 'RUN curl -o /tmp/x.tgz https://example.com/x.tgz', 'RUN echo start && rm -f /tmp/x.tgz; echo end'),
      findings: [{ messageId: 'removedLater', line: 3, column: 25, endLine: 3, endColumn: 35, related: 1 }],
      output: lines('FROM debian:12', 'RUN curl -o /tmp/x.tgz https://example.com/x.tgz && rm -rf /tmp/x.tgz', 'RUN echo start; echo end'),
    },
    {
      name: 'an rm inside sh -c',
      code: lines('FROM debian:12', 'RUN curl -o /tmp/x.tgz https://example.com/x.tgz', 'RUN sh -c "rm -f /tmp/x.tgz && echo ok"'),
      findings: [{ messageId: 'removedLater', line: 3, column: 18, endLine: 3, endColumn: 28, related: 1 }],
      output: lines('FROM debian:12', 'RUN curl -o /tmp/x.tgz https://example.com/x.tgz && rm -rf /tmp/x.tgz', 'RUN sh -c "echo ok"'),
    },
    {
      name: 'added in the stage this one is built FROM: reported, not moved',
      code: lines('FROM debian:12 AS base', 'RUN curl -o /tmp/x.tgz https://example.com/x.tgz', 'FROM base', 'RUN rm /tmp/x.tgz'),
      findings: [{ messageId: 'removedLater', line: 4, column: 8, endLine: 4, endColumn: 18, related: 1 }],
      output: null,
    },
    {
      name: 'entries of a folder an archive was unpacked into',
      code: lines('FROM debian:12', 'RUN curl -fsSL https://example.com/app.tgz | tar -xz -C /opt/app', 'RUN rm -rf /opt/app/*'),
      findings: [{ messageId: 'removedLater', line: 3, column: 12, endLine: 3, endColumn: 22, related: 1, messageIncludes: ['unpacked'] }],
      output: null,
    },
    {
      name: 'the folder an archive usually unpacks to, in the WORKDIR',
      code: lines('FROM debian:12', 'WORKDIR /usr/src', 'COPY libfoo-1.2.tar.gz .', 'RUN tar -xzf libfoo-1.2.tar.gz && cd libfoo-1.2 && ./configure && make install', 'RUN rm -rf libfoo-1.2 libfoo-1.2.tar.gz'),
      findings: [
        { messageId: 'removedLater', line: 5, column: 12, endLine: 5, endColumn: 22, related: 1, messageIncludes: ['unpacked', 'line 4'] },
        { messageId: 'removedLater', line: 5, column: 23, endLine: 5, endColumn: 40, related: 1, messageIncludes: ['copied', 'line 3'] },
      ],
      output: lines(
        'FROM debian:12',
        'WORKDIR /usr/src',
        'COPY libfoo-1.2.tar.gz .',
        'RUN tar -xzf libfoo-1.2.tar.gz && cd libfoo-1.2 && ./configure && make install && rm -rf /usr/src/libfoo-1.2',
        'RUN rm -rf libfoo-1.2.tar.gz',
      ),
    },
    {
      name: 'no fix when a comment line sits between the connector and the rm',
      code: lines('FROM debian:12', 'RUN curl -o /tmp/x.tgz https://example.com/x.tgz', 'RUN echo a && \\', '# clean up', '    rm -f /tmp/x.tgz'),
      findings: [{ messageId: 'removedLater', line: 5, column: 11, endLine: 5, endColumn: 21, related: 1 }],
      output: null,
    },
    {
      name: 'no fix when the rm is followed by ||',
      code: lines('FROM debian:12', 'RUN curl -o /tmp/x.tgz https://example.com/x.tgz', 'RUN rm -f /tmp/x.tgz 2>/dev/null || true'),
      findings: [{ messageId: 'removedLater', line: 3, column: 11, endLine: 3, endColumn: 21, related: 1 }],
      output: null,
    },
    {
      name: 'no fix when a redirection sits before the rm word',
      code: lines('FROM debian:12', 'RUN curl -o /tmp/x.tgz https://example.com/x.tgz', 'RUN rm -f 2>/dev/null /tmp/x.tgz /tmp/y.tgz'),
      findings: [{ messageId: 'removedLater', line: 3, column: 23, endLine: 3, endColumn: 33, related: 1 }],
      output: null,
    },
    {
      name: 'CRLF line endings: an emptied RUN goes with its CRLF',
      code: 'FROM debian:12\r\nRUN curl -o /tmp/x.tgz https://example.com/x.tgz && tar -xzf /tmp/x.tgz -C /opt\r\nRUN rm /tmp/x.tgz\r\nCMD ["bash"]\r\n',
      findings: [{ messageId: 'removedLater', line: 3, column: 8, endLine: 3, endColumn: 18, related: 1 }],
      output: 'FROM debian:12\r\nRUN curl -o /tmp/x.tgz https://example.com/x.tgz && tar -xzf /tmp/x.tgz -C /opt && rm -rf /tmp/x.tgz\r\nCMD ["bash"]\r\n',
    },
    {
      name: 'the last instruction without a final line break',
      code: 'FROM debian:12\nRUN curl -o /tmp/x.tgz https://example.com/x.tgz\nRUN rm /tmp/x.tgz',
      findings: [{ messageId: 'removedLater', line: 3, column: 8, endLine: 3, endColumn: 18, related: 1 }],
      output: 'FROM debian:12\nRUN curl -o /tmp/x.tgz https://example.com/x.tgz && rm -rf /tmp/x.tgz\n',
    },
    {
      name: 'cp into a folder, deleted later with the folder',
      code: lines('FROM debian:12', 'RUN cp /etc/os-release /opt/cache/', 'RUN rm -rf /opt/cache/os-release'),
      findings: [{ messageId: 'removedLater', line: 3, column: 12, endLine: 3, endColumn: 33, related: 1, messageIncludes: ['copied'] }],
      output: lines('FROM debian:12', 'RUN cp /etc/os-release /opt/cache/ && rm -rf /opt/cache/os-release'),
    },
  ],
});

describe('removed-in-later-layer with a measured build context', () => {
  it('quotes the size of what the COPY brought in', () => {
    const code = lines('FROM debian:12', 'COPY app.tar.gz /tmp/', 'RUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz');
    const result = lint(code, {}, [rule], fakeContext({ 'app.tar.gz': 84_000_000, 'README.md': 2_000 }));
    assert.equal(result.findings.length, 1);
    assert.match(result.findings[0].message, /keeps it in the image \(84 MB\)\./);
  });

  it('quotes no size for a download it cannot measure', () => {
    const code = lines('FROM debian:12', 'RUN curl -o /tmp/x.tgz https://example.com/x.tgz', 'RUN rm /tmp/x.tgz');
    const result = lint(code, {}, [rule], fakeContext({ 'x.tgz': 1_000 }));
    assert.equal(result.findings.length, 1);
    assert.match(result.findings[0].message, /keeps it in the image\. /);
  });
});
