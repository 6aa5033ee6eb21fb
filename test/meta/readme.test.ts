// README.md tells the truth: its rules table matches the registry and the rule metas, its commands
// and settings tables match package.json, and the npm scripts it names exist.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rules } from '../../server/src/rules';
import { parseConfig } from '../../server/src/engine/config';
import { lint } from '../../server/src/engine/lint';
import { fixKindOf, parseFixCell } from './checks';
import { MarkdownDoc, readRepoFile, repoFileExists } from './repo';

interface Manifest {
  scripts: Record<string, string>;
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    configuration: { properties: Record<string, { default?: unknown }> };
  };
}

const readme = new MarkdownDoc(readRepoFile('README.md'));
const manifest = JSON.parse(readRepoFile('package.json')) as Manifest;

/** The first table under `## <heading>`, failing clearly when the section or table is missing. */
function tableUnder(heading: string, columns: number): string[][] {
  const section = readme.section(2, heading);
  assert.ok(section, `README.md has no "## ${heading}" section`);
  const table = section.firstTable();
  assert.ok(table, `README.md "## ${heading}" has no table`);
  assert.equal(table.header.length, columns, `"## ${heading}" table columns: ${table.header.join(' | ')}`);
  for (const row of table.rows) assert.equal(row.length, columns, `row with ${row.length} cells: ${row.join(' | ')}`);
  return table.rows;
}

/** Cell text with inline-code backticks removed, as it reads. */
function plain(cell: string): string {
  return cell.replace(/`/g, '');
}

describe('meta: README.md', () => {
  it('has its sections in the order STYLE.md gives', () => {
    const order = ['Quick start', 'Install from .vsix', 'Rules', 'Commands', 'Settings', 'CLI', 'Configuration file', 'Suppression', 'Development'];
    const level2 = readme.headings.filter((h) => h.level === 2).map((h) => h.text);
    assert.deepEqual(
      level2.filter((h) => order.includes(h)),
      order,
    );
  });

  it('gives the two quick-start commands, and they are npm scripts', () => {
    const quick = readme.section(2, 'Quick start');
    assert.ok(quick);
    const code = quick.blocks.map((b) => b.body).join('\n');
    assert.match(code, /^npm ci && npm start\b/m);
    assert.match(code, /^npm test\b/m);
    assert.ok(manifest.scripts.start, 'package.json has no "start" script');
    assert.ok(manifest.scripts.test, 'package.json has no "test" script');
  });

  it('names only npm scripts that exist', () => {
    const named = new Set([...readme.lines.join('\n').matchAll(/\bnpm run ([\w:.-]+)/g)].map((m) => m[1]));
    const missing = [...named].filter((s) => manifest.scripts[s] === undefined);
    assert.deepEqual(missing, [], 'README names npm scripts package.json does not have');
  });

  it('has one row per registered rule, in registry order, linked to its page', () => {
    const rows = tableUnder('Rules', 4);
    const ids = rows.map((r) => /^\[([a-z0-9-]+)\]\(docs\/rules\/\1\.md\)$/.exec(r[0])?.[1] ?? `(unlinked: ${r[0]})`);
    assert.deepEqual(ids, rules.map((r) => r.meta.id), 'rows must be [<id>](docs/rules/<id>.md), one per registered rule, sorted');
    for (const id of ids) assert.ok(repoFileExists('docs', 'rules', `${id}.md`), `docs/rules/${id}.md`);
  });

  for (const rule of rules) {
    const { id } = rule.meta;
    it(`describes ${id} as its meta does`, () => {
      const row = tableUnder('Rules', 4).find((r) => r[0].startsWith(`[${id}]`));
      assert.ok(row, `no README row for ${id}`);
      const [, finds, fix, severity] = row;
      assert.equal(plain(finds), rule.meta.description, 'the "What it finds" column is meta.description');
      const expected = fixKindOf(rule.meta);
      const spelled = { yes: '"yes"', 'yes+suggestion': '"yes (+ <what> suggestion)"', suggestion: '"suggestion"', no: '"no"' }[expected];
      assert.equal(parseFixCell(fix), expected, `Fix column "${fix}": fixable=${rule.meta.fixable}, hasSuggestions=${rule.meta.hasSuggestions ?? false} reads ${spelled}`);
      assert.equal(plain(severity), rule.meta.defaultSeverity, 'default severity');
    });
  }

  it('reads Fix cells the way the rules table uses them', () => {
    assert.equal(parseFixCell('yes'), 'yes');
    assert.equal(parseFixCell('yes (+ cache mount suggestion)'), 'yes+suggestion');
    assert.equal(parseFixCell('suggestion'), 'suggestion');
    assert.equal(parseFixCell('no'), 'no');
    assert.equal(parseFixCell('yes, mostly'), undefined);
    assert.equal(fixKindOf({ fixable: true, hasSuggestions: true }), 'yes+suggestion');
    assert.equal(fixKindOf({ fixable: false }), 'no');
  });

  it('shows a configuration file that the configuration reader accepts', () => {
    const example = readme.section(2, 'Configuration file')?.blocks.find((b) => b.lang === 'jsonc' || b.lang === 'json');
    assert.ok(example, 'the "## Configuration file" section shows an example');
    const { config, problems } = parseConfig(example.body, rules);
    assert.deepEqual(problems, []);
    assert.ok(Object.keys(config.rules ?? {}).length > 0, 'the example configures at least one rule');
  });

  it('shows a suppression comment that silences what it names', () => {
    const example = readme.section(2, 'Suppression')?.blocks.find((b) => b.lang === 'dockerfile');
    assert.ok(example, 'the "## Suppression" section shows a dockerfile example');
    const id = /# slimfile-ignore ([a-z0-9-]+)/.exec(example.body)?.[1];
    assert.ok(id && rules.some((r) => r.meta.id === id), `the example names a registered rule (${id})`);
    const reported = (text: string) => lint(`FROM alpine:3.20\n${text}`).findings.filter((f) => f.ruleId === id).length;
    const withoutComment = example.body.split('\n').filter((l) => !l.startsWith('# slimfile-ignore')).join('\n');
    assert.ok(reported(withoutComment) > 0, `without the comment, ${id} reports the example`);
    assert.equal(reported(example.body), 0, `the comment silences ${id}`);
  });

  it('lists exactly the contributed commands, with their palette titles', () => {
    const rows = tableUnder('Commands', 3);
    const actual = rows.map((r) => `${r[0]} = ${r[1]}`).sort();
    const expected = manifest.contributes.commands
      .map((c) => `${c.category ? `${c.category}: ` : ''}${c.title} = \`${c.command}\``)
      .sort();
    assert.deepEqual(actual, expected, 'rows are: <Category>: <Title> | `<command id>` | what it does');
    for (const r of rows) assert.notEqual(r[2], '', `${r[1]} says what it does`);
  });

  it('lists exactly the contributed settings, with their defaults', () => {
    const rows = tableUnder('Settings', 3);
    const actual = rows.map((r) => `${r[0]} = ${r[1]}`).sort();
    const expected = Object.entries(manifest.contributes.configuration.properties)
      .map(([name, p]) => `\`${name}\` = \`${JSON.stringify(p.default)}\``)
      .sort();
    assert.deepEqual(actual, expected, 'rows are: `<setting>` | `<default as JSON>` | what it does');
    for (const r of rows) assert.notEqual(r[2], '', `${r[0]} says what it does`);
  });
});
