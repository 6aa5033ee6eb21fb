// The RUN reader: which commands a RUN runs, their words after quote removal, and the exact document
// spans of those words through continuations, comments, JSON escapes, heredocs and `sh -c` strings.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, type RunInstruction } from '../../server/src/analysis/model';
import { applyEdits, type Span } from '../../server/src/analysis/text';
import { parseJsonArray, shellFormSource, verbatimSource, docSpan } from '../../server/src/analysis/shell/source';
import { parseScript } from '../../server/src/analysis/shell/parse';
import { lines } from '../helpers/rule-tester';

/** The first RUN of a file. */
function firstRun(text: string): RunInstruction {
  const run = analyze(text).runs()[0];
  assert.ok(run, 'the file has a RUN');
  return run;
}

/** The span of the `nth` occurrence (from 0) of `needle` in `text`. */
function at(text: string, needle: string, nth = 0): Span {
  let from = -1;
  for (let k = 0; k <= nth; k++) {
    from = text.indexOf(needle, from + 1);
    assert.ok(from >= 0, `${JSON.stringify(needle)} occurs ${nth + 1} times`);
  }
  return { start: from, end: from + needle.length };
}

interface ExpectedCommand {
  name: string;
  /** Word values after quote removal, prefixes included. */
  words: string[];
  /** The command's span (command word to last argument), as written in the document. */
  text: string;
  separator?: string;
}

interface ShellCase {
  name: string;
  code: string;
  form?: 'shell' | 'exec' | 'heredoc';
  commands: ExpectedCommand[];
}

