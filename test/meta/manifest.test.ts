// package.json is a valid VS Code manifest for what Slimfile ships: entry point, engine, activation,
// commands named the STYLE.md way, settings with defaults, and an icon that exists.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { readRepoFile, repoFileExists, repoPath } from './repo';

interface Manifest {
  name: string;
  main: string;
  icon?: string;
  engines: Record<string, string>;
  activationEvents?: string[];
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    menus?: Record<string, { command: string }[]>;
    configuration: { properties: Record<string, { default?: unknown; description?: string; markdownDescription?: string; scope?: string }> };
  };
}

const manifest = JSON.parse(readRepoFile('package.json')) as Manifest;
const MINOR_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'from', 'in', 'of', 'on', 'or', 'the', 'to', 'with']);

/** Whether a command title is in Title Case: every word capitalised except minor words inside it. */
function isTitleCase(title: string): boolean {
  const words = title.split(' ');
  return words.every((w, i) => {
    if (!/^[A-Za-z]/.test(w)) return true; // ".dockerignore", "--fix": written as typed
    if (i > 0 && i < words.length - 1 && MINOR_WORDS.has(w)) return true;
    return /^[A-Z]/.test(w);
  });
}

describe('meta: package.json', () => {
  it('starts the bundled client and targets a VS Code version', () => {
    assert.equal(manifest.main, './dist/extension.js');
    assert.match(manifest.engines.vscode ?? '', /^\^?\d+\.\d+\.\d+$/);
  });

  it('activates on Dockerfiles', () => {
    assert.ok(manifest.activationEvents?.includes('onLanguage:dockerfile'), 'activationEvents needs onLanguage:dockerfile');
  });

  it('recognises Title Case the way STYLE.md writes it', () => {
    assert.ok(isTitleCase('Generate .dockerignore'));
    assert.ok(isTitleCase('Merge All Consecutive RUN Instructions'));
    assert.ok(isTitleCase('Show the Output'));
    assert.ok(!isTitleCase('Restart server'));
    assert.ok(!isTitleCase('restart Server'));
  });

  it('contributes commands named slimfile.<verbObject>, in category Slimfile, with Title Case titles', () => {
    assert.ok(manifest.contributes.commands.length > 0);
    for (const c of manifest.contributes.commands) {
      assert.match(c.command, /^slimfile\.[a-z]+[A-Z][A-Za-z]*$/, `command id ${c.command}`);
      assert.equal(c.category, 'Slimfile', `${c.command} category`);
      assert.ok(isTitleCase(c.title), `${c.command} title "${c.title}" is not Title Case`);
    }
  });

  it('puts only contributed commands in menus', () => {
    const ids = new Set(manifest.contributes.commands.map((c) => c.command));
    for (const [menu, items] of Object.entries(manifest.contributes.menus ?? {})) {
      for (const item of items) assert.ok(ids.has(item.command), `${menu} names ${item.command}, which is not contributed`);
    }
  });

  it('contributes settings named slimfile.*, each with a default, a description and a scope', () => {
    for (const [name, p] of Object.entries(manifest.contributes.configuration.properties)) {
      assert.match(name, /^slimfile\.[a-z][A-Za-z]*(\.[a-z][A-Za-z]*)*$/, `setting ${name}`);
      assert.ok('default' in p, `${name} has no default`);
      assert.ok(p.description || p.markdownDescription, `${name} has no description`);
      assert.ok(['application', 'machine', 'machine-overridable', 'window', 'resource', 'language-overridable'].includes(p.scope ?? ''), `${name} scope`);
    }
  });

  it('has a 128x128 PNG icon that .vscodeignore ships with the bundles', () => {
    assert.equal(manifest.icon, 'images/icon.png');
    const png = fs.readFileSync(repoPath(manifest.icon));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
    assert.equal(png.subarray(12, 16).toString('ascii'), 'IHDR');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
    assert.ok(png.length < 20_000, `icon is ${png.length} bytes`);
    assert.ok(repoFileExists('.vscodeignore'));
    const kept = readRepoFile('.vscodeignore').split('\n').map((l) => l.trim());
    for (const f of ['dist/extension.js', 'dist/server.js', 'package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', manifest.icon]) {
      assert.ok(kept.includes(`!${f}`), `.vscodeignore must re-include ${f}`);
    }
  });
});

describe('meta: the .slimfile.json schema and the slimfile.rules setting', () => {
  const schema = JSON.parse(readRepoFile('schemas/slimfile.schema.json')) as {
    properties: { rules: { properties: Record<string, { anyOf: { items?: [unknown, { properties: Record<string, unknown> }] }[] }> } };
  };
  const full = JSON.parse(readRepoFile('package.json')) as {
    contributes: { jsonValidation: { fileMatch: string[]; url: string }[]; configuration: { properties: Record<string, { properties?: Record<string, unknown> }> } };
  };

  it('is contributed for both config file names and shipped', () => {
    const [v] = full.contributes.jsonValidation;
    assert.deepEqual(v.fileMatch, ['.slimfile.json', '.slimfile.jsonc']);
    assert.ok(repoFileExists(v.url.replace(/^\.\//, '')));
    assert.match(readRepoFile('.vscodeignore'), new RegExp(`^!${v.url.replace(/^\.\//, '').replace(/\./g, '\\.')}$`, 'm'));
  });

  it('names exactly the registered rules, with exactly their options', async () => {
    const { rules } = await import('../../server/src/rules');
    const ids = rules.map((r) => r.meta.id).sort();
    assert.deepEqual(Object.keys(schema.properties.rules.properties).sort(), ids);
    assert.deepEqual(Object.keys(full.contributes.configuration.properties['slimfile.rules'].properties ?? {}).sort(), ids);
    for (const r of rules) {
      const tuple = schema.properties.rules.properties[r.meta.id].anyOf.find((a) => a.items)!;
      assert.deepEqual(Object.keys(tuple.items![1].properties).sort(), Object.keys(r.meta.options ?? {}).sort(), r.meta.id);
    }
  });
});
