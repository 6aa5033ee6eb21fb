import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/analysis/model';
import { generateDockerignore, mergeDockerignore, neededPaths, BLOCK_END } from '../../server/src/context/generate';
import { isExcluded, parseDockerignore } from '../../server/src/context/dockerignore';

const MB = 1_000_000;
const files = new Map<string, number>([
  ['Dockerfile', 300],
  ['package.json', 900],
  ['package-lock.json', 90_000],
  ['src/index.js', 4_000],
  ['dist/app.js', 80_000],
  ['node_modules/react/index.js', 412 * MB],
  ['.git/objects/pack/x.pack', 96 * MB],
  ['.env', 120],
  ['.env.production', 140],
  ['certs/server.pem', 2_000],
  ['models/classifier.onnx', 200 * MB],
  ['logs/app.log', 5_000],
  ['.vscode/settings.json', 100],
  ['docker-compose.yml', 500],
]);
const options = { largeFileBytes: 50 * MB, date: '2026-11-28' };

function needed(dockerfile: string) {
  return neededPaths(analyze(dockerfile).copies());
}

describe('.dockerignore generator', () => {
  it('writes the groups for what is there, line by line', () => {
    const g = generateDockerignore(files, needed('FROM node:20-slim\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\n'), options);
    assert.equal(
      g.text,
      [
        '# Version control: history and metadata, never needed in the image',
        '.git',
        '',
        '# Dependencies the build installs itself: the Dockerfile installs them for the image platform',
        '**/node_modules',
        '',
        '# Caches and build outputs: rebuilt inside the image or not needed there',
        'dist',
        '',
        '# Logs: written at run time, stale in an image',
        '**/*.log',
        'logs',
        '',
        '# Editor and OS files: personal, and they change on every save',
        '.vscode',
        '',
        '# Local environment and secrets: a secret in an image is a leak: every layer can be read by whoever pulls it',
        '.env',
        '.env.*',
        '**/*.pem',
        '',
        '# Docker files: the builder reads them itself; the image does not need them',
        '**/Dockerfile*',
        'docker-compose*.yml',
        '.dockerignore',
        '',
        '# Large files (50 MB or more): mount or download them at run time instead',
        '# 200 MB',
        'models/classifier.onnx',
        '',
      ].join('\n'),
    );
    const patterns = parseDockerignore(g.text);
    for (const p of ['node_modules/react/index.js', '.git/objects/pack/x.pack', 'models/classifier.onnx', '.env', '.env.production']) {
      assert.equal(isExcluded(p, patterns), true, p);
    }
    assert.equal(isExcluded('package.json', patterns), false);
    assert.equal(isExcluded('src/index.js', patterns), false);
  });

  it('never ignores what the Dockerfile copies: literal patterns are dropped with a reason', () => {
    const g = generateDockerignore(files, needed('FROM nginx\nCOPY dist/ /usr/share/nginx/html/\n'), options);
    assert.ok(!g.patterns.includes('dist'));
    assert.ok(g.text.includes('# not ignored: dist (COPY dist/ (line 2) needs it)'));
    assert.deepEqual(g.kept.map((k) => [k.pattern, k.action]), [['dist', 'dropped']]);
  });

  it('adds an exception after a wildcard pattern that would hide a needed file', () => {
    const g = generateDockerignore(files, needed('FROM nginx\nCOPY certs/server.pem /etc/ssl/\n'), options);
    const lines = g.text.split('\n');
    const at = lines.indexOf('**/*.pem');
    assert.deepEqual(lines.slice(at, at + 3), ['**/*.pem', '# kept: COPY certs/server.pem (line 2) needs it', '!certs/server.pem']);
    assert.equal(isExcluded('certs/server.pem', parseDockerignore(g.text)), false);
  });

  it('expands needed globs to the files they match', () => {
    const g = generateDockerignore(new Map([['a.log', 1], ['keep.log', 1]]), needed('FROM x\nCOPY keep.* /\n'), options);
    assert.equal(isExcluded('keep.log', parseDockerignore(g.text)), false);
    assert.equal(isExcluded('a.log', parseDockerignore(g.text)), true);
  });

  it('ignores COPY --from, URLs and heredocs when finding needed paths', () => {
    assert.deepEqual(needed('FROM x AS b\nFROM y\nCOPY --from=b /out /out\nADD https://e.org/a.tgz /tmp/\nCOPY <<EOF /x\nhi\nEOF\nCOPY ["a b.txt", "/d/"]\n').map((n) => n.path), ['a b.txt']);
  });

  it('returns nothing for an empty context', () => {
    assert.equal(generateDockerignore(new Map(), [], options).text, '');
  });
});

describe('merging into an existing .dockerignore', () => {
  const g = generateDockerignore(files, [], options);
  it('keeps every user line and appends only what is new, in a marked block', () => {
    const existing = '# mine\n.git\n!keep/me\n*.log\n';
    const { text, added } = mergeDockerignore(existing, g, '2026-11-28');
    assert.ok(text.startsWith(existing), 'the user text is untouched');
    assert.ok(!added.includes('.git'));
    assert.ok(added.includes('**/node_modules'));
    const block = text.slice(existing.length);
    assert.ok(block.startsWith('\n# --- Added by Slimfile (Generate .dockerignore) on 2026-11-28 ---\n'));
    assert.ok(block.trimEnd().endsWith(BLOCK_END));
    assert.ok(!block.includes('# Version control'), 'a group with nothing new is left out');
  });
  it('changes nothing when everything is already there', () => {
    const first = mergeDockerignore('', g, '2026-11-28').text;
    const again = mergeDockerignore(first, g, '2026-11-29');
    assert.equal(again.text, first);
    assert.deepEqual(again.added, []);
  });
  it('keeps CRLF and a missing final line break', () => {
    const { text } = mergeDockerignore('.git\r\n*.tmp', g, '2026-11-28');
    assert.ok(text.startsWith('.git\r\n*.tmp\r\n\r\n# --- Added by Slimfile'));
    assert.ok(!/[^\r]\n/.test(text), 'only CRLF line breaks');
  });
});