const cases: ShellCase[] = [
  {
    name: 'a plain command',
    code: lines('FROM alpine', 'RUN apk add curl'),
    commands: [{ name: 'apk', words: ['apk', 'add', 'curl'], text: 'apk add curl' }],
  },
  {
    name: '&&, ||, ; and | chains in execution order with their separators',
    code: lines('FROM alpine', 'RUN a 1 && b 2 || c 3; d 4 | e 5'),
    commands: [
      { name: 'a', words: ['a', '1'], text: 'a 1', separator: '&&' },
      { name: 'b', words: ['b', '2'], text: 'b 2', separator: '||' },
      { name: 'c', words: ['c', '3'], text: 'c 3', separator: ';' },
      { name: 'd', words: ['d', '4'], text: 'd 4', separator: '|' },
      { name: 'e', words: ['e', '5'], text: 'e 5' },
    ],
  },
  {
    name: 'a command spanning backslash continuations keeps the continuation in its span',
    code: lines('FROM debian', 'RUN apt-get update && \\', '    apt-get install -y \\', '      curl'),
    commands: [
      { name: 'apt-get', words: ['apt-get', 'update'], text: 'apt-get update', separator: '&&' },
      { name: 'apt-get', words: ['apt-get', 'install', '-y', 'curl'], text: 'apt-get install -y \\\n      curl' },
    ],
  },
  {
    name: 'comment and blank lines inside a continuation are dropped, as Docker does',
    code: lines('FROM debian', 'RUN apt-get install -y \\', '  # the client', '', '    # more', '  curl'),
    commands: [{ name: 'apt-get', words: ['apt-get', 'install', '-y', 'curl'], text: 'apt-get install -y \\\n  # the client\n\n    # more\n  curl' }],
  },
  {
    name: 'a continuation without a blank before it joins onto the next line’s indentation',
    code: lines('FROM alpine', 'RUN apk add x\\', '  y'),
    commands: [{ name: 'apk', words: ['apk', 'add', 'x', 'y'], text: 'apk add x\\\n  y' }],
  },
  {
    name: 'sudo with options, env with assignments and a path to the binary are prefixes',
    code: lines('FROM alpine', 'RUN sudo -u app env X=1 Y=2 /sbin/apk add curl'),
    commands: [{ name: 'apk', words: ['sudo', '-u', 'app', 'env', 'X=1', 'Y=2', '/sbin/apk', 'add', 'curl'], text: '/sbin/apk add curl' }],
  },
  {
    name: 'assignments before a command, and a command that is only an assignment',
    code: lines('FROM alpine', 'RUN FOO=bar BAZ="q u" apk add x && X=2'),
    commands: [
      { name: 'apk', words: ['FOO=bar', 'BAZ=q u', 'apk', 'add', 'x'], text: 'apk add x', separator: '&&' },
      { name: '', words: ['X=2'], text: 'X=2' },
    ],
  },
  {
    name: 'set -e is a command of its own; then and fi do not hide the command',
    code: lines('FROM alpine', 'RUN set -e; if [ -f x ]; then apk add y; fi'),
    commands: [
      { name: 'set', words: ['set', '-e'], text: 'set -e', separator: ';' },
      { name: '[', words: ['if', '[', '-f', 'x', ']'], text: '[ -f x ]', separator: ';' },
      { name: 'apk', words: ['then', 'apk', 'add', 'y'], text: 'apk add y', separator: ';' },
      { name: '', words: ['fi'], text: 'fi' },
    ],
  },
  {
    name: 'nice, exec and gosu are prefixes',
    code: lines('FROM alpine', 'RUN nice -n 10 apk add x; exec gosu app apk add y'),
    commands: [
      { name: 'apk', words: ['nice', '-n', '10', 'apk', 'add', 'x'], text: 'apk add x', separator: ';' },
      { name: 'apk', words: ['exec', 'gosu', 'app', 'apk', 'add', 'y'], text: 'apk add y' },
    ],
  },
  {
    name: 'quoted text is one word and never a command',
    code: lines('FROM alpine', `RUN echo "apk add curl" 'apk add git'`),
    commands: [{ name: 'echo', words: ['echo', 'apk add curl', 'apk add git'], text: `echo "apk add curl" 'apk add git'` }],
  },
  {
    name: 'escaped quotes do not open a string',
    code: lines('FROM alpine', 'RUN echo \\"apk add x\\"'),
    commands: [{ name: 'echo', words: ['echo', '"apk', 'add', 'x"'], text: 'echo \\"apk add x\\"' }],
  },
  {
    name: '$(...), backticks and ${...} stay inside the word, as written',
    code: lines('FROM alpine', 'RUN echo "$(apk add x)" `apk add y` ${X:-apk add} $((1+2))'),
    commands: [
      {
        name: 'echo',
        words: ['echo', '$(apk add x)', '`apk add y`', '${X:-apk add}', '$((1+2))'],
        text: 'echo "$(apk add x)" `apk add y` ${X:-apk add} $((1+2))',
      },
    ],
  },
  {
    name: 'redirections and their targets are not words',
    code: lines('FROM alpine', 'RUN apk add x 2>&1 >/dev/null && echo done &> log'),
    commands: [
      { name: 'apk', words: ['apk', 'add', 'x'], text: 'apk add x', separator: '&&' },
      { name: 'echo', words: ['echo', 'done'], text: 'echo done' },
    ],
  },
  {
    name: 'subshells: commands inside parentheses are read',
    code: lines('FROM alpine', 'RUN (cd src && make) && echo y'),
    commands: [
      { name: 'cd', words: ['cd', 'src'], text: 'cd src', separator: '&&' },
      { name: 'make', words: ['make'], text: 'make', separator: ')' },
      { name: 'echo', words: ['echo', 'y'], text: 'echo y' },
    ],
  },
  {
    name: 'sh -c: the nested script follows its wrapper, with spans inside the quoted string',
    code: lines('FROM alpine', 'RUN sh -c "apk add curl && echo ok"'),
    commands: [
      { name: 'sh', words: ['sh', '-c', 'apk add curl && echo ok'], text: 'sh -c "apk add curl && echo ok"' },
      { name: 'apk', words: ['apk', 'add', 'curl'], text: 'apk add curl', separator: '&&' },
      { name: 'echo', words: ['echo', 'ok'], text: 'echo ok' },
    ],
  },
  {
    name: 'bash -o pipefail -ec with single quotes',
    code: lines('FROM debian', `RUN bash -o pipefail -ec 'apt-get update && apt-get install -y $(cat pkgs)'`),
    commands: [
      { name: 'bash', words: ['bash', '-o', 'pipefail', '-ec', 'apt-get update && apt-get install -y $(cat pkgs)'], text: `bash -o pipefail -ec 'apt-get update && apt-get install -y $(cat pkgs)'` },
      { name: 'apt-get', words: ['apt-get', 'update'], text: 'apt-get update', separator: '&&' },
      { name: 'apt-get', words: ['apt-get', 'install', '-y', '$(cat pkgs)'], text: 'apt-get install -y $(cat pkgs)' },
    ],
  },
  {
    name: 'sh -c inside a pipeline',
    code: lines('FROM alpine', 'RUN echo x | sh -c "apk add y" || true'),
    commands: [
      { name: 'echo', words: ['echo', 'x'], text: 'echo x', separator: '|' },
      { name: 'sh', words: ['sh', '-c', 'apk add y'], text: 'sh -c "apk add y"', separator: '||' },
      { name: 'apk', words: ['apk', 'add', 'y'], text: 'apk add y' },
      { name: 'true', words: ['true'], text: 'true' },
    ],
  },
  {
    name: 'sh -c across a Dockerfile continuation',
    code: lines('FROM alpine', 'RUN sh -c "apk add \\', '    curl"'),
    commands: [
      { name: 'sh', words: ['sh', '-c', 'apk add     curl'], text: 'sh -c "apk add \\\n    curl"' },
      { name: 'apk', words: ['apk', 'add', 'curl'], text: 'apk add \\\n    curl' },
    ],
  },
  {
    name: 'exec form: JSON strings are decoded, spans cover the elements',
    code: lines('FROM alpine', 'RUN ["apk", "add", "curl"]'),
    form: 'exec',
    commands: [{ name: 'apk', words: ['apk', 'add', 'curl'], text: 'apk", "add", "curl' }],
  },
  {
    name: 'exec form with sh -c and JSON escapes (\\" and \\u0063)',
    code: lines('FROM alpine', 'RUN ["/bin/sh", "-c", "echo \\"a b\\" && apk add \\u0063url"]'),
    form: 'exec',
    commands: [
      { name: 'sh', words: ['/bin/sh', '-c', 'echo "a b" && apk add curl'], text: '/bin/sh", "-c", "echo \\"a b\\" && apk add \\u0063url' },
      { name: 'echo', words: ['echo', 'a b'], text: 'echo \\"a b\\"', separator: '&&' },
      { name: 'apk', words: ['apk', 'add', 'curl'], text: 'apk add \\u0063url' },
    ],
  },
  {
    name: 'something that looks like JSON but is not an array of strings runs as shell form',
    code: lines('FROM alpine', 'RUN ["apk" "add"]'),
    form: 'shell',
    commands: [{ name: '[apk', words: ['[apk', 'add]'], text: '["apk" "add"]' }],
  },
  {
    name: 'heredoc script: the body is the script',
    code: lines('FROM alpine', 'RUN <<EOF', 'set -e', 'apk add \\', '  curl', 'EOF'),
    form: 'heredoc',
    commands: [
      { name: 'set', words: ['set', '-e'], text: 'set -e', separator: '\n' },
      { name: 'apk', words: ['apk', 'add', 'curl'], text: 'apk add \\\n  curl' },
    ],
  },
  {
    name: 'heredoc handed to a shell named after the delimiter',
    code: lines('FROM alpine', 'RUN <<EOF bash', 'apk add x', 'EOF'),
    form: 'heredoc',
    commands: [
      { name: 'bash', words: ['bash'], text: 'bash' },
      { name: 'apk', words: ['apk', 'add', 'x'], text: 'apk add x' },
    ],
  },
  {
    name: 'a heredoc fed to a command is data, not commands',
    code: lines('FROM alpine', 'RUN cat <<EOT > /etc/motd', 'apk add nothing', 'EOT'),
    form: 'shell',
    commands: [{ name: 'cat', words: ['cat'], text: 'cat' }],
  },
  {
    name: 'heredoc to another interpreter is not a shell script',
    code: lines('FROM python', 'RUN python3 <<EOF', 'import os', 'EOF'),
    form: 'shell',
    commands: [{ name: 'python3', words: ['python3'], text: 'python3' }],
  },
  {
    name: 'Windows: backtick escape and CRLF line breaks',
    code: '# escape=`\r\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\r\nRUN powershell -Command `\r\n    Write-Host hi ; `\r\n    Write-Host there\r\n',
    commands: [
      { name: 'powershell', words: ['powershell', '-Command', 'Write-Host', 'hi'], text: 'powershell -Command `\r\n    Write-Host hi', separator: ';' },
      { name: 'Write-Host', words: ['Write-Host', 'there'], text: 'Write-Host there' },
    ],
  },
  {
    name: 'Windows: a backslash is a path character, not an escape',
    code: '# escape=`\r\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\r\nRUN C:\\tools\\nuget.exe install x\r\n',
    commands: [{ name: 'C:\\tools\\nuget.exe', words: ['C:\\tools\\nuget.exe', 'install', 'x'], text: 'C:\\tools\\nuget.exe install x' }],
  },
  {
    name: 'CRLF with a comment line inside a continuation',
    code: 'FROM alpine\r\nRUN apk add \\\r\n  # c\r\n  curl\r\n',
    commands: [{ name: 'apk', words: ['apk', 'add', 'curl'], text: 'apk add \\\r\n  # c\r\n  curl' }],
  },
  {
    name: 'a RUN without arguments has no commands',
    code: lines('FROM alpine', 'RUN'),
    commands: [],
  },
];

