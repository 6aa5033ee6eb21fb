import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule, { convertToMultiStage, isBuildPackage } from '../../server/src/rules/build-tools-in-final-stage';
import { ruleTester, lines, type InvalidCase } from '../helpers/rule-tester';
import { lint } from '../../server/src/engine/lint';
import { analyze } from '../../server/src/analysis/model';
import { applyEdits } from '../../server/src/analysis/text';
import { parseProblems } from '../helpers/dockerfile-check';

const DIGEST = 'sha256:eb29ed27b0821dca09c2e28b39135e185fc1302036427d5f4d70a41ce8fd7659';

const GO = lines(
  'FROM golang:1.22',
  'WORKDIR /src',
  'COPY . .',
  'RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app',
  'EXPOSE 8080',
  'USER 65532',
  'ENTRYPOINT ["/out/app"]',
);

const invalid: InvalidCase[] = [
  {
    name: 'Go on the golang image: a static binary into distroless',
    code: GO,
    findings: [{ messageId: 'toolchainBuild', line: 4, column: 19, endLine: 4, endColumn: 49, messageIncludes: ['go build runs on golang:1.22, a toolchain image of about 300 MB that ships with what it builds.'] }],
    output: lines(
      'FROM golang:1.22 AS build',
      'WORKDIR /src',
      'COPY . .',
      'RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app',
      'EXPOSE 8080',
      'USER 65532',
      'ENTRYPOINT ["/out/app"]',
      '',
      'FROM gcr.io/distroless/static-debian12',
      'WORKDIR /src',
      'COPY --from=build /out/app /out/app',
      'EXPOSE 8080',
      'USER 65532',
      'ENTRYPOINT ["/out/app"]',
    ),
    fixes: [
      {
        title: 'Convert to a multi-stage build',
        output: lines(
          'FROM golang:1.22 AS build',
          'WORKDIR /src',
          'COPY . .',
          'RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app',
          'EXPOSE 8080',
          'USER 65532',
          'ENTRYPOINT ["/out/app"]',
          '',
          'FROM gcr.io/distroless/static-debian12',
          'WORKDIR /src',
          'COPY --from=build /out/app /out/app',
          'EXPOSE 8080',
          'USER 65532',
          'ENTRYPOINT ["/out/app"]',
        ),
      },
    ],
  },
  {
    name: 'Go without -o: a placeholder marks where the build output goes',
    code: lines('FROM golang:1.22', 'WORKDIR /app', 'COPY . .', 'RUN go build .', 'CMD ["app"]'),
    findings: [{ messageId: 'toolchainBuild', line: 4, column: 5, endLine: 4, endColumn: 15 }],
    output: lines(
      'FROM golang:1.22 AS build',
      'WORKDIR /app',
      'COPY . .',
      'RUN go build .',
      'CMD ["app"]',
      '',
      'FROM debian:stable-slim',
      'WORKDIR /app',
      '# TODO(slimfile): copy your build output here',
      'COPY --from=build /path/to/artifact /app/',
      'CMD ["app"]',
    ),
  },
  {
    name: 'Node with native build tools: prune in the build stage, copy node_modules and the built folder',
    code: lines(
      'FROM node:20',
      'WORKDIR /app',
      'RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*',
      'COPY package*.json ./',
      'RUN npm ci',
      'COPY . .',
      'RUN npm run build',
      'ENV NODE_ENV=production',
      'USER node',
      'CMD ["node", "dist/server.js"]',
    ),
    findings: [{ messageId: 'buildPackages', line: 3, column: 23, endLine: 3, endColumn: 82, messageIncludes: ['apt-get install puts build tools in the shipped image: make, g++.'] }],
    output: lines(
      'FROM node:20 AS build',
      'WORKDIR /app',
      'RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*',
      'COPY package*.json ./',
      'RUN npm ci',
      'COPY . .',
      'RUN npm run build',
      'RUN npm prune --omit=dev',
      'ENV NODE_ENV=production',
      'USER node',
      'CMD ["node", "dist/server.js"]',
      '',
      'FROM node:20-slim',
      'WORKDIR /app',
      'ENV NODE_ENV=production',
      'COPY --from=build /app/package*.json ./',
      'COPY --from=build /app/node_modules ./node_modules',
      'COPY --from=build /app/dist /app/dist',
      'USER node',
      'CMD ["node", "dist/server.js"]',
    ),
  },
  {
    name: 'Node without native build tools: npm ci --omit=dev in the runtime stage',
    code: lines(
      'FROM node:20-bookworm',
      'WORKDIR /usr/src/app',
      'RUN apt-get update && apt-get install -y --no-install-recommends default-jdk-headless && rm -rf /var/lib/apt/lists/*',
      'COPY . .',
      'RUN npm ci && npm run build',
      'CMD ["node", "build/index.js"]',
    ),
    findings: [{ messageId: 'buildPackages', line: 3, column: 23, endLine: 3, endColumn: 86 }],
    output: lines(
      'FROM node:20-bookworm AS build',
      'WORKDIR /usr/src/app',
      'RUN apt-get update && apt-get install -y --no-install-recommends default-jdk-headless && rm -rf /var/lib/apt/lists/*',
      'COPY . .',
      'RUN npm ci && npm run build',
      'CMD ["node", "build/index.js"]',
      '',
      'FROM node:20-bookworm-slim',
      'WORKDIR /usr/src/app',
      'COPY --from=build /usr/src/app/package*.json ./',
      'RUN npm ci --omit=dev',
      'COPY --from=build /usr/src/app/build /usr/src/app/build',
      'CMD ["node", "build/index.js"]',
    ),
  },
  {
    name: 'Python: a virtualenv built in the build stage, copied into the slim image',
    code: lines(
      'FROM python:3.12',
      'WORKDIR /app',
      'RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*',
      'COPY requirements.txt .',
      'RUN pip install --no-cache-dir -r requirements.txt',
      'COPY . .',
      'EXPOSE 8000',
      'CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]',
    ),
    findings: [{ messageId: 'buildPackages', line: 3, column: 23, endLine: 3, endColumn: 79, messageIncludes: ['gcc, libpq-dev'] }],
    output: lines(
      'FROM python:3.12 AS build',
      'RUN python -m venv /opt/venv',
      'ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"',
      'WORKDIR /app',
      'RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*',
      'COPY requirements.txt .',
      'RUN pip install --no-cache-dir -r requirements.txt',
      'COPY . .',
      'EXPOSE 8000',
      'CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]',
      '',
      'FROM python:3.12-slim',
      'WORKDIR /app',
      '# TODO(slimfile): install the runtime libraries of libpq-dev here',
      'COPY --from=build /opt/venv /opt/venv',
      'ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"',
      'COPY --from=build /app /app',
      'EXPOSE 8000',
      'CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]',
    ),
  },
  {
    name: 'Maven: the jar the CMD runs, on a JRE',
    code: lines('FROM maven:3.9-eclipse-temurin-21', 'WORKDIR /app', 'COPY . .', 'RUN mvn -B package -DskipTests', 'CMD ["java", "-jar", "target/app.jar"]'),
    findings: [{ messageId: 'toolchainBuild', line: 4, column: 5, endLine: 4, endColumn: 31, messageIncludes: ['mvn package runs on maven:3.9-eclipse-temurin-21, a toolchain image of about 210 MB'] }],
    output: lines(
      'FROM maven:3.9-eclipse-temurin-21 AS build',
      'WORKDIR /app',
      'COPY . .',
      'RUN mvn -B package -DskipTests',
      'CMD ["java", "-jar", "target/app.jar"]',
      '',
      'FROM eclipse-temurin:21-jre',
      'WORKDIR /app',
      'COPY --from=build /app/target/app.jar /app/target/app.jar',
      'CMD ["java", "-jar", "target/app.jar"]',
    ),
  },
  {
    name: 'Gradle: the built jars, on a JRE of the same version',
    code: lines('FROM gradle:8-jdk17', 'WORKDIR /home/gradle/project', 'COPY . .', 'RUN gradle build --no-daemon', 'ENTRYPOINT ["java", "-cp", "build/libs/*", "com.example.Main"]'),
    findings: [{ messageId: 'toolchainBuild', line: 4, column: 5, endLine: 4, endColumn: 29 }],
    output: lines(
      'FROM gradle:8-jdk17 AS build',
      'WORKDIR /home/gradle/project',
      'COPY . .',
      'RUN gradle build --no-daemon',
      'ENTRYPOINT ["java", "-cp", "build/libs/*", "com.example.Main"]',
      '',
      'FROM eclipse-temurin:17-jre',
      'WORKDIR /home/gradle/project',
      'COPY --from=build /home/gradle/project/build/libs/*.jar /home/gradle/project/build/libs/',
      'ENTRYPOINT ["java", "-cp", "build/libs/*", "com.example.Main"]',
    ),
  },
  {
    name: 'Rust: the release binary the CMD runs',
    code: lines('FROM rust:1.78', 'WORKDIR /usr/src/app', 'COPY . .', 'RUN cargo build --release', 'CMD ["./target/release/myapp"]'),
    findings: [{ messageId: 'toolchainBuild', line: 4, column: 5, endLine: 4, endColumn: 26, messageIncludes: ['cargo build runs on rust:1.78, a toolchain image of about 550 MB'] }],
    output: lines(
      'FROM rust:1.78 AS build',
      'WORKDIR /usr/src/app',
      'COPY . .',
      'RUN cargo build --release',
      'CMD ["./target/release/myapp"]',
      '',
      'FROM debian:stable-slim',
      'WORKDIR /usr/src/app',
      'COPY --from=build /usr/src/app/target/release/myapp /usr/src/app/target/release/myapp',
      'CMD ["./target/release/myapp"]',
    ),
  },
  {
    name: 'Rust on bookworm with cargo install: the binary into distroless cc',
    code: lines('FROM rust:1.78-bookworm', 'WORKDIR /app', 'COPY . .', 'RUN cargo install --path .', 'CMD ["myapp"]'),
    findings: [{ messageId: 'toolchainBuild', line: 4, column: 5, endLine: 4, endColumn: 27 }],
    output: lines(
      'FROM rust:1.78-bookworm AS build',
      'WORKDIR /app',
      'COPY . .',
      'RUN cargo install --path .',
      'CMD ["myapp"]',
      '',
      'FROM gcr.io/distroless/cc-debian12',
      'WORKDIR /app',
      'COPY --from=build /usr/local/cargo/bin/myapp /usr/local/bin/myapp',
      'CMD ["myapp"]',
    ),
  },
  {
    name: '.NET: the publish folder on the ASP.NET runtime',
    code: lines(
      'FROM mcr.microsoft.com/dotnet/sdk:8.0',
      'WORKDIR /src',
      'COPY . .',
      'RUN dotnet publish -c Release -o /app/publish',
      'WORKDIR /app/publish',
      'ENTRYPOINT ["dotnet", "App.dll"]',
    ),
    findings: [{ messageId: 'toolchainBuild', line: 4, column: 5, endLine: 4, endColumn: 46, messageIncludes: ['dotnet publish runs on mcr.microsoft.com/dotnet/sdk:8.0'] }],
    output: lines(
      'FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build',
      'WORKDIR /src',
      'COPY . .',
      'RUN dotnet publish -c Release -o /app/publish',
      'WORKDIR /app/publish',
      'ENTRYPOINT ["dotnet", "App.dll"]',
      '',
      'FROM mcr.microsoft.com/dotnet/aspnet:8.0',
      'WORKDIR /src',
      'WORKDIR /app/publish',
      'COPY --from=build /app/publish /app/publish',
      'ENTRYPOINT ["dotnet", "App.dll"]',
    ),
  },
  {
    name: 'generic: the same base image without the compilers, with a placeholder',
    code: lines(
      'FROM ubuntu:22.04',
      'RUN apt-get update && apt-get install -y build-essential && rm -rf /var/lib/apt/lists/*',
      'COPY . /src',
      'RUN make -C /src && make -C /src install',
      'CMD ["/usr/local/bin/tool"]',
    ),
    findings: [{ messageId: 'buildPackages', line: 2, column: 23, endLine: 2, endColumn: 57, messageIncludes: ['build-essential'] }],
    output: lines(
      'FROM ubuntu:22.04 AS build',
      'RUN apt-get update && apt-get install -y build-essential && rm -rf /var/lib/apt/lists/*',
      'COPY . /src',
      'RUN make -C /src && make -C /src install',
      'CMD ["/usr/local/bin/tool"]',
      '',
      'FROM ubuntu:22.04',
      '# TODO(slimfile): copy your build output here',
      'COPY --from=build /path/to/artifact /app/',
      'CMD ["/usr/local/bin/tool"]',
    ),
  },
  {
    name: 'the runtime stage keeps the pin of the same base image and leaves --platform to the build',
    code: lines(`FROM --platform=$BUILDPLATFORM ubuntu:22.04@${DIGEST}`, 'RUN apt-get update && apt-get install -y gcc', 'CMD ["/app"]'),
    findings: [{ messageId: 'buildPackages', line: 2, column: 23, endLine: 2, endColumn: 45 }],
    output: lines(
      `FROM --platform=$BUILDPLATFORM ubuntu:22.04@${DIGEST} AS build`,
      'RUN apt-get update && apt-get install -y gcc',
      'CMD ["/app"]',
      '',
      `FROM ubuntu:22.04@${DIGEST}`,
      '# TODO(slimfile): copy your build output here',
      'COPY --from=build /path/to/artifact /app/',
      'CMD ["/app"]',
    ),
  },
  {
    name: 'a package removed later is not reported; the ones kept are',
    code: lines('FROM debian:bookworm', 'RUN apt-get update && apt-get install -y gcc make libssl-dev', 'RUN make && apt-get purge -y gcc make', 'CMD ["/usr/local/bin/app"]'),
    findings: [{ messageId: 'buildPackages', line: 2, column: 23, endLine: 2, endColumn: 61, messageIncludes: ['in the shipped image: libssl-dev.'] }],
    output: lines(
      'FROM debian:bookworm AS build',
      'RUN apt-get update && apt-get install -y gcc make libssl-dev',
      'RUN make && apt-get purge -y gcc make',
      'CMD ["/usr/local/bin/app"]',
      '',
      'FROM debian:bookworm-slim',
      '# TODO(slimfile): install the runtime libraries of libssl-dev here',
      '# TODO(slimfile): copy your build output here',
      'COPY --from=build /path/to/artifact /app/',
      'CMD ["/usr/local/bin/app"]',
    ),
  },
  {
    name: 'the stage named by the target is split; its name moves to the runtime stage',
    code: lines(
      'FROM golang:1.22 AS app',
      'WORKDIR /src',
      'COPY . .',
      'RUN CGO_ENABLED=0 go build -o /bin/app .',
      'ENTRYPOINT ["/bin/app"]',
      '',
      'FROM alpine:3.20 AS tools',
      'RUN apk add --no-cache curl',
    ),
    target: 'app',
    findings: [{ messageId: 'toolchainBuild', line: 4, column: 19, endLine: 4, endColumn: 41 }],
    output: lines(
      'FROM golang:1.22 AS app-build',
      'WORKDIR /src',
      'COPY . .',
      'RUN CGO_ENABLED=0 go build -o /bin/app .',
      'ENTRYPOINT ["/bin/app"]',
      '',
      'FROM gcr.io/distroless/static-debian12 AS app',
      'WORKDIR /src',
      'COPY --from=app-build /bin/app /bin/app',
      'ENTRYPOINT ["/bin/app"]',
      '',
      'FROM alpine:3.20 AS tools',
      'RUN apk add --no-cache curl',
    ),
  },
  {
    name: 'no fix when other stages refer to the target stage by name',
    code: lines('FROM golang:1.22 AS app', 'RUN CGO_ENABLED=0 go build -o /bin/app .', 'FROM app AS debug', 'RUN echo debug'),
    target: 'app',
    findings: [{ messageId: 'toolchainBuild', line: 2, column: 19, endLine: 2, endColumn: 41 }],
    output: null,
  },
  {
    name: 'a named final stage keeps its name as the build stage',
    code: lines('FROM golang:1.22-alpine AS server', 'RUN go build -o /server .', 'CMD ["/server"]'),
    findings: [{ messageId: 'toolchainBuild', line: 2, column: 5, endLine: 2, endColumn: 26 }],
    output: lines('FROM golang:1.22-alpine AS server', 'RUN go build -o /server .', 'CMD ["/server"]', '', 'FROM alpine:3.22', 'COPY --from=server /server /server', 'CMD ["/server"]'),
  },
  {
    name: 'the build stage gets a free name when "build" is taken',
    code: lines('FROM node:20 AS build', 'RUN echo prepare', 'FROM golang:1.22', 'RUN CGO_ENABLED=0 go build -o /app .', 'ENTRYPOINT ["/app"]'),
    findings: [{ messageId: 'toolchainBuild', line: 4, column: 19, endLine: 4, endColumn: 37 }],
    output: lines(
      'FROM node:20 AS build',
      'RUN echo prepare',
      'FROM golang:1.22 AS build-2',
      'RUN CGO_ENABLED=0 go build -o /app .',
      'ENTRYPOINT ["/app"]',
      '',
      'FROM gcr.io/distroless/static-debian12',
      'COPY --from=build-2 /app /app',
      'ENTRYPOINT ["/app"]',
    ),
  },
  {
    name: 'a HEALTHCHECK that calls curl brings curl into the runtime stage',
    code: lines(
      'FROM eclipse-temurin:21-jdk',
      'WORKDIR /app',
      'COPY . .',
      'RUN ./mvnw -B package',
      'HEALTHCHECK CMD curl -f http://localhost:8080/health || exit 1',
      'CMD ["java", "-jar", "target/app.jar"]',
    ),
    findings: [{ messageId: 'toolchainBuild', line: 4, column: 5, endLine: 4, endColumn: 22 }],
    output: lines(
      'FROM eclipse-temurin:21-jdk AS build',
      'WORKDIR /app',
      'COPY . .',
      'RUN ./mvnw -B package',
      'HEALTHCHECK CMD curl -f http://localhost:8080/health || exit 1',
      'CMD ["java", "-jar", "target/app.jar"]',
      '',
      'FROM eclipse-temurin:21-jre',
      'WORKDIR /app',
      'RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*',
      'COPY --from=build /app/target/app.jar /app/target/app.jar',
      'HEALTHCHECK CMD curl -f http://localhost:8080/health || exit 1',
      'CMD ["java", "-jar", "target/app.jar"]',
    ),
  },
  {
    name: 'a named user comes with the RUN that created it',
    code: lines(
      'FROM python:3.12',
      'RUN groupadd -r app && useradd -r -g app app',
      'WORKDIR /app',
      'RUN apt-get update && apt-get install -y --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/*',
      'COPY . .',
      'RUN pip install --no-cache-dir .',
      'USER app',
      'CMD ["python", "-m", "app"]',
    ),
    findings: [{ messageId: 'buildPackages', line: 4, column: 23, endLine: 4, endColumn: 81 }],
    output: lines(
      'FROM python:3.12 AS build',
      'RUN python -m venv /opt/venv',
      'ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"',
      'RUN groupadd -r app && useradd -r -g app app',
      'WORKDIR /app',
      'RUN apt-get update && apt-get install -y --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/*',
      'COPY . .',
      'RUN pip install --no-cache-dir .',
      'USER app',
      'CMD ["python", "-m", "app"]',
      '',
      'FROM python:3.12-slim',
      'WORKDIR /app',
      'RUN groupadd -r app && useradd -r -g app app',
      'COPY --from=build /opt/venv /opt/venv',
      'ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"',
      'COPY --from=build /app /app',
      'USER app',
      'CMD ["python", "-m", "app"]',
    ),
  },
  {
    name: 'no fix for a user the runtime image cannot have',
    code: lines('FROM golang:1.22', 'RUN CGO_ENABLED=0 go build -o /app .', 'USER appuser', 'ENTRYPOINT ["/app"]'),
    findings: [{ messageId: 'toolchainBuild', line: 2, column: 19, endLine: 2, endColumn: 37 }],
    output: null,
  },
  {
    name: 'build packages and a toolchain build in one stage: two findings, one fix',
    code: lines('FROM golang:1.22', 'RUN apt-get update && apt-get install -y libsqlite3-dev', 'RUN go build -o /usr/local/bin/app .', 'CMD ["app"]'),
    findings: [
      { messageId: 'buildPackages', line: 2, column: 23, endLine: 2, endColumn: 56, messageIncludes: ['libsqlite3-dev'] },
      { messageId: 'toolchainBuild', line: 3, column: 5, endLine: 3, endColumn: 37 },
    ],
    output: lines(
      'FROM golang:1.22 AS build',
      'RUN apt-get update && apt-get install -y libsqlite3-dev',
      'RUN go build -o /usr/local/bin/app .',
      'CMD ["app"]',
      '',
      'FROM debian:stable-slim',
      'COPY --from=build /usr/local/bin/app /usr/local/bin/app',
      'CMD ["app"]',
    ),
  },
  {
    name: 'build tools installed in a stage the final stage is built FROM',
    code: lines(
      'FROM python:3.12-slim AS base',
      'RUN apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*',
      'FROM base',
      'COPY . /app',
      'RUN pip install --no-cache-dir /app',
      'CMD ["python", "-m", "app"]',
    ),
    findings: [{ messageId: 'buildPackages', line: 2, column: 23, endLine: 2, endColumn: 69 }],
    output: lines(
      'FROM python:3.12-slim AS base',
      'RUN apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*',
      'FROM base AS build',
      'RUN python -m venv /opt/venv',
      'ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"',
      'COPY . /app',
      'RUN pip install --no-cache-dir /app',
      'CMD ["python", "-m", "app"]',
      '',
      'FROM python:3.12-slim',
      'COPY --from=build /opt/venv /opt/venv',
      'ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"',
      '# TODO(slimfile): copy your build output here',
      'COPY --from=build /path/to/artifact /app/',
      'CMD ["python", "-m", "app"]',
    ),
  },
  {
    name: 'dnf installs count too',
    code: lines('FROM fedora:40', 'RUN dnf install -y gcc-c++ make && make', 'CMD ["/app"]'),
    findings: [{ messageId: 'buildPackages', line: 2, column: 5, endLine: 2, endColumn: 32, messageIncludes: ['dnf install puts build tools in the shipped image: gcc-c++, make.'] }],
    output: lines(
      'FROM fedora:40 AS build',
      'RUN dnf install -y gcc-c++ make && make',
      'CMD ["/app"]',
      '',
      'FROM fedora:40',
      '# TODO(slimfile): copy your build output here',
      'COPY --from=build /path/to/artifact /app/',
      'CMD ["/app"]',
    ),
  },
  {
    name: 'apk installs count too',
    code: lines('FROM alpine:3.20', 'RUN apk add --no-cache build-base linux-headers', 'RUN make', 'CMD ["/app"]'),
    findings: [{ messageId: 'buildPackages', line: 2, column: 5, endLine: 2, endColumn: 48, messageIncludes: ['apk add puts build tools in the shipped image: build-base, linux-headers.'] }],
    output: lines(
      'FROM alpine:3.20 AS build',
      'RUN apk add --no-cache build-base linux-headers',
      'RUN make',
      'CMD ["/app"]',
      '',
      'FROM alpine:3.20',
      '# TODO(slimfile): copy your build output here',
      'COPY --from=build /path/to/artifact /app/',
      'CMD ["/app"]',
    ),
  },
];

