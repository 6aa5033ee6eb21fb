// analysis/ and rules/ stay pure (STYLE.md section 1): no editor or LSP packages, no file system or
// other I/O, and nothing from the front ends (lsp/, cli/) or the build-context scanner (context/),
// whose results reach rules as data.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoPath, repoRoot } from './repo';

const PURE_DIRS = ['server/src/analysis', 'server/src/rules'];
const FORBIDDEN_PACKAGES = [/^vscode$/, /^vscode-languageserver/, /^vscode-languageclient/, /^(node:)?(fs|fs\/promises|child_process|net|http|https|worker_threads)$/];
const FORBIDDEN_DIRS = ['server/src/lsp', 'server/src/cli', 'server/src/context', 'client'];

/** Module specifiers a TypeScript source imports, re-exports or requires (type-only ones included). */
function importsOf(source: string): string[] {
  const specs: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\s[^'"]*?\bfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\b(?:require|import)\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) specs.push(m[1]);
  return specs;
}

function tsFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Why an import from `file` breaks purity, or undefined. */
function violation(file: string, spec: string): string | undefined {
  if (spec.startsWith('.')) {
    const target = path.relative(repoRoot, path.resolve(path.dirname(file), spec)).split(path.sep).join('/');
    const dir = FORBIDDEN_DIRS.find((d) => target === d || target.startsWith(d + '/'));
    return dir ? `imports ${dir}/` : undefined;
  }
  return FORBIDDEN_PACKAGES.some((re) => re.test(spec)) ? `imports ${spec}` : undefined;
}

describe('meta: analysis and rules are pure', () => {
  it('finds every kind of import it checks', () => {
    const sample = [
      "import * as vscode from 'vscode';",
      "import type { Connection } from 'vscode-languageserver/node';",
      "export { x } from '../lsp/server';",
      "import {",
      "  readFileSync,",
      "} from 'node:fs';",
      "import '../cli/main';",
      "const cp = require('child_process');",
      "const m = await import('../context/scan');",
    ].join('\n');
    assert.deepEqual(importsOf(sample).sort(), ['../cli/main', '../context/scan', '../lsp/server', 'child_process', 'node:fs', 'vscode', 'vscode-languageserver/node'].sort());
    const rule = repoPath('server', 'src', 'rules', 'x.ts');
    assert.equal(violation(rule, '../context/scan'), 'imports server/src/context/');
    assert.equal(violation(rule, '../analysis/model'), undefined);
    assert.equal(violation(rule, 'node:path'), undefined);
    assert.equal(violation(rule, 'fs'), 'imports fs');
  });

  for (const dir of PURE_DIRS) {
    it(`${dir} imports no editor, LSP, file system or front-end code`, () => {
      const files = tsFiles(repoPath(dir));
      assert.ok(files.length > 0, `no sources under ${dir}`);
      const problems: string[] = [];
      for (const file of files) {
        for (const spec of importsOf(fs.readFileSync(file, 'utf8'))) {
          const why = violation(file, spec);
          if (why) problems.push(`${path.relative(repoRoot, file)} ${why}`);
        }
      }
      assert.deepEqual(problems, []);
    });
  }
});
