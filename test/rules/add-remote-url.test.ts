import rule from '../../server/src/rules/add-remote-url';
import { ruleTester, lines } from '../helpers/rule-tester';

const twoStages = lines(
  'FROM alpine:3.20 AS fetch',
  'ADD https://example.com/app.zip /tmp/app.zip',
  'RUN unzip /tmp/app.zip -d /opt/app',
  'FROM alpine:3.20 AS run',
  'COPY --from=fetch /opt/app /opt/app',
);

ruleTester.run(rule, {
  valid: [
    { name: 'quiet for a local file', code: lines('FROM alpine:3.20', 'ADD app.tar.gz /opt/') },
    { name: 'quiet for a Git repository', code: lines('FROM alpine:3.20', 'ADD https://github.com/moby/buildkit.git#v0.14.1 /src') },
    { name: 'quiet for a Git repository over SSH', code: lines('FROM alpine:3.20', 'ADD git@github.com:moby/buildkit.git /src') },
    { name: 'quiet for ADD --unpack=true', code: lines('FROM alpine:3.20', 'ADD --unpack=true https://example.com/app.tar.gz /opt/app') },
    { name: 'quiet in a build-only stage', code: lines('FROM alpine:3.20 AS fetch', 'ADD https://example.com/tool /tool', 'FROM alpine:3.20', 'COPY --from=fetch /tool /tool') },
    { name: 'quiet in a stage the target leaves out of the image', code: twoStages, target: 'run' },
    { name: 'quiet for COPY', code: lines('FROM alpine:3.20', 'COPY tool /usr/local/bin/tool') },
    {
      name: 'Windows files do not crash',
      code: lines('# escape=`', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'COPY app.zip C:/temp/', 'RUN powershell Expand-Archive C:\\temp\\app.zip C:\\app'),
    },
  ],
  invalid: [
    {
      name: 'an archive from a URL unpacked and deleted by a later RUN, curl installed earlier',
      code: lines(
        'FROM debian:12-slim',
        'RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*',
        'ADD https://example.com/releases/tool-1.2.tar.gz /tmp/',
        'RUN tar -xzf /tmp/tool-1.2.tar.gz -C /opt && rm /tmp/tool-1.2.tar.gz',
      ),
      findings: [{ messageId: 'unpacked', line: 3, column: 5, endLine: 3, endColumn: 49, related: 1, messageIncludes: ['tool-1.2.tar.gz', 'line 4', 'and deletes it'] }],
      output: lines(
        'FROM debian:12-slim',
        'RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*',
        'RUN curl -fsSL -o /tmp/tool-1.2.tar.gz "https://example.com/releases/tool-1.2.tar.gz" && tar -xzf /tmp/tool-1.2.tar.gz -C /opt && rm /tmp/tool-1.2.tar.gz',
      ),
      fixes: [
        {
          title: 'Download tool-1.2.tar.gz with curl in the RUN that unpacks it',
          output: lines(
            'FROM debian:12-slim',
            'RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*',
            'RUN curl -fsSL -o /tmp/tool-1.2.tar.gz "https://example.com/releases/tool-1.2.tar.gz" && tar -xzf /tmp/tool-1.2.tar.gz -C /opt && rm /tmp/tool-1.2.tar.gz',
          ),
        },
      ],
    },
    {
      name: 'alpine has busybox wget; the delete is added when the RUN does not delete it',
      code: lines('FROM alpine:3.20', 'ADD https://example.com/app.zip /tmp/app.zip', 'RUN unzip /tmp/app.zip -d /opt/app'),
      findings: [{ messageId: 'unpacked', line: 2, column: 5, endLine: 2, endColumn: 32, related: 1 }],
      output: lines('FROM alpine:3.20', 'RUN wget -q -O /tmp/app.zip "https://example.com/app.zip" && unzip /tmp/app.zip -d /opt/app && rm -f /tmp/app.zip'),
    },
    {
      name: 'reported in the stage the target builds',
      code: twoStages,
      target: 'fetch',
      findings: [{ messageId: 'unpacked', line: 2, column: 5, endLine: 2, endColumn: 32, related: 1 }],
      output: lines(
        'FROM alpine:3.20 AS fetch',
        'RUN wget -q -O /tmp/app.zip "https://example.com/app.zip" && unzip /tmp/app.zip -d /opt/app && rm -f /tmp/app.zip',
        'FROM alpine:3.20 AS run',
        'COPY --from=fetch /opt/app /opt/app',
      ),
    },
    {
      name: 'no delete is added when a later instruction still names the file',
      code: lines('FROM alpine:3.20', 'ADD https://example.com/app.zip /tmp/app.zip', 'RUN unzip /tmp/app.zip -d /opt/app', 'RUN sha256sum /tmp/app.zip'),
      findings: [{ messageId: 'unpacked', line: 2, column: 5, endLine: 2, endColumn: 32, related: 1 }],
      output: lines('FROM alpine:3.20', 'RUN wget -q -O /tmp/app.zip "https://example.com/app.zip" && unzip /tmp/app.zip -d /opt/app', 'RUN sha256sum /tmp/app.zip'),
    },
    {
      name: 'a binary made executable by a later RUN, on an image without curl or wget: no fix',
      code: lines('FROM debian:12-slim', 'ARG TINI_VERSION=v0.19.0', 'ADD https://github.com/krallin/tini/releases/download/${TINI_VERSION}/tini /tini', 'RUN chmod +x /tini', 'ENTRYPOINT ["/tini", "--"]'),
      findings: [{ messageId: 'changed', line: 3, column: 5, endLine: 3, endColumn: 75, related: 1, messageIncludes: ['stored twice', 'line 4'] }],
      output: null,
    },
    {
      name: 'a binary made executable by a later RUN, with curl in the image',
      code: lines('FROM python:3.12', 'ARG TINI_VERSION=v0.19.0', 'ADD https://github.com/krallin/tini/releases/download/${TINI_VERSION}/tini /usr/local/bin/tini', 'RUN chmod +x /usr/local/bin/tini'),
      findings: [{ messageId: 'changed', line: 3, column: 5, endLine: 3, endColumn: 75, related: 1 }],
      output: lines(
        'FROM python:3.12',
        'ARG TINI_VERSION=v0.19.0',
        'RUN curl -fsSL -o /usr/local/bin/tini "https://github.com/krallin/tini/releases/download/${TINI_VERSION}/tini" && chmod +x /usr/local/bin/tini',
      ),
    },
    {
      name: 'nothing uses the download: replaced by a RUN of its own',
      code: lines('FROM python:3.12', 'ADD https://example.com/data/model.bin /models/model.bin', 'CMD ["python", "serve.py"]'),
      findings: [{ messageId: 'plain', line: 2, column: 5, endLine: 2, endColumn: 39, messageIncludes: ['mode 600', '--checksum'] }],
      output: lines('FROM python:3.12', 'RUN curl -fsSL --create-dirs -o /models/model.bin "https://example.com/data/model.bin"', 'CMD ["python", "serve.py"]'),
      fixes: [
        {
          title: 'Download model.bin with curl in a RUN instead',
          output: lines('FROM python:3.12', 'RUN curl -fsSL --create-dirs -o /models/model.bin "https://example.com/data/model.bin"', 'CMD ["python", "serve.py"]'),
        },
      ],
    },
    {
      name: 'no fix when ADD has flags (the checksum would be lost)',
      code: lines('FROM alpine:3.20', 'ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/app.zip /tmp/app.zip', 'RUN unzip /tmp/app.zip -d /opt/app'),
      findings: [{ messageId: 'unpacked', line: 2, column: 88, endLine: 2, endColumn: 115, related: 1 }],
      output: null,
    },
    {
      name: 'no fix when the unpacking RUN is exec form without a shell',
      code: lines('FROM alpine:3.20', 'ADD https://example.com/x.tgz /tmp/x.tgz', 'RUN ["tar", "-xzf", "/tmp/x.tgz", "-C", "/opt"]'),
      findings: [{ messageId: 'unpacked', line: 2, column: 5, endLine: 2, endColumn: 30, related: 1 }],
      output: null,
    },
    {
      name: 'an unpacking RUN in exec form with sh -c gets escaped text',
      code: lines('FROM alpine:3.20', 'ADD https://example.com/x.tgz /tmp/x.tgz', 'RUN ["/bin/sh", "-c", "tar -xzf /tmp/x.tgz -C /opt"]'),
      findings: [{ messageId: 'unpacked', line: 2, column: 5, endLine: 2, endColumn: 30, related: 1 }],
      output: lines('FROM alpine:3.20', 'RUN ["/bin/sh", "-c", "wget -q -O /tmp/x.tgz \\"https://example.com/x.tgz\\" && tar -xzf /tmp/x.tgz -C /opt && rm -f /tmp/x.tgz"]'),
    },
    {
      name: 'a destination relative to WORKDIR',
      code: lines('FROM alpine:3.20', 'WORKDIR /src', 'ADD https://example.com/v1/tool.tar.gz .', 'RUN tar -xzf tool.tar.gz && make -C tool install'),
      findings: [{ messageId: 'unpacked', line: 3, column: 5, endLine: 3, endColumn: 39, related: 1 }],
      output: lines('FROM alpine:3.20', 'WORKDIR /src', 'RUN wget -q -O /src/tool.tar.gz "https://example.com/v1/tool.tar.gz" && tar -xzf tool.tar.gz && make -C tool install && rm -f /src/tool.tar.gz'),
    },
    {
      name: 'the download goes right before the command that unpacks, after the install of curl',
      code: lines('FROM debian:12-slim', 'ADD https://example.com/x.tgz /tmp/x.tgz', 'RUN apt-get update && apt-get install -y curl && tar -xzf /tmp/x.tgz -C /opt'),
      findings: [{ messageId: 'unpacked', line: 2, column: 5, endLine: 2, endColumn: 30, related: 1 }],
      output: lines('FROM debian:12-slim', 'RUN apt-get update && apt-get install -y curl && curl -fsSL -o /tmp/x.tgz "https://example.com/x.tgz" && tar -xzf /tmp/x.tgz -C /opt && rm -f /tmp/x.tgz'),
    },
    {
      name: 'no fix under a non-root USER',
      code: lines('FROM alpine:3.20', 'USER app', 'ADD https://example.com/app.zip /tmp/app.zip', 'RUN unzip /tmp/app.zip -d /home/app/app'),
      findings: [{ messageId: 'unpacked', line: 3, column: 5, endLine: 3, endColumn: 32, related: 1 }],
      output: null,
    },
    {
      name: 'a script run once by a later RUN',
      code: lines('FROM python:3.12', 'ADD https://bootstrap.pypa.io/get-pip.py /tmp/', 'RUN python /tmp/get-pip.py'),
      findings: [{ messageId: 'used', line: 2, column: 5, endLine: 2, endColumn: 41, related: 1 }],
      output: lines('FROM python:3.12', 'RUN curl -fsSL -o /tmp/get-pip.py "https://bootstrap.pypa.io/get-pip.py" && python /tmp/get-pip.py && rm -f /tmp/get-pip.py'),
    },
    {
      name: 'a file a command may read without naming it: downloaded first, not deleted',
      code: lines('FROM alpine:3.20', 'ADD https://example.com/ca.pem /usr/local/share/ca-certificates/extra.crt', 'RUN update-ca-certificates && ls -l /usr/local/share/ca-certificates/extra.crt'),
      findings: [{ messageId: 'used', line: 2, column: 5, endLine: 2, endColumn: 31, related: 1 }],
      output: lines(
        'FROM alpine:3.20',
        'RUN mkdir -p /usr/local/share/ca-certificates && wget -q -O /usr/local/share/ca-certificates/extra.crt "https://example.com/ca.pem" && update-ca-certificates && ls -l /usr/local/share/ca-certificates/extra.crt',
      ),
    },
    {
      name: 'after a leading set -e the download is its own statement',
      code: lines('FROM alpine:3.20', 'ADD https://example.com/x.tgz /tmp/x.tgz', 'RUN set -eux; ./prepare.sh; tar -xzf /tmp/x.tgz -C /opt'),
      findings: [{ messageId: 'unpacked', line: 2, column: 5, endLine: 2, endColumn: 30, related: 1 }],
      output: lines('FROM alpine:3.20', 'RUN set -eux; wget -q -O /tmp/x.tgz "https://example.com/x.tgz"; ./prepare.sh; tar -xzf /tmp/x.tgz -C /opt && rm -f /tmp/x.tgz'),
    },
    {
      name: 'no fix when a failed download would not stop the RUN',
      code: lines('FROM alpine:3.20', 'ADD https://example.com/x.tgz /tmp/x.tgz', 'RUN ./prepare.sh; tar -xzf /tmp/x.tgz -C /opt'),
      findings: [{ messageId: 'unpacked', line: 2, column: 5, endLine: 2, endColumn: 30, related: 1 }],
      output: null,
    },
    {
      name: 'a heredoc RUN with one command',
      code: lines('FROM alpine:3.20', 'ADD https://example.com/x.tgz /tmp/x.tgz', 'RUN <<EOF', 'tar -xzf /tmp/x.tgz -C /opt', 'EOF'),
      findings: [{ messageId: 'unpacked', line: 2, column: 5, endLine: 2, endColumn: 30, related: 1 }],
      output: lines('FROM alpine:3.20', 'RUN <<EOF', 'wget -q -O /tmp/x.tgz "https://example.com/x.tgz" && tar -xzf /tmp/x.tgz -C /opt && rm -f /tmp/x.tgz', 'EOF'),
    },
    {
      name: 'one finding per URL',
      code: lines('FROM debian:12-slim', 'ADD https://example.com/a.txt https://example.com/b.txt /srv/'),
      findings: [
        { messageId: 'plain', line: 2, column: 5, endLine: 2, endColumn: 30 },
        { messageId: 'plain', line: 2, column: 31, endLine: 2, endColumn: 56 },
      ],
      output: null,
    },
  ],
});
