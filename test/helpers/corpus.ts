// Where the shared real-world Dockerfiles are: `../shared/corpus/real` beside the repository
// (CI clones the repository into another folder with shared/ beside it). Read in place, never copied.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root: the nearest folder above this file with our package.json. */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && /"name":\s*"slimfile"/.test(fs.readFileSync(pkg, 'utf8'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('repository root not found above ' + __dirname);
    dir = parent;
  }
}

/** The corpus folder, or undefined when it is not there. */
export function corpusDir(): string | undefined {
  const dir = path.resolve(repoRoot(), '..', 'shared', 'corpus', 'real');
  return fs.existsSync(dir) ? dir : undefined;
}
