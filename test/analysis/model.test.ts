// The Dockerfile model: instructions with offset spans, stages (names, parents, which one is final),
// images with ARG defaults resolved, RUN mounts and removals, COPY facts. It never throws.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, covers, normalizePath, RunInstruction, type ImageRef } from '../../server/src/analysis/model';
import type { Span } from '../../server/src/analysis/text';
import { lines } from '../helpers/rule-tester';

function at(text: string, needle: string, nth = 0): Span {
  let from = -1;
  for (let k = 0; k <= nth; k++) {
    from = text.indexOf(needle, from + 1);
    assert.ok(from >= 0, `${JSON.stringify(needle)} occurs ${nth + 1} times`);
  }
  return { start: from, end: from + needle.length };
}

describe('instructions', () => {
  it('have keywords, indexes, offset spans and line numbers', () => {
    const code = lines('# syntax=docker/dockerfile:1', 'FROM alpine:3.20', 'run --network=none apk add \\', '    curl', 'CMD ["sh"]');
    const model = analyze(code);
    assert.deepEqual(
      model.instructions.map((i) => [i.index, i.keyword, i.startLine, i.endLine]),
      [
        [0, 'FROM', 1, 1],
        [1, 'RUN', 2, 3],
        [2, 'CMD', 4, 4],
      ],
    );
    const run = model.instructions[1];
    assert.ok(run instanceof RunInstruction);
    assert.deepEqual(run.span, at(code, 'run --network=none apk add \\\n    curl'));
    assert.deepEqual(run.keywordSpan, at(code, 'run'));
    assert.deepEqual(run.argsSpan, at(code, 'apk add \\\n    curl'));
    assert.equal(run.argsText, 'apk add \\\n    curl');
    assert.equal(run.text, 'run --network=none apk add \\\n    curl');
    assert.deepEqual(run.flags, [{ name: 'network', value: 'none', span: at(code, '--network=none') }]);
    assert.equal(run.flag('network')?.value, 'none');
    assert.equal(run.flag('mount'), undefined);
  });

  it('a heredoc body belongs to its instruction', () => {
    const code = lines('FROM alpine', 'RUN <<EOF', 'apk add curl', 'EOF', 'USER app');
    const model = analyze(code);
    assert.deepEqual(model.instructions.map((i) => i.keyword), ['FROM', 'RUN', 'USER']);
    assert.equal(model.instructions[1].endLine, 3);
    assert.equal(model.instructions[1].text, 'RUN <<EOF\napk add curl\nEOF');
  });

  it('reads the escape directive', () => {
    assert.equal(analyze(lines('# escape=`', 'FROM x')).escape, '`');
    assert.equal(analyze(lines('FROM x')).escape, '\\');
  });

  it('counts CRLF lines', () => {
    const model = analyze('FROM a\r\nRUN b \\\r\n  c\r\nUSER d\r\n');
    assert.deepEqual(model.instructions.map((i) => [i.keyword, i.startLine, i.endLine]), [
      ['FROM', 0, 0],
      ['RUN', 1, 2],
      ['USER', 3, 3],
    ]);
  });

  it('a RUN before any FROM has no stage but is still read', () => {
    const model = analyze(lines('RUN apk add x', 'FROM alpine'));
    assert.equal(model.instructions[0].stage, undefined);
    assert.equal(model.runs()[0].commands[0].name, 'apk');
  });

  it('never throws on odd input', () => {
    const odd = ['', '\n\n', '# only a comment', 'FROM', 'FROM a AS', 'RUN \\', '\u0000\u0001binary', 'ARG', 'FROM ${', 'RUN ["unterminated', 'RUN <<EOF', '\uFEFFFROM a', 'FROM a\r', '`\\`\\'];
    for (const text of odd) {
      const model = analyze(text);
      for (const i of model.instructions) assert.ok(i.span.start >= 0 && i.span.end <= text.length, JSON.stringify(text));
    }
    assert.equal(analyze('').stages.length, 0);
    assert.equal(analyze('').finalStage(), undefined);
    assert.equal(analyze('').imageStages().size, 0);
  });
});