describe('shell commands of a RUN', () => {
  for (const c of cases) {
    it(c.name, () => {
      const run = firstRun(c.code);
      if (c.form) assert.equal(run.form, c.form);
      const actual = run.commands.map((cmd) => {
        const e: ExpectedCommand = { name: cmd.name, words: cmd.words.map((w) => w.value), text: c.code.slice(cmd.span.start, cmd.span.end) };
        if (cmd.separator !== undefined) e.separator = cmd.separator;
        return e;
      });
      assert.deepEqual(actual, c.commands);
      assert.deepEqual(
        run.commands.map((cmd) => cmd.index),
        run.commands.map((_, k) => k),
        'indexes follow execution order',
      );
    });
  }
});

describe('exact word spans', () => {
  it('maps words across a continuation to their document offsets', () => {
    const code = lines('FROM debian', 'RUN apt-get install -y \\', '  # comment', '      curl git');
    const words = firstRun(code).commands[0].words;
    assert.deepEqual(
      words.map((w) => w.span),
      [at(code, 'apt-get'), at(code, 'install'), at(code, '-y'), at(code, 'curl'), at(code, 'git')],
    );
  });

  it('a quoted word spans its quotes', () => {
    const code = lines('FROM alpine', `RUN echo "a b" 'c'd`);
    const [, ab, cd] = firstRun(code).commands[0].words;
    assert.deepEqual(ab.span, at(code, '"a b"'));
    assert.equal(ab.quoted, true);
    assert.deepEqual(cd.span, at(code, `'c'd`));
    assert.equal(cd.value, 'cd');
  });

  it('words of a nested sh -c map into the quoted string', () => {
    const code = lines('FROM alpine', `RUN sh -c 'apk add curl'`);
    const apk = firstRun(code).commands[1];
    assert.deepEqual(apk.words.map((w) => w.span), [at(code, 'apk'), at(code, 'add'), at(code, 'curl')]);
  });

  it('a JSON element with escapes spans the escape sequences', () => {
    const code = lines('FROM alpine', 'RUN ["sh", "-c", "echo \\"hi\\""]');
    const echo = firstRun(code).commands[1];
    assert.equal(echo.words[1].value, 'hi');
    assert.deepEqual(echo.words[1].span, at(code, '\\"hi\\"'));
  });

  it('exec-form elements keep their outer span, quotes included', () => {
    const code = lines('FROM alpine', 'RUN ["apk", "add", "curl"]');
    const words = firstRun(code).commands[0].words;
    assert.deepEqual(words.map((w) => w.outer), [at(code, '"apk"'), at(code, '"add"'), at(code, '"curl"')]);
  });

  it(
    'a nested sh -c word that starts with an escaped quote spans its backslash',
    () => {
      const code = lines('FROM alpine', 'RUN sh -c "echo \\"a b\\" && apk add x"');
      const echo = firstRun(code).commands[1];
      assert.equal(echo.words[1].value, 'a b');
      assert.deepEqual(echo.words[1].span, at(code, '\\"a b\\"'));
    },
  );
});

