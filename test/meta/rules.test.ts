// Every registered rule has its three files (rule, table test, docs page) under its id, and a meta
// written the way STYLE.md asks: kebab-case id, one-line sentence-case description, valid messages.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { rules } from '../../server/src/rules';
import { DOCS_BASE, type Rule } from '../../server/src/rules/define';
import { descriptionProblem, placeholders, templateProblem } from './checks';
import { repoFileExists } from './repo';

const SEVERITIES = ['error', 'warning', 'info', 'hint'];
const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

describe('meta: the rule registry', () => {
  it('is not empty and its ids are unique', () => {
    assert.ok(rules.length > 0);
    const ids = rules.map((r) => r.meta.id);
    assert.deepEqual([...new Set(ids)], ids, 'duplicate rule ids');
  });

  it('is sorted by id', () => {
    const ids = rules.map((r) => r.meta.id);
    const sorted = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    assert.deepEqual(ids, sorted, 'keep server/src/rules/index.ts sorted by id');
  });

  it('checks descriptions and templates the way it claims', () => {
    // The checks below are only worth something if they can fail.
    assert.equal(descriptionProblem('apk-no-cache', 'apk add without --no-cache keeps the package index in the image'), undefined);
    assert.equal(descriptionProblem('npm-cache', 'npm, yarn or pnpm install leaves the package cache in the image'), undefined);
    assert.equal(descriptionProblem('consecutive-run', 'Consecutive RUN instructions that could be one layer'), undefined);
    assert.match(descriptionProblem('data-file', 'Data files copied.') ?? '', /period/);
    assert.match(descriptionProblem('model-file-copied', 'data files copied') ?? '', /lowercase/);
    assert.match(descriptionProblem('data-file', 'Data Files Copied Into The Image') ?? '', /sentence case/);
    assert.match(descriptionProblem('x', 'Two\nlines') ?? '', /more than one line/);
    assert.equal(templateProblem('apk add keeps its index ({size}). Add --no-cache.'), undefined);
    assert.match(templateProblem('Costs {size MB}.') ?? '', /invalid placeholder/);
    assert.match(templateProblem('Costs {size.') ?? '', /unbalanced/);
    assert.match(templateProblem('Costs {size} more') ?? '', /sentence/);
    assert.equal(templateProblem('Costs {size}. {advice}'), undefined);
    assert.deepEqual(placeholders('{a} and {bC}.'), ['a', 'bC']);
  });
});

for (const rule of rules) {
  const { id } = rule.meta;
  describe(`meta: ${id}`, () => {
    it('has a kebab-case id', () => {
      assert.match(id, KEBAB);
    });

    it('lives in server/src/rules/<id>.ts, which exports the registered rule', () => {
      assert.ok(repoFileExists('server', 'src', 'rules', `${id}.ts`), `missing server/src/rules/${id}.ts`);
      // The compiled rule sits beside the compiled registry, whatever the output folder is.
      const compiled = path.join(__dirname, '..', '..', 'server', 'src', 'rules', id);
      const mod = require(compiled) as { default?: Rule };
      assert.equal(mod.default, rule, `server/src/rules/${id}.ts must export default the rule with meta.id "${id}"`);
    });

    it('has a table test and a docs page', () => {
      assert.ok(repoFileExists('test', 'rules', `${id}.test.ts`), `missing test/rules/${id}.test.ts`);
      assert.ok(repoFileExists('docs', 'rules', `${id}.md`), `missing docs/rules/${id}.md`);
      assert.equal(rule.meta.docsUrl, `${DOCS_BASE}${id}.md`);
    });

    it('has a one-line, sentence-case description without a final period', () => {
      const problem = descriptionProblem(id, rule.meta.description);
      assert.equal(problem, undefined, `description "${rule.meta.description}" ${problem}`);
    });

    it('declares a known default severity and its fix kinds', () => {
      assert.ok(SEVERITIES.includes(rule.meta.defaultSeverity), `defaultSeverity ${rule.meta.defaultSeverity}`);
      assert.equal(typeof rule.meta.fixable, 'boolean');
      assert.ok(rule.meta.hasSuggestions === undefined || typeof rule.meta.hasSuggestions === 'boolean');
    });

    it('has messages with camelCase ids and valid {placeholder} templates', () => {
      const entries = Object.entries(rule.meta.messages);
      assert.ok(entries.length > 0, 'no messages');
      for (const [messageId, template] of entries) {
        assert.match(messageId, /^[a-z][A-Za-z0-9]*$/, `message id "${messageId}"`);
        const problem = templateProblem(template);
        assert.equal(problem, undefined, `message ${messageId} "${template}" ${problem}`);
      }
    });

    it('lists hadolint codes and option defaults in the expected shape', () => {
      for (const code of rule.meta.hadolint ?? []) assert.match(code, /^(DL|SC)\d{4}$/, `hadolint code ${code}`);
      const options = rule.meta.options ?? {};
      assert.ok(typeof options === 'object' && !Array.isArray(options));
      for (const [name, value] of Object.entries(options)) {
        assert.match(name, /^[a-z][A-Za-z0-9]*$/, `option name ${name}`);
        assert.notEqual(value, undefined, `option ${name} needs a default`);
      }
    });
  });
}