describe('stages', () => {
  const multi = lines(
    'ARG PY=3.12',
    'FROM python:${PY}-slim AS base',
    'RUN pip install poetry',
    'FROM base AS Dev',
    'RUN pip install pytest',
    'FROM node:20 AS assets',
    'RUN npm ci',
    'FROM base',
    'COPY --from=assets /dist /app',
  );

  it('have names as written, images, parents and their instructions', () => {
    const model = analyze(multi);
    assert.deepEqual(
      model.stages.map((s) => [s.index, s.name, s.image?.resolved, s.parent?.index, s.instructions.map((i) => i.keyword).join(',')]),
      [
        [0, 'base', 'python:3.12-slim', undefined, 'RUN'],
        [1, 'Dev', 'base', 0, 'RUN'],
        [2, 'assets', 'node:20', undefined, 'RUN'],
        [3, undefined, 'base', 0, 'COPY'],
      ],
    );
    assert.equal(model.instructions[2].stage, model.stages[0]);
  });

  it('the final stage is the last one, or the target', () => {
    const model = analyze(multi);
    assert.equal(model.finalStage()?.index, 3);
    assert.equal(model.finalStage('assets')?.index, 2);
    assert.equal(model.finalStage('dev')?.index, 1, 'stage names compare case-insensitively');
    assert.equal(model.finalStage('missing')?.index, 3, 'an unknown target falls back to the last stage');
  });

  it('imageStages are the final stage and the stages it is built FROM', () => {
    const model = analyze(multi);
    const indexes = (target?: string) => [...model.imageStages(target)].map((s) => s.index);
    assert.deepEqual(indexes(), [3, 0]);
    assert.deepEqual(indexes('Dev'), [1, 0]);
    assert.deepEqual(indexes('assets'), [2]);
  });

  it('stageNamed finds by name or by index', () => {
    const model = analyze(multi);
    assert.equal(model.stageNamed('BASE')?.index, 0);
    assert.equal(model.stageNamed('2')?.name, 'assets');
    assert.equal(model.stageNamed('9'), undefined);
    assert.equal(model.stageNamed('nope'), undefined);
  });

  it('a parent can be named through an ARG', () => {
    const model = analyze(lines('ARG BASE=builder', 'FROM alpine AS builder', 'FROM ${BASE}'));
    assert.equal(model.stages[1].parent, model.stages[0]);
  });

  it('a stage named like its own base image refers to the earlier stage', () => {
    const model = analyze(lines('FROM alpine AS app', 'FROM app AS app'));
    assert.equal(model.stages[1].parent, model.stages[0]);
    assert.equal(model.stages[0].parent, undefined);
  });

  it('FROM flags and continuations before AS', () => {
    const code = lines('FROM --platform=$BUILDPLATFORM golang:1.22 \\', '  AS  build');
    const stage = analyze(code).stages[0];
    assert.equal(stage.name, 'build');
    assert.equal(stage.image?.resolved, 'golang:1.22');
    assert.deepEqual(stage.image?.span, at(code, 'golang:1.22'));
  });
});