describe('nesting', () => {
  it('nested commands belong to the script of their wrapper', () => {
    const run = firstRun(lines('FROM alpine', 'RUN sh -c "apk add x"'));
    const [sh, apk] = run.commands;
    assert.equal(sh.nested, apk.script);
    assert.equal(apk.script.parent, sh);
    assert.equal(run.script, sh.script, 'commands appended to the RUN go after the wrapper');
  });

  it('exec form with sh -c: the RUN script is the nested one (JSON string)', () => {
    const run = firstRun(lines('FROM alpine', 'RUN ["sh", "-c", "apk add x"]'));
    assert.equal(run.script, run.commands[0].nested);
    assert.equal(run.script?.source.kind, 'json-string');
  });

  it('exec form without a shell has a JSON-array script', () => {
    const run = firstRun(lines('FROM alpine', 'RUN ["apk", "add", "x"]'));
    assert.equal(run.script?.source.kind, 'json-array');
  });

  it('stops nesting at a depth instead of recursing forever', () => {
    let script = 'apk add x';
    for (let k = 0; k < 8; k++) script = `sh -c ${JSON.stringify(script)}`;
    const run = firstRun(lines('FROM alpine', `RUN ${script}`));
    assert.ok(run.commands.length <= 6, `got ${run.commands.length} commands`);
    assert.ok(run.commands.every((c) => c.name === 'sh'));
  });
});