ruleTester.run(rule, {
  valid: [
    { name: 'quiet for a multi-stage build that is already right', code: lines('FROM golang:1.22 AS build', 'RUN CGO_ENABLED=0 go build -o /out/app .', 'FROM gcr.io/distroless/static-debian12', 'COPY --from=build /out/app /app', 'ENTRYPOINT ["/app"]') },
    { name: 'quiet for build tools in a build-only stage', code: lines('FROM python:3.12 AS build', 'RUN apt-get update && apt-get install -y gcc libpq-dev', 'RUN pip wheel -w /wheels psycopg2', 'FROM python:3.12-slim', 'COPY --from=build /wheels /wheels') },
    { name: 'quiet for FROM scratch', code: lines('FROM rust:1.78 AS build', 'RUN cargo build --release', 'FROM scratch', 'COPY --from=build /src/target/release/app /app') },
    { name: 'quiet when apk del removes the virtual package', code: lines('FROM python:3.12-alpine', 'RUN apk add --no-cache --virtual .build-deps gcc musl-dev && pip install cffi && apk del .build-deps') },
    { name: 'quiet when a later RUN purges the packages', code: lines('FROM debian:bookworm-slim', 'RUN apt-get update && apt-get install -y gcc make', 'RUN make && make install', 'RUN apt-get purge -y gcc make') },
    {
      name: "quiet after apt-mark auto and purge --auto-remove (the official images' pattern)",
      code: lines(
        'FROM debian:bookworm-slim',
        'RUN set -eux; savedAptMark="$(apt-mark showmanual)"; apt-get update; apt-get install -y --no-install-recommends gcc libc6-dev make; make; apt-mark auto \'.*\' > /dev/null; apt-mark manual $savedAptMark; apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false',
      ),
    },
    { name: 'quiet for yum remove after yum install', code: lines('FROM rockylinux:9', 'RUN yum install -y gcc && make && yum remove -y gcc') },
    { name: 'quiet for a toolchain image that builds nothing', code: lines('FROM golang:1.22', 'COPY app /app', 'CMD ["/app"]') },
    { name: 'quiet for runtime packages', code: lines('FROM debian:bookworm-slim', 'RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates libpq5') },
    { name: 'quiet for a stage the target leaves out', code: lines('FROM ubuntu:24.04 AS dev', 'RUN apt-get update && apt-get install -y build-essential', 'FROM ubuntu:24.04 AS prod', 'CMD ["bash"]'), target: 'prod' },
    lines('FROM ubuntu:24.04', 'RUN echo "apt-get install -y gcc"'),
    lines('FROM node:20-slim', 'RUN npm ci --omit=dev', 'CMD ["node", "server.js"]'),
    lines('FROM fedora:40', 'RUN dnf install -y httpd && dnf clean all'),
  ],
  invalid,
});