describe('image references', () => {
  const image = (from: string, args: string[] = []): ImageRef | undefined => analyze(lines(...args, `FROM ${from}`)).stages[0].image;
  const pick = (i: ImageRef | undefined) => i && { registry: i.registry, name: i.name, tag: i.tag, digest: i.digest, resolved: i.resolved, unresolved: i.unresolved };

  const cases: { from: string; args?: string[]; expected: ReturnType<typeof pick> }[] = [
    { from: 'python:3.12-slim', expected: { registry: undefined, name: 'python', tag: '3.12-slim', digest: undefined, resolved: 'python:3.12-slim', unresolved: false } },
    { from: 'ubuntu', expected: { registry: undefined, name: 'ubuntu', tag: undefined, digest: undefined, resolved: 'ubuntu', unresolved: false } },
    {
      from: 'mcr.microsoft.com/dotnet/sdk:8.0',
      expected: { registry: 'mcr.microsoft.com', name: 'dotnet/sdk', tag: '8.0', digest: undefined, resolved: 'mcr.microsoft.com/dotnet/sdk:8.0', unresolved: false },
    },
    {
      from: 'docker.io/library/nginx:1.27@sha256:0123abcd',
      expected: { registry: undefined, name: 'nginx', tag: '1.27', digest: 'sha256:0123abcd', resolved: 'docker.io/library/nginx:1.27@sha256:0123abcd', unresolved: false },
    },
    {
      from: 'alpine@sha256:beef',
      expected: { registry: undefined, name: 'alpine', tag: undefined, digest: 'sha256:beef', resolved: 'alpine@sha256:beef', unresolved: false },
    },
    {
      from: 'localhost:5000/team/App:v1',
      expected: { registry: 'localhost:5000', name: 'team/app', tag: 'v1', digest: undefined, resolved: 'localhost:5000/team/App:v1', unresolved: false },
    },
    { from: 'bitnami/redis:7.2', expected: { registry: undefined, name: 'bitnami/redis', tag: '7.2', digest: undefined, resolved: 'bitnami/redis:7.2', unresolved: false } },
    {
      from: 'python:${V}-slim',
      args: ['ARG V=3.12'],
      expected: { registry: undefined, name: 'python', tag: '3.12-slim', digest: undefined, resolved: 'python:3.12-slim', unresolved: false },
    },
    {
      from: '${REGISTRY:-ghcr.io}/org/app:$TAG',
      args: ['ARG TAG=2'],
      expected: { registry: 'ghcr.io', name: 'org/app', tag: '2', digest: undefined, resolved: 'ghcr.io/org/app:2', unresolved: false },
    },
    { from: 'node:${NODE}', args: ['ARG NODE'], expected: { registry: undefined, name: 'node', tag: undefined, digest: undefined, resolved: 'node:', unresolved: true } },
    { from: '$IMAGE', expected: { registry: undefined, name: '', tag: undefined, digest: undefined, resolved: '', unresolved: true } },
  ];
  for (const c of cases) {
    it(`${c.args ? c.args.join(' ') + ' / ' : ''}FROM ${c.from}`, () => {
      const img = image(c.from, c.args);
      assert.deepEqual(pick(img), c.expected);
      assert.equal(img?.raw, c.from);
    });
  }

  it('the image span covers the reference as written', () => {
    const code = lines('ARG V=3', 'FROM python:${V} AS x');
    assert.deepEqual(analyze(code).stages[0].image?.span, at(code, 'python:${V}'));
  });
});

describe('global ARGs', () => {
  it('are the ARGs before the first FROM, with their defaults', () => {
    const model = analyze(lines('ARG A=1', 'ARG B', "ARG C='q'", 'FROM x', 'ARG D=4'));
    assert.deepEqual([...model.globalArgs], [
      ['A', '1'],
      ['B', undefined],
      ['C', 'q'],
    ]);
  });

  it('several on one line', () => {
    assert.deepEqual([...analyze(lines('ARG A=1 B=2', 'FROM x')).globalArgs], [
      ['A', '1'],
      ['B', '2'],
    ]);
  });

  it('a quoted default with a space is one value', () => {
    assert.deepEqual([...analyze(lines('ARG B="x y" C=z', 'FROM x')).globalArgs], [
      ['B', 'x y'],
      ['C', 'z'],
    ]);
  });

  it('resolveGlobal substitutes $X, ${X}, ${X:-d} and ${X:+w}, and says what stayed unresolved', () => {
    const model = analyze(lines('ARG A=1', 'ARG B', 'ARG C=', 'FROM x'));
    const table: [string, string, boolean][] = [
      ['$A', '1', false],
      ['${A}', '1', false],
      ['a$A-b', 'a1-b', false],
      ['${B:-d}', 'd', false],
      ['${C:-d}', 'd', false],
      ['${A:+set}', 'set', false],
      ['${B:+set}', '', false],
      ['$B', '', true],
      ['${UNKNOWN}', '', true],
      ['plain', 'plain', false],
    ];
    for (const [input, value, unresolved] of table) assert.deepEqual(model.resolveGlobal(input), { value, unresolved }, input);
  });
});