describe('command helpers', () => {
  const cmd = (args: string) => firstRun(lines('FROM debian', `RUN ${args}`)).commands[0];

  it('hasFlag finds long flags, --flag=value and letters in short clusters, and stops at --', () => {
    const c = cmd('apt-get install -qy --no-install-recommends=true x -- --later');
    assert.equal(c.hasFlag('-y'), true);
    assert.equal(c.hasFlag('-q'), true);
    assert.equal(c.hasFlag('--no-install-recommends'), true);
    assert.equal(c.hasFlag('--later'), false);
    assert.equal(c.hasFlag('-n'), false);
  });

  it('optionValues reads --opt value, --opt=value and -oValue', () => {
    const c = cmd('pip install -r a.txt --requirement=b.txt -rc.txt x');
    assert.deepEqual(c.optionValues('-r', '--requirement'), ['a.txt', 'b.txt', 'c.txt']);
  });

  it('positionals skip options and the values of value options', () => {
    const c = cmd('apk --repository http://x add --virtual .deps curl -- -odd');
    assert.deepEqual(
      c.positionals(new Set(['--repository', '--virtual'])).map((w) => w.value),
      ['add', 'curl', '-odd'],
    );
  });

  it('assignments lists VAR=value prefixes', () => {
    assert.deepEqual([...cmd('DEBIAN_FRONTEND=noninteractive A="b c" apt-get install x').assignments], [
      ['DEBIAN_FRONTEND', 'noninteractive'],
      ['A', 'b c'],
    ]);
  });

  it('insertAfter writes a shell word after the word', () => {
    const code = lines('FROM alpine', 'RUN apk add curl');
    const c = firstRun(code).commands[0];
    assert.equal(applyEdits(code, [c.insertAfter(c.words[1], '--no-cache')]), lines('FROM alpine', 'RUN apk add --no-cache curl'));
  });

  it('insertAfter writes a JSON element in exec form', () => {
    const code = lines('FROM alpine', 'RUN ["apk", "add", "curl"]');
    const c = firstRun(code).commands[0];
    assert.equal(applyEdits(code, [c.insertAfter(c.words[1], '--no-cache')]), lines('FROM alpine', 'RUN ["apk", "add", "--no-cache", "curl"]'));
  });

  it('insertAfter escapes for a JSON string (sh -c in exec form)', () => {
    const code = lines('FROM alpine', 'RUN ["sh", "-c", "apk add curl"]');
    const c = firstRun(code).commands[1];
    assert.equal(applyEdits(code, [c.insertAfter(c.words[1], '--x="y"')]), lines('FROM alpine', 'RUN ["sh", "-c", "apk add --x=\\"y\\" curl"]'));
  });
});

