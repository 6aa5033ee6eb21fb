import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isExcluded, matchIgnore, parseDockerignore, mayReinclude } from '../../server/src/context/dockerignore';

// Cases follow the examples and rules in Docker's build-context documentation.
const table: { ignore: string[]; excluded: string[]; kept: string[]; name: string }[] = [
  {
    name: '*/temp* matches one folder below the root only',
    ignore: ['*/temp*'],
    excluded: ['somedir/temporary.txt', 'somedir/temp', 'somedir/temp/inner.txt'],
    kept: ['temp.txt', 'a/b/temp', 'somedir/xtemp'],
  },
  { name: '*/*/temp* matches two folders below', ignore: ['*/*/temp*'], excluded: ['a/b/temp1', 'a/b/temp/x'], kept: ['a/temp1', 'a/b/c/temp1'] },
  { name: 'temp? matches one character', ignore: ['temp?'], excluded: ['temp1', 'tempa/x'], kept: ['temp12', 'temp', 'sub/temp1'] },
  { name: '**/*.go matches at any depth including the root', ignore: ['**/*.go'], excluded: ['main.go', 'a/b/c.go'], kept: ['main.gox', 'a/b/c.g'] },
  { name: 'an exception re-includes', ignore: ['*.md', '!README.md'], excluded: ['CHANGES.md'], kept: ['README.md', 'docs/x.md'] },
  {
    name: 'the last matching line wins (secret excluded)',
    ignore: ['*.md', '!README*.md', 'README-secret.md'],
    excluded: ['README-secret.md', 'CHANGES.md'],
    kept: ['README-public.md'],
  },
  {
    name: 'the last matching line wins (secret re-included)',
    ignore: ['*.md', 'README-secret.md', '!README*.md'],
    excluded: ['CHANGES.md'],
    kept: ['README-secret.md', 'README-public.md'],
  },
  { name: 'a leading slash is the context root', ignore: ['/foo/bar'], excluded: ['foo/bar', 'foo/bar/baz'], kept: ['x/foo/bar', 'foo/barn'] },
  { name: 'a folder pattern excludes its contents', ignore: ['node_modules'], excluded: ['node_modules', 'node_modules/a/index.js'], kept: ['src/node_modules', 'node_modules2'] },
  { name: 'patterns are cleaned', ignore: ['./build/../dist/', 'logs//*.log'], excluded: ['dist/app.js', 'logs/a.log'], kept: ['build/x'] },
  { name: 'character classes and escapes', ignore: ['file[0-9].txt', 'a\\*b'], excluded: ['file3.txt', 'a*b'], kept: ['filex.txt', 'axxb'] },
  { name: '** in the middle', ignore: ['src/**/test'], excluded: ['src/test', 'src/a/b/test/x.js'], kept: ['test', 'srcx/test'] },
  { name: 'comments, blank lines and spaces', ignore: ['# comment', '', '  .git  ', '!  keep.txt'], excluded: ['.git/HEAD'], kept: ['# comment', 'keep.txt'] },
];

describe('.dockerignore matching', () => {
  for (const c of table) {
    it(c.name, () => {
      const patterns = parseDockerignore(c.ignore.join('\n'));
      for (const p of c.excluded) assert.equal(isExcluded(p, patterns), true, `${p} should be excluded`);
      for (const p of c.kept) assert.equal(isExcluded(p, patterns), false, `${p} should be kept`);
    });
  }
  it('names the deciding line', () => {
    const patterns = parseDockerignore('*.md\n!README*.md\n');
    assert.equal(matchIgnore('README.md', patterns).by?.line, 2);
    assert.equal(matchIgnore('a.txt', patterns).by, undefined);
  });
  it('reads CRLF and a BOM', () => {
    assert.deepEqual(parseDockerignore('\uFEFF.git\r\n*.log\r\n').map((p) => p.pattern), ['.git', '*.log']);
  });
  it('knows when an excluded folder may hold a re-included path', () => {
    const patterns = parseDockerignore('node_modules\n!node_modules/keep\n');
    assert.equal(mayReinclude('node_modules', patterns), true);
    assert.equal(mayReinclude('dist', parseDockerignore('dist\n')), false);
  });
});