describe('RUN facts', () => {
  it('mounts: type, target (also dst and destination) and options', () => {
    const model = analyze(
      lines(
        'FROM x',
        'RUN --mount=type=cache,target=/root/.cache,sharing=locked pip install a',
        'RUN --mount=type=tmpfs,dst=/tmp true',
        'RUN --mount=from=b,source=/s,destination=/t true',
      ),
    );
    const [cache, tmpfs, bind] = model.runs();
    assert.deepEqual(cache.mounts.map((m) => [m.type, m.target, m.options.get('sharing')]), [['cache', '/root/.cache', 'locked']]);
    assert.deepEqual(tmpfs.mounts.map((m) => [m.type, m.target]), [['tmpfs', '/tmp']]);
    assert.deepEqual(bind.mounts.map((m) => [m.type, m.target]), [['bind', '/t']], 'bind is the default type');
    assert.equal(cache.hasCacheMount('/root/.cache/pip'), true);
    assert.equal(cache.hasCacheMount('/root/.npm'), false);
    assert.equal(tmpfs.hasCacheMount('/tmp/build'), true);
    assert.equal(bind.hasCacheMount('/t'), false, 'a bind mount is not a cache');
  });

  it('removesPath: a later rm of the path, a parent or its contents', () => {
    const model = analyze(lines('FROM x', 'RUN apt-get update && apt-get install -y x \\', '  && rm -rf /var/lib/apt/lists/*', 'RUN rm -rf ~/.cache'));
    const [apt, home] = model.runs();
    assert.equal(apt.removesPath('/var/lib/apt/lists', 1), true);
    assert.equal(apt.removesPath('/var/lib/apt/lists', 2), false, 'only commands after the given index count');
    assert.equal(apt.removesPath('/var/lib/apt', 0), false, 'removing a child does not remove the parent');
    assert.equal(home.removesPath('/root/.cache/pip', -1), true, '~ is /root');
  });

  it('commandsNamed filters by name and first positional', () => {
    const run = analyze(lines('FROM x', 'RUN apt-get update && apt-get -y install curl && apt install y && apk add z')).runs()[0];
    assert.deepEqual(run.commandsNamed(['apt-get', 'apt'], ['install']).map((c) => c.index), [1, 2]);
    assert.deepEqual(run.commandsNamed(['apt-get']).map((c) => c.index), [0, 1]);
    assert.deepEqual(run.commandsNamed(['apk'], ['del']), []);
  });

  it('covers and normalizePath', () => {
    assert.equal(covers('/var/cache', '/var/cache/apk'), true);
    assert.equal(covers('/var/cache/', '/var/cache'), true);
    assert.equal(covers('/var/cach', '/var/cache'), false);
    assert.equal(covers('/', '/anything'), true);
    assert.equal(covers('$HOME/.npm', '/root/.npm/_cacache'), true);
    assert.equal(normalizePath('${HOME}//.cache'), '/root/.cache');
    assert.equal(normalizePath('~user/x'), '~user/x', 'another user’s home is not /root');
  });
});

describe('COPY and ADD facts', () => {
  it('sources, destination, --from and heredocs', () => {
    const model = analyze(lines('FROM a', 'copy --from=b --chown=1 src/ a.txt /dst/', 'ADD https://x/y.tgz /opt/', 'COPY ["a b", "/c"]', 'COPY <<EOF /etc/x', 'hi', 'EOF'));
    assert.deepEqual(
      model.copies().map((c) => [c.instruction.keyword, c.from, c.heredoc, c.sources.map((s) => s.value), c.dest?.value]),
      [
        ['COPY', 'b', false, ['src/', 'a.txt'], '/dst/'],
        ['ADD', undefined, false, ['https://x/y.tgz'], '/opt/'],
        ['COPY', undefined, false, ['a b'], '/c'],
        ['COPY', undefined, true, [], '/etc/x'],
      ],
    );
  });
});
