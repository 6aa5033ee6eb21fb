import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatBytes, ignoreFileFor, scanContext } from '../../server/src/context/scan';

function tree(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'slimfile-scan-'));
  const file = (rel: string, size: number): void => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    const fd = fs.openSync(path.join(root, rel), 'w');
    if (size > 0) fs.ftruncateSync(fd, size); // sparse: the apparent size without the disk use
    fs.closeSync(fd);
  };
  file('Dockerfile', 120);
  file('app/main.py', 2_000);
  file('node_modules/a/index.js', 5_000_000);
  file('node_modules/a/node_modules/b/index.js', 3_000_000);
  file('models/model.bin', 200_000_000);
  file('.git/objects/pack/p.pack', 7_000_000);
  fs.symlinkSync('..', path.join(root, 'app', 'loop'));
  fs.symlinkSync('/etc/passwd', path.join(root, 'app', 'outside'));
  return root;
}

describe('build context scan', () => {
  const roots: string[] = [];
  after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

  it('counts every file without an ignore file, biggest entries first', async () => {
    const root = tree();
    roots.push(root);
    const s = await scanContext(root);
    assert.equal(s.truncated, false);
    assert.equal(s.files, 6);
    assert.equal(s.bytes, 120 + 2_000 + 5_000_000 + 3_000_000 + 200_000_000 + 7_000_000);
    assert.deepEqual(s.top.map((t) => t.path), ['models', 'node_modules', '.git', 'app', 'Dockerfile']);
    assert.equal(s.top[1].bytes, 8_000_000);
  });
  it('never follows links: a loop and a link out of the context are listed, not read', async () => {
    const root = tree();
    roots.push(root);
    const s = await scanContext(root);
    assert.deepEqual([...s.links.entries()].sort(), [['app/loop', '..'], ['app/outside', '/etc/passwd']]);
  });
  it('applies .dockerignore with exceptions and measures what it keeps out', async () => {
    const root = tree();
    roots.push(root);
    fs.writeFileSync(path.join(root, '.dockerignore'), 'node_modules\n!node_modules/a/index.js\n.git\nmodels\n');
    const s = await scanContext(root, { measureExcluded: true });
    assert.equal(s.ignoreFile, path.join(root, '.dockerignore'));
    assert.deepEqual([...s.sizes.keys()].sort(), ['.dockerignore', 'Dockerfile', 'app/main.py', 'node_modules/a/index.js']);
    assert.deepEqual(s.excluded.map((e) => [e.path, e.bytes]), [['models', 200_000_000], ['.git', 7_000_000]]);
  });
  it('prefers the per-Dockerfile ignore file, as Docker does', async () => {
    const root = tree();
    roots.push(root);
    fs.writeFileSync(path.join(root, '.dockerignore'), 'app\n');
    fs.writeFileSync(path.join(root, 'Dockerfile.dockerignore'), 'models\n');
    assert.equal(ignoreFileFor(root, path.join(root, 'Dockerfile')), path.join(root, 'Dockerfile.dockerignore'));
    const s = await scanContext(root, { dockerfile: path.join(root, 'Dockerfile') });
    assert.ok(s.sizes.has('app/main.py'));
    assert.ok(!s.sizes.has('models/model.bin'));
  });
  it('stops at the entry limit and says the numbers are a lower bound', async () => {
    const root = tree();
    roots.push(root);
    const s = await scanContext(root, { maxEntries: 3 });
    assert.equal(s.truncated, true);
    assert.ok(s.files < 6);
  });
  it('reports a missing folder instead of throwing', async () => {
    const s = await scanContext(path.join(os.tmpdir(), 'slimfile-no-such-folder-xyz'));
    assert.deepEqual(s.unreadable, ['.: no such folder']);
    assert.equal(s.files, 0);
  });
  it('formats sizes in decimal units', () => {
    assert.deepEqual([999, 1_500, 96_000_000, 412_300_000, 1_300_000_000].map(formatBytes), ['999 bytes', '1.5 KB', '96 MB', '412 MB', '1.3 GB']);
  });
});
