// The `slimfile` command as a user runs it: the built dist/cli.js as a process, on files in a temp
// folder, checking stdout, stderr and the exit code. `npm test` builds dist/ first (pretest).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import apkNoCache from '../../server/src/rules/apk-no-cache';
import { sizes } from '../../server/src/data/sizes';
import { lint, MAX_TEXT_LENGTH, renderMessage } from '../../server/src/engine/lint';
import { LineIndex } from '../../server/src/analysis/text';
import { defineRule } from '../../server/src/rules/define';
import { parseArgs, type LintOptions } from '../../server/src/cli/args';

const DEFAULTS: LintOptions = {
  paths: [],
  format: 'stylish',
  output: undefined,
  fix: false,
  fixDryRun: false,
  rules: [],
  config: undefined,
  target: undefined,
  maxWarnings: undefined,
  threshold: 'info',
  color: undefined,
  quiet: false,
  context: undefined,
  noContext: false,
};
import { runCli, type CliIo } from '../../server/src/cli/run';
import { readDockerfile } from '../../server/src/cli/files';
import { formatStylish, type FileReport } from '../../server/src/cli/formatters/stylish';
import { lines } from '../helpers/rule-tester';

/** The repository: the nearest folder above this test (or the working directory) with our package.json. */
function repoRoot(): string {
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
      const pkg = path.join(dir, 'package.json');
      if (fs.existsSync(pkg) && /"name":\s*"slimfile"/.test(fs.readFileSync(pkg, 'utf8'))) return dir;
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error('repository root not found');
}