describe('appendCommand', () => {
  const append = (code: string): string | undefined => {
    const edit = firstRun(code).script?.appendCommand('rm -rf /tmp/x');
    return edit ? applyEdits(code, [edit]) : undefined;
  };

  const cases: { name: string; code: string; output: string | undefined }[] = [
    { name: 'after the last command of a chain', code: lines('FROM a', 'RUN a && b || c'), output: lines('FROM a', 'RUN a && b || c && rm -rf /tmp/x') },
    {
      name: 'after the last word, before a trailing continuation line break',
      code: lines('FROM a', 'RUN a \\', '  && b'),
      output: lines('FROM a', 'RUN a \\', '  && b && rm -rf /tmp/x'),
    },
    { name: 'before a trailing semicolon', code: lines('FROM a', 'RUN a;'), output: lines('FROM a', 'RUN a && rm -rf /tmp/x;') },
    { name: 'after redirections of the last command', code: lines('FROM a', 'RUN a > /log 2>&1'), output: lines('FROM a', 'RUN a > /log 2>&1 && rm -rf /tmp/x') },
    { name: 'inside the sh -c string', code: lines('FROM a', `RUN sh -c 'a && b'`), output: lines('FROM a', `RUN sh -c 'a && b' && rm -rf /tmp/x`) },
    {
      name: 'inside the JSON string of exec-form sh -c',
      code: lines('FROM a', 'RUN ["sh", "-c", "a && b"]'),
      output: lines('FROM a', 'RUN ["sh", "-c", "a && b && rm -rf /tmp/x"]'),
    },
    { name: 'at the end of the heredoc body', code: lines('FROM a', 'RUN <<EOF', 'a', 'b # why', 'EOF'), output: lines('FROM a', 'RUN <<EOF', 'a', 'b && rm -rf /tmp/x # why', 'EOF') },
    { name: 'after a heredoc operand, before its body', code: lines('FROM a', 'RUN cat <<EOT > /f', 'x', 'EOT'), output: lines('FROM a', 'RUN cat <<EOT > /f && rm -rf /tmp/x', 'x', 'EOT') },
    { name: 'undefined after a background &', code: lines('FROM a', 'RUN a &'), output: undefined },
    { name: 'undefined after a trailing comment', code: lines('FROM a', 'RUN a # note'), output: undefined },
    { name: 'undefined for exec form without a shell', code: lines('FROM a', 'RUN ["a", "b"]'), output: undefined },
    { name: 'undefined for a comment at the end of an exec-form sh -c string', code: lines('FROM a', 'RUN ["sh", "-c", "a # note"]'), output: undefined },
    { name: 'undefined when there is no command', code: lines('FROM a', 'RUN'), output: undefined },
  ];
  for (const c of cases) it(c.name, () => assert.equal(append(c.code), c.output));

  it('a trailing operator is recorded', () => {
    assert.equal(firstRun(lines('FROM a', 'RUN a;')).script?.trailingOperator, ';');
    assert.equal(firstRun(lines('FROM a', 'RUN a &')).script?.trailingOperator, '&');
    assert.equal(firstRun(lines('FROM a', 'RUN a')).script?.trailingOperator, undefined);
  });
});

describe('sources', () => {
  it('shellFormSource drops continuations and maps every character back', () => {
    const doc = 'a \\\n # c\n b\nnext';
    const { source, stop } = shellFormSource(doc, 0, doc.length, '\\');
    assert.equal(source.text, 'a  b');
    assert.deepEqual([...source.map], [0, 1, 9, 10, 11]);
    assert.equal(stop, 11, 'stops at the line break that ends the instruction');
    assert.equal(source.posix, true);
  });

  it('shellFormSource with the backtick escape is not POSIX', () => {
    const doc = 'a `\r\n b';
    const { source } = shellFormSource(doc, 0, doc.length, '`');
    assert.equal(source.text, 'a  b');
    assert.equal(source.posix, false);
  });

  it('parseJsonArray decodes escapes and refuses what is not an array of strings', () => {
    const src = (t: string) => shellFormSource(t, 0, t.length, '\\').source;
    const decoded = parseJsonArray(src('["a\\tb", "\\u00e9", "\\/"]'));
    assert.deepEqual(decoded?.map((e) => e.source.text), ['a\tb', 'é', '/']);
    assert.deepEqual(parseJsonArray(src('[]')), []);
    for (const bad of ['["a" "b"]', '["a", 1]', '["a",]', '["a"] x', "['a']", '["\\x"]', '["a"']) {
      assert.equal(parseJsonArray(src(bad)), undefined, bad);
    }
  });

  it('docSpan of an empty range is an empty span at its place', () => {
    const src = verbatimSource('xxabc', 2, 5, true);
    assert.deepEqual(docSpan(src, 1, 1), { start: 3, end: 3 });
    assert.deepEqual(docSpan(src, 0, 3), { start: 2, end: 5 });
  });

  it('parseScript never throws on unterminated quotes and substitutions', () => {
    for (const t of [`echo "abc`, `echo 'abc`, 'echo $(abc', 'echo `abc', 'echo ${abc', `sh -c "a && 'b`, 'a <<', 'a &&', '|| b', '))(( ;;']) {
      const script = parseScript(verbatimSource(t, 0, t.length, true));
      for (const c of script.commands) for (const w of c.words) assert.ok(w.span.start >= 0 && w.span.end <= t.length, t);
    }
  });
});
