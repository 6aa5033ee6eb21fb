import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { imageHover } from '../../server/src/rules/image-hover';
import { analyze } from '../../server/src/analysis/model';
import { lines } from '../helpers/rule-tester';

/** The hover at the first `|` of the text (the marker is removed). */
function hoverAt(marked: string, target?: string): string | undefined {
  const offset = marked.indexOf('|');
  assert.ok(offset >= 0, 'the text marks the hover position with |');
  return imageHover(analyze(marked.slice(0, offset) + marked.slice(offset + 1)), offset, target);
}

describe('image-hover', () => {
  it('shows the size and the smaller variants of a FROM image, with the musl caveat', () => {
    assert.equal(
      hoverAt(lines('FROM pyt|hon:3.12', 'CMD ["python"]')),
      [
        '`python:3.12`: about 370 MB compressed (linux/amd64).',
        '',
        'Smaller variants:',
        '- `python:3.12-slim`: about 45 MB',
        '- `python:3.12-alpine`: about 20 MB (musl libc, not glibc)',
        '',
        '_Approximate: Docker Hub compressed size of python:3.12 linux/amd64 as listed on the tag page, 2024 (recalled, not re-checked: Docker Hub cannot be reached from where this table was written)._',
      ].join('\n'),
    );
  });

  it('works anywhere on the FROM line, keyword and stage name included', () => {
    const a = hoverAt(lines('|FROM eclipse-temurin:21-jdk AS run', 'CMD ["java"]'));
    const b = hoverAt(lines('FROM eclipse-temurin:21-jdk AS ru|n', 'CMD ["java"]'));
    assert.equal(a, b);
    assert.ok(a?.startsWith('`eclipse-temurin:21-jdk`: about 190 MB compressed (linux/amd64).\n\nA toolchain image'), a);
    assert.ok(a?.includes('- `eclipse-temurin:21-jre`: about 95 MB (runtime only)'), a);
    assert.ok(a?.includes('- `eclipse-temurin:21-jre-alpine`: about 65 MB (musl libc, not glibc; runtime only)'), a);
    assert.ok(a?.includes('- `gcr.io/distroless/java21-debian12`: about 85 MB (no shell or package manager; its ENTRYPOINT is java -jar)'), a);
  });

  it('uses the ARG-resolved reference and keeps a registry prefix', () => {
    assert.ok(hoverAt(lines('ARG PY=3.11', 'FROM docker.io/library/python:${P|Y}'))?.startsWith('`docker.io/library/python:3.11`: about 370 MB'));
  });

  it('notes a build-only stage', () => {
    const text = lines('FROM golang:1.22 AS bu|ild', 'RUN go build -o /app .', 'FROM scratch', 'COPY --from=build /app /app');
    const hover = hoverAt(text);
    assert.ok(hover?.includes('\n\n_Build-only stage: its image does not ship, only what later stages copy out of it._\n\n_Approximate'), hover);
    assert.ok(!hoverAt(text, 'build')?.includes('Build-only'), 'with the target naming it, the stage ships');
  });

  it('describes scratch and small images without smaller variants', () => {
    assert.equal(hoverAt(lines('FROM scr|atch', 'COPY app /app')), '`scratch`: Docker’s empty image; nothing is pulled (0 MB).');
    assert.equal(
      hoverAt(lines('FROM alpine:3.2|0')),
      '`alpine:3.20`: about 3.6 MB compressed (linux/amd64).\n\n_Approximate: Docker Hub compressed size of alpine:3.20 linux/amd64 as listed on the tag page, 2024 (recalled, not re-checked: Docker Hub cannot be reached from where this table was written)._',
    );
  });

  it('is undefined elsewhere', () => {
    assert.equal(hoverAt(lines('FROM python:3.12', 'RUN pip inst|all flask')), undefined, 'a RUN');
    assert.equal(hoverAt(lines('FROM python:3.12-slim AS base', 'FROM ba|se')), undefined, 'a stage reference');
    assert.equal(hoverAt(lines('FROM myorg/im|age:1')), undefined, 'an unknown image');
    assert.equal(hoverAt(lines('FROM mcr.microsoft.com/windows/servercore:ltsc20|22')), undefined, 'a Windows image');
    assert.equal(hoverAt(lines('ARG PY', 'FROM python:${P|Y}')), undefined, 'an unresolved tag');
    assert.equal(hoverAt(lines('# FROM pyt|hon:3.12')), undefined, 'a comment');
    assert.equal(hoverAt('|'), undefined, 'an empty file');
  });
});
