import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../server/src/rules/pip-no-cache';
import { ruleTester, lines } from '../helpers/rule-tester';
import { lint } from '../../server/src/engine/lint';

const PY = 'FROM python:3.12-slim';
const MOUNT = 'Use a BuildKit cache mount on /root/.cache/pip';

ruleTester.run(rule, {
  valid: [
    lines(PY, 'RUN pip install --no-cache-dir flask'),
    lines(PY, 'RUN pip --no-cache-dir install flask'),
    lines(PY, 'RUN python3 -m pip install --no-cache-dir -r requirements.txt'),
    lines(PY, 'RUN --mount=type=cache,target=/root/.cache/pip pip install flask'),
    lines(PY, 'RUN --mount=type=cache,target=/root/.cache pip install flask'),
    lines(PY, 'RUN --mount=type=tmpfs,target=/root/.cache/pip pip install flask'),
    lines(PY, 'USER app', 'RUN --mount=type=cache,target=/home/app/.cache/pip,uid=1000 pip install --user flask'),
    lines(PY, 'ENV PIP_NO_CACHE_DIR=1', 'RUN pip install flask'),
    lines(PY, 'ENV PIP_NO_CACHE_DIR off', 'RUN pip install flask'),
    lines(PY, 'ENV LANG=C.UTF-8 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1', 'RUN pip install flask'),
    lines(PY, 'ARG PIP_NO_CACHE_DIR=1', 'RUN pip install flask'),
    {
      name: 'quiet when PIP_NO_CACHE_DIR is set in the stage this one is built FROM',
      code: lines(`${PY} AS base`, 'ENV PIP_NO_CACHE_DIR=1', 'FROM base AS app', 'RUN pip install flask'),
    },
    lines(PY, 'RUN PIP_NO_CACHE_DIR=1 pip install flask'),
    lines(PY, 'RUN env PIP_NO_CACHE_DIR=1 python -m pip install flask'),
    lines(PY, 'RUN export PIP_NO_CACHE_DIR=1 && pip install flask'),
    lines(PY, 'RUN pip install flask && pip cache purge'),
    lines(PY, 'RUN python3 -m pip install flask && python3 -m pip cache purge'),
    lines(PY, 'RUN pip install flask && rm -rf ~/.cache/pip'),
    lines(PY, 'RUN pip install flask && rm -rf $HOME/.cache/pip'),
    lines(PY, 'RUN pip install flask && rm -rf /root/.cache'),
    lines(PY, 'RUN pip install flask; rm -rf /root/.cache/pip/*'),
    lines(PY, 'USER app', 'RUN pip install --user flask && rm -rf /home/app/.cache/pip'),
    lines(PY, 'RUN pip install --cache-dir /tmp/pip flask && rm -rf /tmp/pip'),
    lines(PY, 'RUN pip download -d /wheels flask'),
    lines(PY, 'RUN pip uninstall -y flask'),
    lines(PY, 'RUN pip freeze > requirements.txt'),
    lines(PY, 'RUN pip install --help'),
    lines(PY, 'RUN pip-tools install flask'),
    lines(PY, 'RUN pipx install black'),
    lines(PY, 'RUN uv pip install flask'),
    lines(PY, 'RUN python -c "import pip" install'),
    lines(PY, 'RUN python manage.py install'),
    lines(PY, 'RUN echo "pip install flask"'),
    lines(PY, '# RUN pip install flask'),
    lines(PY, 'RUN ["pip", "install", "--no-cache-dir", "flask"]'),
    lines(PY, 'RUN <<EOF', 'pip install --no-cache-dir flask', 'EOF'),
  ],
  invalid: [
    {
      code: lines(PY, 'RUN pip install flask'),
      findings: [{ messageId: 'missingFlag', line: 2, column: 5, endLine: 2, endColumn: 22, messageIncludes: ['pip install', '30 MB', '--no-cache-dir'] }],
      output: lines(PY, 'RUN pip install --no-cache-dir flask'),
      fixes: [
        { title: 'Add --no-cache-dir', output: lines(PY, 'RUN pip install --no-cache-dir flask') },
        { title: MOUNT, output: lines(PY, 'RUN --mount=type=cache,target=/root/.cache/pip pip install flask') },
      ],
    },
    {
      name: 'pip3.12 and a virtual environment pip',
      code: lines(PY, 'RUN pip3.12 install -U pip && /opt/venv/bin/pip install -r requirements.txt'),
      findings: [
        { messageId: 'missingFlag', line: 2, column: 5, endLine: 2, endColumn: 27, messageIncludes: ['pip3.12 install'] },
        { messageId: 'missingFlag', line: 2, column: 31, endLine: 2, endColumn: 76 },
      ],
      output: lines(PY, 'RUN pip3.12 install --no-cache-dir -U pip && /opt/venv/bin/pip install --no-cache-dir -r requirements.txt'),
    },
    {
      name: 'python -m pip with interpreter and pip options before the subcommand',
      code: lines(PY, 'RUN python3.11 -u -m pip -q --disable-pip-version-check install --upgrade pip'),
      findings: [{ messageId: 'missingFlag', line: 2, column: 5, endLine: 2, endColumn: 78, messageIncludes: ['python3.11 -m pip install'] }],
      output: lines(PY, 'RUN python3.11 -u -m pip -q --disable-pip-version-check install --no-cache-dir --upgrade pip'),
    },
    {
      name: 'a pip option with a value before the subcommand',
      code: lines(PY, 'RUN python -m pip --timeout 60 install flask'),
      findings: [{ messageId: 'missingFlag', line: 2, column: 5, endLine: 2, endColumn: 45 }],
      output: lines(PY, 'RUN python -m pip --timeout 60 install --no-cache-dir flask'),
    },
    {
      name: 'sudo and line continuations',
      code: lines('FROM ubuntu:24.04', 'RUN apt-get update && \\', '    sudo -H pip3 install \\', '      requests'),
      findings: [{ messageId: 'missingFlag', line: 3, column: 13, endLine: 4, endColumn: 15 }],
      output: lines('FROM ubuntu:24.04', 'RUN apt-get update && \\', '    sudo -H pip3 install --no-cache-dir \\', '      requests'),
    },
    {
      name: 'a purge before the install does not count',
      code: lines(PY, 'RUN pip cache purge && pip install flask'),
      findings: [{ messageId: 'missingFlag', line: 2, column: 24, endLine: 2, endColumn: 41 }],
      output: lines(PY, 'RUN pip cache purge && pip install --no-cache-dir flask'),
    },
    {
      name: 'a removal before the install does not count',
      code: lines(PY, 'RUN rm -rf /root/.cache/pip && pip install flask'),
      findings: [{ messageId: 'missingFlag', line: 2, column: 32, endLine: 2, endColumn: 49 }],
      output: lines(PY, 'RUN rm -rf /root/.cache/pip && pip install --no-cache-dir flask'),
    },
    {
      name: 'ENV after the RUN does not count',
      code: lines(PY, 'RUN pip install flask', 'ENV PIP_NO_CACHE_DIR=1'),
      findings: [{ messageId: 'missingFlag', line: 2, column: 5, endLine: 2, endColumn: 22 }],
      output: lines(PY, 'RUN pip install --no-cache-dir flask', 'ENV PIP_NO_CACHE_DIR=1'),
    },
    {
      name: 'ENV in an unrelated stage does not count',
      code: lines(`${PY} AS deps`, 'ENV PIP_NO_CACHE_DIR=1', PY, 'RUN pip install flask'),
      findings: [{ messageId: 'missingFlag', line: 4, column: 5, endLine: 4, endColumn: 22 }],
      output: lines(`${PY} AS deps`, 'ENV PIP_NO_CACHE_DIR=1', PY, 'RUN pip install --no-cache-dir flask'),
    },
    {
      name: 'an empty PIP_NO_CACHE_DIR does not count',
      code: lines(PY, 'ENV PIP_NO_CACHE_DIR=', 'RUN pip install flask'),
      findings: [{ messageId: 'missingFlag', line: 3, column: 5, endLine: 3, endColumn: 22 }],
      output: lines(PY, 'ENV PIP_NO_CACHE_DIR=', 'RUN pip install --no-cache-dir flask'),
    },
    {
      name: 'bash -c script',
      code: lines(PY, `RUN bash -c 'pip install flask && echo done'`),
      findings: [{ messageId: 'missingFlag', line: 2, column: 14, endLine: 2, endColumn: 31 }],
      output: lines(PY, `RUN bash -c 'pip install --no-cache-dir flask && echo done'`),
    },
    {
      name: 'exec form without a shell',
      code: lines(PY, 'RUN ["pip", "install", "flask"]'),
      findings: [{ messageId: 'missingFlag', line: 2, column: 7, endLine: 2, endColumn: 30 }],
      output: lines(PY, 'RUN ["pip", "install", "--no-cache-dir", "flask"]'),
      fixes: [
        { title: 'Add --no-cache-dir', output: lines(PY, 'RUN ["pip", "install", "--no-cache-dir", "flask"]') },
        { title: MOUNT, output: lines(PY, 'RUN --mount=type=cache,target=/root/.cache/pip ["pip", "install", "flask"]') },
      ],
    },
    {
      name: 'exec form with sh -c',
      code: lines(PY, 'RUN ["sh", "-c", "python -m pip install flask"]'),
      findings: [{ messageId: 'missingFlag', line: 2, column: 19, endLine: 2, endColumn: 46 }],
      output: lines(PY, 'RUN ["sh", "-c", "python -m pip install --no-cache-dir flask"]'),
    },
    {
      name: 'heredoc script',
      code: lines(PY, 'RUN <<EOF', 'set -e', 'pip install flask', 'EOF'),
      findings: [{ messageId: 'missingFlag', line: 4, column: 1, endLine: 4, endColumn: 18 }],
      output: lines(PY, 'RUN <<EOF', 'set -e', 'pip install --no-cache-dir flask', 'EOF'),
    },
    {
      name: 'a trailing background operator and comment do not stop the flag fix',
      code: lines(PY, 'RUN pip install flask & # warm up'),
      findings: [{ messageId: 'missingFlag', line: 2, column: 5, endLine: 2, endColumn: 22 }],
      output: lines(PY, 'RUN pip install --no-cache-dir flask & # warm up'),
    },
    {
      name: 'no cache mount suggestion after USER: the cache is in that user\'s home',
      code: lines(PY, 'USER app', 'RUN pip install --user flask'),
      findings: [{ messageId: 'missingFlag', line: 3, column: 5, endLine: 3, endColumn: 29 }],
      output: lines(PY, 'USER app', 'RUN pip install --no-cache-dir --user flask'),
      fixes: [{ title: 'Add --no-cache-dir', output: lines(PY, 'USER app', 'RUN pip install --no-cache-dir --user flask') }],
    },
    {
      name: 'a cache mount elsewhere does not count',
      code: lines(PY, 'RUN --mount=type=cache,target=/var/cache/apt pip install flask'),
      findings: [{ messageId: 'missingFlag', line: 2, column: 46, endLine: 2, endColumn: 63 }],
      output: lines(PY, 'RUN --mount=type=cache,target=/var/cache/apt pip install --no-cache-dir flask'),
    },
    {
      name: 'an inline PIP_NO_CACHE_DIR applies only to its own command',
      code: lines(PY, 'RUN PIP_NO_CACHE_DIR=1 pip install a && pip install b'),
      findings: [{ messageId: 'missingFlag', line: 2, column: 41, endLine: 2, endColumn: 54 }],
      output: lines(PY, 'RUN PIP_NO_CACHE_DIR=1 pip install a && pip install --no-cache-dir b'),
    },
  ],
});

describe('pip-no-cache fixes', () => {
  const config = { rules: { 'pip-no-cache': ['warning', {}] as ['warning', Record<string, unknown>] } };
  it('offers no cache mount on /root after a non-root USER, also one set in the parent stage', () => {
    for (const code of [lines(PY, 'USER app', 'RUN pip install flask'), lines(`${PY} AS base`, 'USER 1000', 'FROM base', 'RUN pip install flask')]) {
      const result = lint(code, config, [rule]);
      assert.deepEqual(result.findings[0]?.fixes?.map((f) => f.title), ['Add --no-cache-dir']);
    }
  });
  it('keeps the cache mount after USER root', () => {
    const result = lint(lines(PY, 'USER app', 'USER root:root', 'RUN pip install flask'), config, [rule]);
    assert.deepEqual(result.findings[0]?.fixes?.map((f) => f.title), ['Add --no-cache-dir', MOUNT]);
  });
});