describe('build-tools-in-final-stage: the multi-stage conversion', () => {
  for (const c of invalid) {
    if (c.output === null) continue;
    it(`leaves no toolchain in the image: ${c.name}`, () => {
      const before = analyze(c.code);
      const edits = convertToMultiStage(before, c.target);
      assert.ok(edits, 'a conversion is offered');
      const after = applyEdits(c.code, edits);
      assert.deepEqual(parseProblems(c.code, after), [], `parses:\n${after}`);
      assert.equal(analyze(after).stages.length, before.stages.length + 1, 'one more stage');
      const again = lint(after, { rules: { [rule.meta.id]: 'warning' }, target: c.target }, [rule]);
      assert.deepEqual(again.findings.map((f) => f.message), [], `no finding after the conversion:\n${after}`);
      const runtime = analyze(after).finalStage(c.target);
      assert.ok(runtime && !runtime.instructions.some((i) => /\b(?:go|cargo|mvn|gradle|dotnet) (?:build|publish|package)/.test(i.text)), 'the runtime stage builds nothing');
    });
  }

  it('is offered as a suggestion, never applied by fix-all', () => {
    const result = lint(GO, { rules: { [rule.meta.id]: 'warning' } }, [rule]);
    assert.deepEqual(result.findings[0].fixes?.map((f) => [f.title, !!f.safe, !!f.preferred]), [['Convert to a multi-stage build', false, true]]);
  });

  it('returns nothing for Windows images and backtick-escaped files', () => {
    assert.equal(convertToMultiStage(analyze(lines('FROM mcr.microsoft.com/dotnet/sdk:8.0-windowsservercore-ltsc2022', 'RUN dotnet publish -o C:/out'))), undefined);
    assert.equal(convertToMultiStage(analyze(lines('# escape=`', 'FROM golang:1.22', 'RUN go build -o /app .'))), undefined);
  });

  it('keeps every byte of the build stage except the added name', () => {
    const code = lines('# build it', 'FROM golang:1.22   ', 'RUN CGO_ENABLED=0 go build \\', '    -o /bin/x .   # compile', '', '# done', '');
    const edits = convertToMultiStage(analyze(code));
    assert.ok(edits);
    const after = applyEdits(code, edits);
    assert.ok(after.startsWith('# build it\nFROM golang:1.22 AS build   \nRUN CGO_ENABLED=0 go build \\\n    -o /bin/x .   # compile'), after);
    assert.ok(after.endsWith('\n\n# done\n\n'), after);
  });
});

describe('build-tools-in-final-stage: build packages', () => {
  it('knows compilers, headers and build systems, and not runtime packages', () => {
    for (const p of ['gcc', 'g++', 'gcc-12', 'clang-15', 'make', 'cmake', 'build-essential', 'build-base', 'linux-headers', 'linux-headers-generic', 'libpq-dev', 'openssl-devel', 'kernel-devel', 'cargo', 'rustc', 'golang-go', 'maven', 'gradle', 'openjdk-17-jdk', 'musl-dev']) {
      assert.ok(isBuildPackage(p), p);
    }
    for (const p of ['curl', 'ca-certificates', 'libpq5', 'openjdk-17-jre-headless', 'python3', 'git', 'udev', 'nodejs', 'devscripts-el']) {
      assert.ok(!isBuildPackage(p), p);
    }
  });
});
