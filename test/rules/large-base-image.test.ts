import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../server/src/rules/large-base-image';
import { ruleTester, lines } from '../helpers/rule-tester';
import { lint } from '../../server/src/engine/lint';
import { applyFix } from '../../server/src/engine/fix';
import { analyze } from '../../server/src/analysis/model';
import { lookup, tableEntries } from '../../server/src/data/images';
import { apkPackagesFor, glibcPipPackages, glibcUrl } from '../../server/src/data/apk-packages';

const DIGEST = 'sha256:eb29ed27b0821dca09c2e28b39135e185fc1302036427d5f4d70a41ce8fd7659';

ruleTester.run(rule, {
  valid: [
    { name: 'quiet for a multi-stage build that ships a slim image', code: lines('FROM python:3.12 AS build', 'RUN pip install --prefix=/install flask', 'FROM python:3.12-slim', 'COPY --from=build /install /usr/local', 'CMD ["flask", "run"]') },
    { name: 'quiet for FROM scratch', code: lines('FROM golang:1.22 AS build', 'RUN CGO_ENABLED=0 go build -o /out/app .', 'FROM scratch', 'COPY --from=build /out/app /app', 'ENTRYPOINT ["/app"]') },
    lines('FROM alpine:3.20', 'RUN apk add --no-cache curl'),
    lines('FROM python:3.12-slim', 'CMD ["python"]'),
    lines('FROM python:3.12-alpine3.20', 'CMD ["python"]'),
    lines('FROM node:20-bookworm-slim', 'CMD ["node"]'),
    lines('FROM debian:bookworm-slim', 'CMD ["bash"]'),
    lines('FROM gcr.io/distroless/static-debian12', 'COPY app /app'),
    lines('FROM busybox:1.36', 'CMD ["sh"]'),
    lines('FROM eclipse-temurin:21-jre', 'COPY app.jar /app.jar'),
    lines('FROM mcr.microsoft.com/dotnet/aspnet:8.0', 'COPY out /app'),
    { name: 'quiet for a build-only stage on a large image', code: lines('FROM node:20 AS build', 'RUN npm ci && npm run build', 'FROM nginx:1.27-alpine', 'COPY --from=build /app/dist /usr/share/nginx/html') },
    { name: 'quiet for a FROM of an earlier stage', code: lines('FROM python:3.12-slim AS base', 'RUN pip install flask', 'FROM base', 'CMD ["flask", "run"]') },
    { name: 'quiet for COPY --from chains ending in a slim stage', code: lines('FROM node:20 AS deps', 'RUN npm ci', 'FROM deps AS build', 'RUN npm run build', 'FROM node:20-slim', 'COPY --from=build /app/dist /app/dist') },
    { name: 'quiet for images the table does not know', code: lines('FROM myorg/python:3.12', 'CMD ["python"]') },
    { name: 'quiet for Windows images', code: lines('FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'CMD ["cmd"]') },
    { name: 'quiet for a Windows tag of a known repository', code: lines('FROM mcr.microsoft.com/dotnet/sdk:8.0-nanoserver-ltsc2022', 'CMD ["dotnet"]') },
    { name: 'quiet when the tag is an ARG without a default', code: lines('ARG PY', 'FROM python:${PY}', 'CMD ["python"]') },
    { name: 'quiet when the ARG default is a slim tag', code: lines('ARG PY=3.12-slim', 'FROM python:${PY}', 'CMD ["python"]') },
    { name: 'quiet when a large image has no smaller variant on record', code: lines('FROM maven:3.9.6', 'CMD ["mvn"]') },
    {
      name: 'quiet when the target names a slim stage',
      code: lines('FROM python:3.12 AS dev', 'CMD ["python"]', 'FROM python:3.12-slim AS prod', 'CMD ["python"]', 'FROM python:3.12 AS test', 'CMD ["pytest"]'),
      target: 'prod',
    },
  ],
  invalid: [
    {
      name: 'python:3.12 with apt installs: slim, or alpine with the apt commands rewritten',
      code: lines(
        'FROM python:3.12',
        'WORKDIR /app',
        'RUN apt-get update && apt-get install -y --no-install-recommends \\',
        '      libpq-dev \\',
        '      gcc \\',
        '    && rm -rf /var/lib/apt/lists/*',
        'COPY requirements.txt .',
        'RUN pip install --no-cache-dir -r requirements.txt',
        'CMD ["gunicorn", "app:app"]',
      ),
      findings: [{ messageId: 'largeBase', line: 1, column: 6, endLine: 1, endColumn: 17, messageIncludes: ['python:3.12 is about 370 MB; python:3.12-slim about 45 MB.'] }],
      output: lines(
        'FROM python:3.12-slim',
        'WORKDIR /app',
        'RUN apt-get update && apt-get install -y --no-install-recommends \\',
        '      libpq-dev \\',
        '      gcc \\',
        '    && rm -rf /var/lib/apt/lists/*',
        'COPY requirements.txt .',
        'RUN pip install --no-cache-dir -r requirements.txt',
        'CMD ["gunicorn", "app:app"]',
      ),
      fixes: [
        {
          title: 'Switch to python:3.12-slim (about 45 MB)',
          output: lines(
            'FROM python:3.12-slim',
            'WORKDIR /app',
            'RUN apt-get update && apt-get install -y --no-install-recommends \\',
            '      libpq-dev \\',
            '      gcc \\',
            '    && rm -rf /var/lib/apt/lists/*',
            'COPY requirements.txt .',
            'RUN pip install --no-cache-dir -r requirements.txt',
            'CMD ["gunicorn", "app:app"]',
          ),
        },
        {
          title: 'Switch to python:3.12-alpine (about 20 MB; musl libc, not glibc; apt-get install becomes apk add)',
          output: lines(
            'FROM python:3.12-alpine',
            'WORKDIR /app',
            'RUN apk add --no-cache \\',
            '      libpq-dev \\',
            '      gcc',
            'COPY requirements.txt .',
            'RUN pip install --no-cache-dir -r requirements.txt',
            'CMD ["gunicorn", "app:app"]',
          ),
        },
      ],
    },
    {
      name: 'a registry-prefixed reference keeps its prefix',
      code: lines('FROM docker.io/library/python:3.12', 'CMD ["python", "app.py"]'),
      findings: [{ messageId: 'largeBase', line: 1, column: 6, endLine: 1, endColumn: 35, messageIncludes: ['docker.io/library/python:3.12 is about 370 MB'] }],
      output: lines('FROM docker.io/library/python:3.12-slim', 'CMD ["python", "app.py"]'),
      fixes: [
        { title: 'Switch to docker.io/library/python:3.12-slim (about 45 MB)', output: lines('FROM docker.io/library/python:3.12-slim', 'CMD ["python", "app.py"]') },
        { title: 'Switch to docker.io/library/python:3.12-alpine (about 20 MB; musl libc, not glibc)', output: lines('FROM docker.io/library/python:3.12-alpine', 'CMD ["python", "app.py"]') },
      ],
    },
    {
      name: 'a digest-pinned ubuntu is still ubuntu; the switch drops the pin and says so',
      code: lines(`FROM ubuntu:22.04@${DIGEST}`, 'RUN apt-get update', 'RUN apt-get install -y ca-certificates curl', 'CMD ["curl", "--version"]'),
      findings: [{ messageId: 'largeBase', line: 1, column: 6, endLine: 1, endColumn: 90, messageIncludes: ['ubuntu:22.04 is about 29 MB; alpine:3.22 about 3.6 MB (musl libc, not glibc).'] }],
      output: lines('FROM alpine:3.22', 'RUN apk add --no-cache ca-certificates curl', 'CMD ["curl", "--version"]'),
      fixes: [
        {
          title: 'Switch to alpine:3.22 (about 3.6 MB; musl libc, not glibc; apt-get install becomes apk add; drops the digest pin)',
          output: lines('FROM alpine:3.22', 'RUN apk add --no-cache ca-certificates curl', 'CMD ["curl", "--version"]'),
        },
      ],
    },
    {
      name: 'an ARG-built tag keeps its variable when the switch appends to it',
      code: lines('ARG PY=3.12', 'FROM python:${PY}', 'CMD ["python"]'),
      findings: [{ messageId: 'largeBase', line: 2, column: 6, endLine: 2, endColumn: 18, messageIncludes: ['python:3.12 is about 370 MB'] }],
      output: lines('ARG PY=3.12', 'FROM python:${PY}-slim', 'CMD ["python"]'),
      fixes: [
        { title: 'Switch to python:3.12-slim (about 45 MB)', output: lines('ARG PY=3.12', 'FROM python:${PY}-slim', 'CMD ["python"]') },
        { title: 'Switch to python:3.12-alpine (about 20 MB; musl libc, not glibc)', output: lines('ARG PY=3.12', 'FROM python:${PY}-alpine', 'CMD ["python"]') },
      ],
    },
    {
      name: 'no fix where the variable would have to move (python:${PY}-bookworm)',
      code: lines('ARG PY=3.12', 'FROM python:${PY}-bookworm', 'CMD ["python"]'),
      findings: [{ messageId: 'largeBase', line: 2, column: 6, endLine: 2, endColumn: 27, messageIncludes: ['python:3.12-bookworm is about 370 MB; python:3.12-slim-bookworm about 45 MB.'] }],
      output: null,
    },
    {
      name: 'an unresolved ubuntu tag is still ubuntu, but no fix',
      code: lines('ARG UBUNTU', 'FROM ubuntu:${UBUNTU}', 'CMD ["bash"]'),
      findings: [{ messageId: 'largeBase', line: 2, column: 6, endLine: 2, endColumn: 22, messageIncludes: ['ubuntu:${UBUNTU} is about 29 MB'] }],
      output: null,
    },
    {
      name: 'glibc-bound pip packages: the slim switch only',
      code: lines('FROM python:3.11', 'RUN pip install --no-cache-dir numpy==1.26.4 pandas', 'CMD ["python"]'),
      findings: [{ messageId: 'largeBase', line: 1, column: 6, endLine: 1, endColumn: 17 }],
      output: lines('FROM python:3.11-slim', 'RUN pip install --no-cache-dir numpy==1.26.4 pandas', 'CMD ["python"]'),
      fixes: [{ title: 'Switch to python:3.11-slim (about 45 MB)', output: lines('FROM python:3.11-slim', 'RUN pip install --no-cache-dir numpy==1.26.4 pandas', 'CMD ["python"]') }],
    },
    {
      name: 'an apt package without a known Alpine name: the slim switch only',
      code: lines('FROM debian:bookworm', 'RUN apt-get update && apt-get install -y --no-install-recommends libgdiplus && rm -rf /var/lib/apt/lists/*', 'CMD ["bash"]'),
      findings: [{ messageId: 'largeBase', line: 1, column: 6, endLine: 1, endColumn: 21, messageIncludes: ['debian:bookworm is about 49 MB; debian:bookworm-slim about 28 MB.'] }],
      output: lines('FROM debian:bookworm-slim', 'RUN apt-get update && apt-get install -y --no-install-recommends libgdiplus && rm -rf /var/lib/apt/lists/*', 'CMD ["bash"]'),
      fixes: [{ title: 'Switch to debian:bookworm-slim (about 28 MB)', output: lines('FROM debian:bookworm-slim', 'RUN apt-get update && apt-get install -y --no-install-recommends libgdiplus && rm -rf /var/lib/apt/lists/*', 'CMD ["bash"]') }],
    },
    {
      name: 'a binary copied in: slim, or distroless since nothing needs a shell; no alpine (glibc build)',
      code: lines('FROM debian:bookworm', 'COPY server /usr/local/bin/server', 'ENTRYPOINT ["/app/server"]'),
      findings: [{ messageId: 'largeBase', line: 1, column: 6, endLine: 1, endColumn: 21 }],
      output: lines('FROM debian:bookworm-slim', 'COPY server /usr/local/bin/server', 'ENTRYPOINT ["/app/server"]'),
      fixes: [
        { title: 'Switch to debian:bookworm-slim (about 28 MB)', output: lines('FROM debian:bookworm-slim', 'COPY server /usr/local/bin/server', 'ENTRYPOINT ["/app/server"]') },
        { title: 'Switch to gcr.io/distroless/cc-debian12 (about 9 MB; no shell or package manager)', output: lines('FROM gcr.io/distroless/cc-debian12', 'COPY server /usr/local/bin/server', 'ENTRYPOINT ["/app/server"]') },
      ],
    },
    {
      name: 'a JDK that only runs a jar: the JRE first',
      code: lines('FROM eclipse-temurin:21-jdk', 'COPY target/app.jar /app.jar', 'ENTRYPOINT ["java", "-jar", "/app.jar"]'),
      findings: [{ messageId: 'largeBase', line: 1, column: 6, endLine: 1, endColumn: 28, messageIncludes: ['eclipse-temurin:21-jdk is about 190 MB; eclipse-temurin:21-jre about 95 MB (runtime only).'] }],
      output: lines('FROM eclipse-temurin:21-jre', 'COPY target/app.jar /app.jar', 'ENTRYPOINT ["java", "-jar", "/app.jar"]'),
      fixes: [
        { title: 'Switch to eclipse-temurin:21-jre (about 95 MB; runtime only)', output: lines('FROM eclipse-temurin:21-jre', 'COPY target/app.jar /app.jar', 'ENTRYPOINT ["java", "-jar", "/app.jar"]') },
        { title: 'Switch to eclipse-temurin:21-jre-alpine (about 65 MB; musl libc, not glibc; runtime only)', output: lines('FROM eclipse-temurin:21-jre-alpine', 'COPY target/app.jar /app.jar', 'ENTRYPOINT ["java", "-jar", "/app.jar"]') },
        { title: 'Switch to eclipse-temurin:21-jdk-alpine (about 160 MB; musl libc, not glibc)', output: lines('FROM eclipse-temurin:21-jdk-alpine', 'COPY target/app.jar /app.jar', 'ENTRYPOINT ["java", "-jar", "/app.jar"]') },
      ],
    },
    {
      name: 'a JDK that compiles keeps a JDK: no JRE switch',
      code: lines('FROM eclipse-temurin:17', 'COPY Main.java .', 'RUN javac Main.java', 'CMD ["java", "Main"]'),
      findings: [{ messageId: 'largeBase', line: 1, column: 6, endLine: 1, endColumn: 24, messageIncludes: ['eclipse-temurin:17-jdk-alpine about 160 MB (musl libc, not glibc).'] }],
      output: lines('FROM eclipse-temurin:17-jdk-alpine', 'COPY Main.java .', 'RUN javac Main.java', 'CMD ["java", "Main"]'),
      fixes: [{ title: 'Switch to eclipse-temurin:17-jdk-alpine (about 160 MB; musl libc, not glibc)', output: lines('FROM eclipse-temurin:17-jdk-alpine', 'COPY Main.java .', 'RUN javac Main.java', 'CMD ["java", "Main"]') }],
    },
    {
      name: 'the .NET SDK as a runtime: aspnet, runtime, aspnet alpine',
      code: lines('FROM mcr.microsoft.com/dotnet/sdk:8.0', 'WORKDIR /app', 'COPY out/ .', 'ENTRYPOINT ["dotnet", "App.dll"]'),
      findings: [{ messageId: 'largeBase', line: 1, column: 6, endLine: 1, endColumn: 38, messageIncludes: ['mcr.microsoft.com/dotnet/sdk:8.0 is about 280 MB; mcr.microsoft.com/dotnet/aspnet:8.0 about 90 MB (runtime only).'] }],
      output: lines('FROM mcr.microsoft.com/dotnet/aspnet:8.0', 'WORKDIR /app', 'COPY out/ .', 'ENTRYPOINT ["dotnet", "App.dll"]'),
      fixes: [
        { title: 'Switch to mcr.microsoft.com/dotnet/aspnet:8.0 (about 90 MB; runtime only)', output: lines('FROM mcr.microsoft.com/dotnet/aspnet:8.0', 'WORKDIR /app', 'COPY out/ .', 'ENTRYPOINT ["dotnet", "App.dll"]') },
        { title: 'Switch to mcr.microsoft.com/dotnet/runtime:8.0 (about 80 MB; runtime only)', output: lines('FROM mcr.microsoft.com/dotnet/runtime:8.0', 'WORKDIR /app', 'COPY out/ .', 'ENTRYPOINT ["dotnet", "App.dll"]') },
        { title: 'Switch to mcr.microsoft.com/dotnet/aspnet:8.0-alpine (about 45 MB; musl libc, not glibc; runtime only)', output: lines('FROM mcr.microsoft.com/dotnet/aspnet:8.0-alpine', 'WORKDIR /app', 'COPY out/ .', 'ENTRYPOINT ["dotnet", "App.dll"]') },
      ],
    },
    {
      name: 'the stage named by the target is the one that ships',
      code: lines('FROM node:20 AS app', 'WORKDIR /app', 'CMD ["node", "server.js"]', 'FROM node:20-slim AS other', 'CMD ["node"]'),
      target: 'app',
      findings: [{ messageId: 'largeBase', line: 1, column: 6, endLine: 1, endColumn: 13, messageIncludes: ['node:20 is about 390 MB; node:20-slim about 70 MB.'] }],
      output: lines('FROM node:20-slim AS app', 'WORKDIR /app', 'CMD ["node", "server.js"]', 'FROM node:20-slim AS other', 'CMD ["node"]'),
    },
    {
      name: 'a stage the final stage is built FROM ships too; the alpine switch rewrites apt in both',
      code: lines(
        'FROM ubuntu:24.04 AS base',
        'RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*',
        'FROM base',
        'RUN apt-get update \\',
        ' && DEBIAN_FRONTEND=noninteractive apt-get install -y tzdata jq \\',
        ' && apt-get clean',
        'CMD ["jq", "--version"]',
      ),
      findings: [{ messageId: 'largeBase', line: 1, column: 6, endLine: 1, endColumn: 18 }],
      output: lines(
        'FROM alpine:3.22 AS base',
        'RUN apk add --no-cache ca-certificates',
        'FROM base',
        'RUN apk add --no-cache tzdata jq',
        'CMD ["jq", "--version"]',
      ),
    },
    {
      name: 'a build-only stage built FROM the switched one changes too',
      code: lines(
        'FROM eclipse-temurin:21-jdk AS base',
        'WORKDIR /app',
        'FROM base AS build',
        'COPY . .',
        'RUN ./mvnw -B package',
        'FROM base',
        'COPY --from=build /app/target/app.jar app.jar',
        'CMD ["java", "-jar", "app.jar"]',
      ),
      findings: [{ messageId: 'largeBase', line: 1, column: 6, endLine: 1, endColumn: 28, messageIncludes: ['eclipse-temurin:21-jre about 95 MB (runtime only)'] }],
      output: null,
    },
    {
      name: 'no alpine switch when it would delete more than one whole RUN',
      code: lines('FROM ubuntu:24.04', 'RUN apt-get update', 'RUN apt-get install -y curl', 'RUN rm -rf /var/lib/apt/lists/*', 'CMD ["curl"]'),
      findings: [{ messageId: 'largeBase', line: 1, column: 6, endLine: 1, endColumn: 18 }],
      output: null,
    },
    {
      name: 'apt used for more than installing: no alpine switch',
      code: lines('FROM ubuntu:24.04', 'RUN apt-get update && apt-get upgrade -y && apt-get install -y curl', 'CMD ["curl"]'),
      findings: [{ messageId: 'largeBase', line: 1, column: 6, endLine: 1, endColumn: 18 }],
      output: null,
    },
    {
      name: 'useradd has other options on Alpine: no alpine switch',
      code: lines('FROM node:20', 'RUN useradd -m app', 'USER app', 'CMD ["node", "server.js"]'),
      findings: [{ messageId: 'largeBase', line: 1, column: 6, endLine: 1, endColumn: 13 }],
      output: lines('FROM node:20-slim', 'RUN useradd -m app', 'USER app', 'CMD ["node", "server.js"]'),
      fixes: [{ title: 'Switch to node:20-slim (about 70 MB)', output: lines('FROM node:20-slim', 'RUN useradd -m app', 'USER app', 'CMD ["node", "server.js"]') }],
    },
    {
      name: 'curl is part of the full image only: no slim or alpine switch when it is used without installing it',
      code: lines('FROM node:20', 'RUN curl -fsSL https://example.com/tool.tgz | tar -xz -C /opt', 'CMD ["node", "server.js"]'),
      findings: [{ messageId: 'largeBase', line: 1, column: 6, endLine: 1, endColumn: 13 }],
      output: null,
    },
    {
      name: 'a prebuilt glibc binary fetched with curl: no alpine switch',
      code: lines(
        'FROM ubuntu:22.04',
        'RUN apt-get update && apt-get install -y curl && curl -fsSLo /usr/local/bin/tool https://example.com/tool-linux-amd64',
        'CMD ["tool"]',
      ),
      findings: [{ messageId: 'largeBase', line: 1, column: 6, endLine: 1, endColumn: 18 }],
      output: null,
    },
    {
      name: 'files copied from a glibc stage: no alpine switch',
      code: lines('FROM python:3.12 AS build', 'RUN python -m venv /opt/venv', 'FROM python:3.12', 'COPY --from=build /opt/venv /opt/venv', 'CMD ["/opt/venv/bin/python"]'),
      findings: [{ messageId: 'largeBase', line: 3, column: 6, endLine: 3, endColumn: 17 }],
      output: lines('FROM python:3.12 AS build', 'RUN python -m venv /opt/venv', 'FROM python:3.12-slim', 'COPY --from=build /opt/venv /opt/venv', 'CMD ["/opt/venv/bin/python"]'),
      fixes: [{ title: 'Switch to python:3.12-slim (about 45 MB)', output: lines('FROM python:3.12 AS build', 'RUN python -m venv /opt/venv', 'FROM python:3.12-slim', 'COPY --from=build /opt/venv /opt/venv', 'CMD ["/opt/venv/bin/python"]') }],
    },
    {
      name: 'a RHEL-family image switches to its minimal variant only when it installs nothing with dnf',
      code: lines('FROM rockylinux:9', 'COPY app /usr/local/bin/app', 'CMD ["app"]'),
      findings: [{ messageId: 'largeBase', line: 1, column: 6, endLine: 1, endColumn: 18, messageIncludes: ['rockylinux:9 is about 65 MB; rockylinux:9-minimal about 40 MB.'] }],
      output: lines('FROM rockylinux:9-minimal', 'COPY app /usr/local/bin/app', 'CMD ["app"]'),
    },
    {
      name: 'dnf is missing from the minimal variant: no fix',
      code: lines('FROM rockylinux:9', 'RUN dnf install -y httpd && dnf clean all', 'CMD ["httpd", "-DFOREGROUND"]'),
      findings: [{ messageId: 'largeBase', line: 1, column: 6, endLine: 1, endColumn: 18 }],
      output: null,
    },
  ],
});

function titles(code: string, target?: string): string[] {
  const result = lint(code, { rules: { [rule.meta.id]: 'warning' }, target }, [rule]);
  return result.findings.flatMap((f) => (f.fixes ?? []).map((x) => x.title));
}

describe('large-base-image: which switches are offered', () => {
  it('offers no alpine switch when the stage shows glibc signals', () => {
    const cases = [
      lines('FROM python:3.12', 'RUN pip install grpcio', 'CMD ["python"]'),
      lines('FROM python:3.12', 'RUN python -m pip install "psycopg2-binary>=2.9"', 'CMD ["python"]'),
      lines('FROM python:3.12', 'ENV LD_PRELOAD=/usr/lib/libjemalloc.so.2', 'CMD ["python"]'),
      lines('FROM ubuntu:22.04', 'COPY tool.deb /tmp/', 'RUN dpkg -i /tmp/tool.deb', 'CMD ["tool"]'),
      lines('FROM ubuntu:22.04', 'ADD https://example.com/tool_1.0_amd64.deb /tmp/', 'CMD ["tool"]'),
      lines('FROM ubuntu:22.04', 'RUN ./install.sh', 'CMD ["tool"]'),
      lines('FROM node:20', 'RUN npm ci', 'CMD ["bash", "-c", "node server.js"]'),
    ];
    for (const code of cases) {
      const offered = titles(code);
      assert.ok(offered.length === 0 || offered.every((t) => !t.includes('alpine')), `alpine offered for:\n${code}\n${offered.join('\n')}`);
    }
  });

  it('never leaves apt commands on an alpine base', () => {
    const cases = [
      lines('FROM ubuntu:24.04', 'RUN apt-get update && apt-get install -y --no-install-recommends curl git && rm -rf /var/lib/apt/lists/*', 'CMD ["git"]'),
      lines('FROM ubuntu:24.04', 'RUN apt-get update', 'RUN apt-get -y install curl; apt-get clean; rm -rf /var/lib/apt/lists/* /tmp/*', 'CMD ["curl"]'),
      lines('FROM python:3.12', 'RUN set -eux; apt-get update; apt-get install -y --no-install-recommends build-essential libffi-dev; rm -rf /var/lib/apt/lists/*', 'CMD ["python"]'),
      lines('FROM debian:bookworm AS base', 'RUN apt-get update && apt-get install -y jq', 'FROM base', 'RUN apt-get update && apt-get install -y curl', 'CMD ["jq"]'),
    ];
    for (const code of cases) {
      const result = lint(code, { rules: { [rule.meta.id]: 'warning' } }, [rule]);
      const fixes = result.findings.flatMap((f) => f.fixes ?? []).filter((f) => f.title.includes('alpine'));
      assert.ok(fixes.length > 0, `an alpine switch is offered for:\n${code}`);
      for (const fix of fixes) {
        const after = analyze(applyFix(code, fix));
        const apt = after.runs().flatMap((r) => r.commands).filter((c) => c.name === 'apt-get' || c.name === 'apt');
        assert.deepEqual(apt.map((c) => c.name), [], `apt left after "${fix.title}":\n${applyFix(code, fix)}`);
        assert.ok(after.stages[0].image?.resolved.includes('alpine'), 'the base is an alpine image');
      }
    }
  });

  it('keeps the text outside the image reference and the apt commands', () => {
    const code = lines('# base', 'FROM python:3.12  AS  app', '# deps', 'RUN apt-get update && apt-get install -y git && echo done # ok', 'CMD ["python"]');
    const result = lint(code, { rules: { [rule.meta.id]: 'warning' } }, [rule]);
    const fixes = result.findings[0].fixes ?? [];
    assert.deepEqual(fixes.map((f) => applyFix(code, f)), [
      lines('# base', 'FROM python:3.12-slim  AS  app', '# deps', 'RUN apt-get update && apt-get install -y git && echo done # ok', 'CMD ["python"]'),
      lines('# base', 'FROM python:3.12-alpine  AS  app', '# deps', 'RUN apk add --no-cache git && echo done # ok', 'CMD ["python"]'),
    ]);
  });

  it('prefers the slim switch and never the alpine one', () => {
    const result = lint(lines('FROM ruby:3.3', 'CMD ["irb"]'), { rules: { [rule.meta.id]: 'warning' } }, [rule]);
    const fixes = result.findings[0].fixes ?? [];
    assert.deepEqual(fixes.map((f) => [f.title, !!f.preferred, !!f.safe]), [
      ['Switch to ruby:3.3-slim (about 65 MB)', true, false],
      ['Switch to ruby:3.3-alpine (about 35 MB; musl libc, not glibc)', false, false],
    ]);
    const ubuntu = lint(lines('FROM ubuntu:24.04', 'CMD ["echo", "hi"]'), { rules: { [rule.meta.id]: 'warning' } }, [rule]);
    assert.deepEqual(ubuntu.findings[0].fixes?.map((f) => [f.title, !!f.preferred]), [['Switch to alpine:3.22 (about 3.6 MB; musl libc, not glibc)', false]]);
  });
});

describe('large-base-image: the size table', () => {
  const refOf = (text: string) => analyze(`FROM ${text}\n`).stages[0].image!;

  it('dates and sources every figure, and each example tag is read as its own variant', () => {
    const entries = tableEntries();
    assert.ok(entries.length >= 50, `${entries.length} entries`);
    for (const e of entries) {
      assert.ok(e.sizeMB >= 0 && Number.isFinite(e.sizeMB), `${e.family}/${e.variant} size`);
      assert.match(e.date, /^\d{4}(?:-\d{2})?$/, `${e.family}/${e.variant} date`);
      assert.ok(e.source.startsWith('approximate: ') || e.family === 'scratch', `${e.family}/${e.variant} source says how it was obtained: ${e.source}`);
      const info = lookup(refOf(e.example));
      assert.deepEqual([info?.family, info?.variant, info?.sizeMB], [e.family, e.variant, e.sizeMB], `${e.example} is read as ${e.family}/${e.variant}`);
    }
  });

  it('names smaller images the table reads back as the family and variant it claims', () => {
    for (const e of tableEntries()) {
      for (const s of lookup(refOf(e.example))?.smaller ?? []) {
        const back = lookup(refOf(s.ref));
        assert.deepEqual([back?.family, back?.variant], [s.family, s.variant], `${e.example} → ${s.ref}`);
        assert.ok(s.sizeMB < e.sizeMB, `${s.ref} is smaller than ${e.example}`);
      }
    }
  });

  it('reports only large variants, each with a smaller one (except maven and gradle without a JDK in the tag)', () => {
    for (const e of tableEntries()) {
      const info = lookup(refOf(e.example))!;
      if (!e.large) continue;
      assert.ok(info.smaller.length > 0, `${e.example} has a smaller variant`);
    }
    assert.deepEqual(lookup(refOf('maven:3.9.6'))?.smaller, []);
  });

  it('covers the families the rule is about, and leaves Windows and unknown images out', () => {
    const families = new Set(tableEntries().map((e) => e.family));
    for (const f of ['ubuntu', 'debian', 'centos', 'fedora', 'rockylinux', 'almalinux', 'amazonlinux', 'oraclelinux', 'ubi', 'ubi-minimal', 'python', 'node', 'ruby', 'php', 'golang', 'rust', 'openjdk', 'eclipse-temurin', 'maven', 'gradle', 'dotnet-sdk', 'dotnet-aspnet', 'dotnet-runtime', 'dotnet-runtime-deps', 'alpine', 'busybox', 'distroless-static', 'distroless-base', 'distroless-cc', 'distroless-java', 'distroless-python3', 'distroless-nodejs']) {
      assert.ok(families.has(f), f);
    }
    for (const r of ['mcr.microsoft.com/windows/servercore:ltsc2022', 'mcr.microsoft.com/windows/nanoserver:ltsc2022', 'python:3.12-windowsservercore-ltsc2022', 'golang:1.22-nanoserver', 'eclipse-temurin:21-jdk-windowsservercore', 'myorg/python:3.12', 'quay.io/someone/node:20']) {
      assert.equal(lookup(refOf(r)), undefined, r);
    }
  });

  it('knows Alpine names for the common Debian packages', () => {
    assert.deepEqual(apkPackagesFor('build-essential'), ['build-base']);
    assert.deepEqual(apkPackagesFor('libssl-dev'), ['openssl-dev']);
    assert.deepEqual(apkPackagesFor('apt-transport-https'), []);
    assert.equal(apkPackagesFor('libgdiplus'), undefined);
    assert.equal(apkPackagesFor('constructor'), undefined, 'no prototype lookups');
    assert.ok(glibcPipPackages.has('numpy') && glibcPipPackages.has('psycopg2-binary'));
    assert.ok(glibcUrl.test('https://example.com/tool-linux-amd64.tar.gz') && !glibcUrl.test('https://example.com/tool.tar.gz'));
  });
});