const root = repoRoot();
const cli = path.join(root, 'dist', 'cli.js');
const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
const apkMessage = renderMessage(apkNoCache.meta.messages.missingFlag, { size: sizes.apkIndex.label });

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function slimfile(args: string[], env: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: tmp, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let tmp = '';

function write(name: string, content: string | Buffer): string {
  const file = path.join(tmp, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return name;
}

/** A stack trace line, which expected failures must never print. */
const STACK = /^\s+at .+[:(]/m;

const CLEAN = lines('FROM alpine:3.20', 'RUN apk add --no-cache curl', 'CMD ["curl", "--version"]');
const BLOATED = lines('FROM alpine:3.20', 'RUN apk add curl');

describe('slimfile CLI (dist/cli.js)', { skip: fs.existsSync(cli) ? false : 'dist/cli.js is not built: run `node esbuild.mjs`' }, () => {
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slimfile-cli-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('a clean file exits 0 and prints no problem lines', () => {
    const file = write('clean/Dockerfile', CLEAN);
    const r = slimfile([file]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'No problems in 1 file\n');
    assert.equal(r.stderr, '');
  });

  it('a problem is printed as path:line:col  severity  rule-id  message, with a summary; exit 1', () => {
    const file = write('Dockerfile', BLOATED);
    const r = slimfile([file]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, `Dockerfile:2:5  warning  apk-no-cache  ${apkMessage}\n1 problem (1 warning) in 1 file\n`);
    assert.equal(r.stderr, '');
  });

  it('prints the path as given, and counts files with problems among those linted', () => {
    const clean = write('a/clean.Dockerfile', CLEAN);
    const bloated = write('b/app.Dockerfile', lines('FROM alpine:3.20', 'RUN apk add curl \\', '  && apk add git'));
    const r = slimfile([clean, bloated]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stdout,
      [`${bloated}:2:5  warning  apk-no-cache  ${apkMessage}`, `${bloated}:3:6  warning  apk-no-cache  ${apkMessage}`, '2 problems (2 warnings) in 1 of 2 files', ''].join('\n'),
    );
  });

  it('an absolute path is printed as given', () => {
    const file = path.join(tmp, write('abs/Dockerfile', BLOATED));
    assert.ok(slimfile([file]).stdout.startsWith(`${file}:2:5  warning  apk-no-cache  `));
  });

  it('a byte order mark is stripped and CRLF lines keep their numbers', () => {
    const file = write('bom/Dockerfile', '\uFEFF' + BLOATED.replace(/\n/g, '\r\n'));
    const r = slimfile([file]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout.split('\n')[0], `${file}:2:5  warning  apk-no-cache  ${apkMessage}`);
  });

  it('a missing file exits 2 with "path: no such file or directory" and no stack', () => {
    const r = slimfile(['missing/Dockerfile']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'missing/Dockerfile: no such file or directory\n');
    assert.equal(r.stdout, '');
  });

  it('a folder without Dockerfiles exits 2 and names the folder', () => {
    write('nodocker/README.md', 'hello');
    const r = slimfile(['nodocker']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^nodocker: no Dockerfiles in this folder/);
    assert.doesNotMatch(r.stderr, STACK);
  });

  it('binary content exits 2', () => {
    const file = write('image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]));
    const r = slimfile([file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^image\.png: binary content/);
    assert.doesNotMatch(r.stderr, STACK);
  });

  it('text over the limit exits 2 as too large', () => {
    const file = write('huge.Dockerfile', 'FROM alpine\n' + '#'.repeat(MAX_TEXT_LENGTH));
    const r = slimfile([file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^huge\.Dockerfile: file too large to analyse \(5\.0 MB; the limit is 5 MB\)\n$/);
  });

  it('a file far over the limit is refused before it is read', () => {
    const file = path.join(tmp, 'enormous.Dockerfile');
    fs.writeFileSync(file, '');
    fs.truncateSync(file, 3 * MAX_TEXT_LENGTH + 1);
    const r = slimfile(['enormous.Dockerfile']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^enormous\.Dockerfile: file too large to analyse \(15\.0 MB; the limit is 5 MB\)\n$/);
  });

  it('an unreadable file exits 2 with "permission denied"', { skip: process.getuid?.() === 0 ? 'root can read any file' : false }, () => {
    const file = write('locked/Dockerfile', CLEAN);
    fs.chmodSync(path.join(tmp, file), 0o000);
    const r = slimfile([file]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `${file}: permission denied\n`);
  });

  it('a read error does not stop the other files; the exit code is 2', () => {
    const file = write('other/Dockerfile', BLOATED);
    const r = slimfile(['nope/Dockerfile', file]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'nope/Dockerfile: no such file or directory\n');
    assert.match(r.stdout, /^other\/Dockerfile:2:5  warning  apk-no-cache  /);
    assert.match(r.stdout, /1 problem \(1 warning\) in 1 file\n$/);
  });

  it('no arguments searches the current folder; an empty one exits 2 naming "."', () => {
    const empty = path.join(tmp, 'empty-cwd');
    fs.mkdirSync(empty);
    const r = spawnSync(process.execPath, [cli], { cwd: empty, encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^\.: no Dockerfiles in this folder/);
    fs.writeFileSync(path.join(empty, 'Dockerfile'), BLOATED);
    const found = spawnSync(process.execPath, [cli], { cwd: empty, encoding: 'utf8' });
    assert.equal(found.status, 1);
    assert.match(found.stdout, /^Dockerfile:2:5  warning  apk-no-cache  /);
  });

  it('an unknown option: usage on stderr, exit 2', () => {
    const r = slimfile(['--frobnicate', 'Dockerfile']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^slimfile: unknown option --frobnicate\n/);
  });

  it('--version prints the package version', () => {
    for (const flag of ['--version', '-v']) {
      const r = slimfile([flag]);
      assert.equal(r.code, 0);
      assert.equal(r.stdout, `${version}\n`);
    }
  });

  it('--help prints usage on stdout, exit 0', () => {
    const r = slimfile(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: slimfile \[options\] \[PATH\.\.\.\]/);
    assert.match(r.stdout, /Examples:/);
    assert.match(r.stdout, /--version/);
    assert.match(r.stdout, /Exit codes:/);
    assert.equal(r.stderr, '');
  });

  it('no colour when stdout is not a terminal, even without NO_COLOR', () => {
    const file = write('colour/Dockerfile', BLOATED);
    const r = slimfile([file], { FORCE_COLOR: '1' });
    assert.doesNotMatch(r.stdout, /\u001b\[/);
  });

  it('colour on a terminal, none when NO_COLOR is set', { skip: hasScript() ? false : 'needs util-linux script(1) for a pseudo-terminal' }, () => {
    const file = write('tty/Dockerfile', BLOATED);
    const inTerminal = (env: string) => {
      const command = `${env} ${shellQuote(process.execPath)} ${shellQuote(cli)} ${shellQuote(file)}`;
      return spawnSync('script', ['-qec', command, '/dev/null'], { cwd: tmp, encoding: 'utf8', env: { ...process.env, NO_COLOR: '' } });
    };
    const coloured = inTerminal('');
    assert.equal(coloured.status, 1);
    assert.ok(coloured.stdout.includes('\u001b[33mwarning\u001b[0m'), coloured.stdout);
    const plain = inTerminal('NO_COLOR=1');
    assert.equal(plain.status, 1);
    assert.ok(plain.stdout.includes('  warning  apk-no-cache  '), plain.stdout);
    assert.doesNotMatch(plain.stdout, /\u001b\[/);
  });

  it('an unexpected exception exits 2 and prints its stack', () => {
    const file = write('crash/Dockerfile', BLOATED);
    // Preloaded into the CLI's process: writing the report throws, as a bug in our code would.
    const patch = write('crash/patch.js', 'process.stdout.write = () => { throw new TypeError("simulated bug"); };\n');
    const r = spawnSync(process.execPath, ['--require', path.join(tmp, patch), cli, file], { cwd: tmp, encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^slimfile: internal error, please report it:\nTypeError: simulated bug\n/);
    assert.match(r.stderr, STACK);
  });

  it('the example Dockerfile shows problems (npm start)', () => {
    const r = spawnSync(process.execPath, [cli, 'examples/Dockerfile'], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^examples\/Dockerfile:\d+:\d+  warning  apk-no-cache  /m);
    assert.match(r.stdout, /\d+ problems? \(.*\) in 1 file\n$/);
  });
});

/** Output captured from runCli in process. */
function capture(color = false): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    color,
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
    version: () => '9.9.9',
  };
  return io;
}

describe('runCli in process', () => {
  let dir = '';
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slimfile-run-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a rule that throws prints a warning naming the rule; the other rules still report', async () => {
    const file = path.join(dir, 'Dockerfile');
    fs.writeFileSync(file, BLOATED);
    const throwing = defineRule({
      meta: { id: 'always-throws', description: 'Throws', defaultSeverity: 'error', fixable: false, messages: {} },
      check() {
        throw new Error('rule bug');
      },
    });
    const io = capture();
    const code = await runCli([file, '--no-context'], io, [throwing, apkNoCache]);
    assert.equal(code, 1);
    assert.match(io.err, new RegExp(`^${escapeRegExp(file)}: warning: rule always-throws failed`));
    assert.match(io.err, /Error: rule bug/);
    assert.match(io.out, /apk-no-cache/);
  });

  it('colours severity, rule id and summary when asked', async () => {
    const file = path.join(dir, 'Dockerfile');
    fs.writeFileSync(file, BLOATED);
    const io = capture(true);
    await runCli([file], io, [apkNoCache]);
    assert.ok(io.out.includes('\u001b[33mwarning\u001b[0m'), io.out);
    assert.ok(io.out.includes('\u001b[2mapk-no-cache\u001b[0m'));
    assert.ok(io.out.includes('\u001b[1m1 problem (1 warning) in 1 file\u001b[0m'));
  });

  it('the summary names each severity present, in order of importance', async () => {
    const file = path.join(dir, 'Dockerfile');
    fs.writeFileSync(file, lines('FROM a', 'RUN x', 'RUN y', 'RUN z', 'RUN w'));
    const severities = ['hint', 'info', 'info', 'error'] as const;
    const byRun = defineRule({
      meta: { id: 'by-run', description: 'One finding per RUN', defaultSeverity: 'info', fixable: false, messages: { m: 'line one\nline two' } },
      check: ({ model }) => model.runs().map((r) => ({ span: r.keywordSpan, messageId: 'm' })),
    });
    // Lint each RUN at a different severity through one rule per severity.
    const rules = severities.map((s, k) =>
      defineRule({ ...byRun, meta: { ...byRun.meta, id: `by-run-${k}`, defaultSeverity: s }, check: (ctx) => byRun.check(ctx).filter((_, i) => i === k) }),
    );
    const io = capture();
    assert.equal(await runCli([file], io, rules), 1);
    assert.match(io.out, /\n4 problems \(1 error, 2 info, 1 hint\) in 1 file\n$/);
    assert.ok(io.out.includes('  line one line two\n'), 'a message stays on its line');
  });

  it('--version uses the version it is given', async () => {
    const io = capture();
    assert.equal(await runCli(['--version'], io), 0);
    assert.equal(io.out, '9.9.9\n');
  });
});

describe('argument parsing', () => {
  const lintOf = (over: Partial<LintOptions>): ReturnType<typeof parseArgs> => ({ kind: 'lint', options: { ...DEFAULTS, ...over } });
  const table: [string[], ReturnType<typeof parseArgs>][] = [
    [['Dockerfile'], lintOf({ paths: ['Dockerfile'] })],
    [['a', 'b'], lintOf({ paths: ['a', 'b'] })],
    [[], lintOf({ paths: [] })],
    [['-'], lintOf({ paths: ['-'] })],
    [['--', '-odd', '--help'], lintOf({ paths: ['-odd', '--help'] })],
    [['--format', 'json', '-o', 'r.json', 'x'], lintOf({ paths: ['x'], format: 'json', output: 'r.json' })],
    [['--format=sarif', '--output=r.sarif'], lintOf({ format: 'sarif', output: 'r.sarif' })],
    [['--rule', 'apk-no-cache=off', '--rule=consecutive-run=error'], lintOf({ rules: [{ id: 'apk-no-cache', level: 'off' }, { id: 'consecutive-run', level: 'error' }] })],
    [['--max-warnings', '0', '--severity-threshold', 'error', '-q', '--no-color'], lintOf({ maxWarnings: 0, threshold: 'error', quiet: true, color: false })],
    [['--fix', '--target', 'app', '-c', 'cfg.json', '--context', 'ctx'], lintOf({ fix: true, target: 'app', config: 'cfg.json', context: 'ctx' })],
    [['--fix-dry-run', '--no-context'], lintOf({ fixDryRun: true, noContext: true })],
    [['rules'], { kind: 'rules', format: 'stylish' }],
    [['rules', '--format', 'json'], { kind: 'rules', format: 'json' }],
    [['dockerignore'], { kind: 'dockerignore', dir: '.', write: false }],
    [['dockerignore', '--write', 'app'], { kind: 'dockerignore', dir: 'app', write: true }],
    [['a', '--help'], { kind: 'help' }],
    [['-h'], { kind: 'help' }],
    [['--version', '--bogus'], { kind: 'version' }],
    [['-v'], { kind: 'version' }],
    [['--bogus', 'a'], { kind: 'usage-error', message: 'unknown option --bogus' }],
    [['--format', 'xml'], { kind: 'usage-error', message: '--format must be stylish, json or sarif, not "xml"' }],
    [['--format'], { kind: 'usage-error', message: '--format needs a value' }],
    [['--rule', 'apk-no-cache'], { kind: 'usage-error', message: '--rule takes ID=LEVEL (for example --rule apk-no-cache=off), not "apk-no-cache"' }],
    [['--max-warnings', '-1'], { kind: 'usage-error', message: '--max-warnings takes a whole number, not "-1"' }],
    [['--severity-threshold', 'hint'], { kind: 'usage-error', message: '--severity-threshold must be info, warning or error, not "hint"' }],
    [['--fix', '--fix-dry-run'], { kind: 'usage-error', message: 'use either --fix or --fix-dry-run, not both' }],
    [['--fix', '-'], { kind: 'usage-error', message: '--fix cannot write back to standard input; use --fix-dry-run' }],
    [['-', '-'], { kind: 'usage-error', message: 'standard input (-) can be read only once' }],
    [['--write', 'x'], { kind: 'usage-error', message: '--write belongs to "slimfile dockerignore"' }],
    [[''], { kind: 'usage-error', message: 'an empty path was given' }],
  ];
  for (const [argv, expected] of table) it(JSON.stringify(argv), () => assert.deepEqual(parseArgs(argv), expected));
});

describe('readDockerfile', () => {
  it('keeps CRLF and strips only a leading BOM', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slimfile-read-'));
    try {
      const file = path.join(dir, 'Dockerfile');
      fs.writeFileSync(file, '\uFEFFFROM a\r\nLABEL x="\uFEFF"\r\n');
      assert.deepEqual(readDockerfile(file), { text: 'FROM a\r\nLABEL x="\uFEFF"\r\n', bom: true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

function hasScript(): boolean {
  return process.platform === 'linux' && spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('stylish formatter', () => {
  const report = (text: string, rules = [apkNoCache]): FileReport => {
    const result = lint(text, {}, rules);
    return { path: 'Dockerfile', lines: new LineIndex(text), findings: result.findings };
  };

  it('says so when there are no problems, counting the files', () => {
    const clean = report(CLEAN);
    assert.equal(formatStylish([clean, { ...clean, path: 'other' }], { color: false }), 'No problems in 2 files\n');
  });

  it('columns count UTF-16 units, as editors do', () => {
    // The emoji is two UTF-16 units: apk starts at column 18 (17 counting code points).
    const out = formatStylish([report(lines('FROM alpine:3.20', 'RUN echo "😀" && apk add curl'))], { color: false });
    assert.equal(out.split('\n')[0], `Dockerfile:2:18  warning  apk-no-cache  ${apkMessage}`);
  });

  it('a finding on a CRLF line after a continuation', () => {
    const out = formatStylish([report('FROM alpine:3.20\r\nRUN echo a && \\\r\n    apk add curl\r\n')], { color: false });
    assert.equal(out.split('\n')[0], `Dockerfile:3:5  warning  apk-no-cache  ${apkMessage}`);
  });
});
