// Every registered rule's page docs/rules/<id>.md has the same headings in the same order, and its
// examples are true: the Bad block is reported by the rule and the Good block is not.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { rules } from '../../server/src/rules';
import type { ContextFacts, Rule } from '../../server/src/rules/define';
import { lint, type LintFinding } from '../../server/src/engine/lint';
import { fakeContext } from '../helpers/context';
import { placeholders } from './checks';
import { MarkdownDoc, readRepoFile, repoFileExists, repoPath } from './repo';

const HEADINGS = [
  '## Why it costs space',
  '## Examples',
  '### Bad',
  '### Good',
  '## Fix',
  '## Options',
  '## When to ignore',
  '## Related',
];

/**
 * The build context the examples are read against, for rules that look at it: a Node and Python
 * project with its dependencies, its history and a 1.2 GB model file, and no .dockerignore.
 */
const SAMPLE_CONTEXT: ContextFacts = fakeContext({
  'package.json': 900,
  'package-lock.json': 160_000,
  'src/index.js': 4_000,
  'node_modules/left-pad/index.js': 90_000_000,
  '.git/objects/pack/pack-1.pack': 40_000_000,
  'app/serve.py': 3_000,
  'requirements.txt': 200,
  'models/classifier.onnx': 1_200_000_000,
  'lib/util.py': 2_000,
});

function run(rule: Rule, code: string, context: ContextFacts | undefined): LintFinding[] {
  const result = lint(code, { rules: { [rule.meta.id]: rule.meta.defaultSeverity } }, [rule], context);
  assert.deepEqual(result.failures, [], `${rule.meta.id} threw`);
  return result.findings.filter((f) => f.ruleId === rule.meta.id);
}

function onlyDockerfileBlock(doc: MarkdownDoc | undefined, where: string): string {
  assert.ok(doc, `missing ${where}`);
  const blocks = doc.blocks.filter((b) => b.lang === 'dockerfile');
  assert.equal(blocks.length, 1, `${where} needs exactly one \`\`\`dockerfile block`);
  return blocks[0].body;
}

for (const rule of rules) {
  const { id } = rule.meta;
  const file = path.join('docs', 'rules', `${id}.md`);
  describe(`docs: ${file}`, () => {
    // A missing page is reported by the rules meta test; here it would only repeat that.
    const doc = repoFileExists(file) ? new MarkdownDoc(readRepoFile(file)) : undefined;

    it('has exactly the standard headings, in order', (t) => {
      if (!doc) return t.skip('no page');
      const actual = doc.headings.map((h) => `${'#'.repeat(h.level)} ${h.text}`);
      assert.deepEqual(actual, [`# ${id}`, ...HEADINGS]);
    });

    it('opens with a one-line summary paragraph', (t) => {
      if (!doc) return t.skip('no page');
      const title = doc.headings[0]?.line ?? 0;
      const after = doc.lines.slice(title + 1);
      const start = after.findIndex((l) => l.trim() !== '');
      assert.ok(start >= 0 && !after[start].startsWith('#'), 'the title is followed by a summary line');
      assert.ok((after[start + 1] ?? '').trim() === '', 'the summary is one line, followed by a blank line');
    });

    it('gives a figure in "Why it costs space"', (t) => {
      if (!doc) return t.skip('no page');
      const why = doc.section(2, 'Why it costs space');
      assert.ok(why && /\d/.test(why.proseLines().join('\n')), 'quote a number (with its source)');
    });

    it('has a Bad example the rule reports, with fully rendered messages', (t) => {
      if (!doc) return t.skip('no page');
      const bad = onlyDockerfileBlock(doc.section(2, 'Examples')?.section(3, 'Bad'), '### Bad');
      const findings = run(rule, bad, SAMPLE_CONTEXT);
      assert.ok(findings.length > 0, `${id} must report the Bad example:\n${bad}`);
      for (const f of findings) {
        const template = rule.meta.messages[f.messageId];
        assert.ok(template !== undefined, `finding uses messageId "${f.messageId}", not in meta.messages`);
        const missing = placeholders(template).filter((p) => f.data?.[p] === undefined);
        assert.deepEqual(missing, [], `message ${f.messageId} has no data for: ${missing.join(', ')}`);
        assert.match(f.message, /[.!?]$/, `message ${f.messageId} does not end a sentence: "${f.message}"`);
      }
    });

    it('has a Good example the rule does not report, with or without a build context', (t) => {
      if (!doc) return t.skip('no page');
      const good = onlyDockerfileBlock(doc.section(2, 'Examples')?.section(3, 'Good'), '### Good');
      for (const context of [undefined, SAMPLE_CONTEXT]) {
        const findings = run(rule, good, context);
        assert.deepEqual(
          findings.map((f) => f.message),
          [],
          `${id} must not report the Good example (${context ? 'sample' : 'no'} build context):\n${good}`,
        );
      }
    });

    it('says what each fix does under "Fix" and has Options and Related', (t) => {
      if (!doc) return t.skip('no page');
      for (const name of ['Fix', 'Options', 'Related']) {
        const text = doc.section(2, name)?.lines.join('\n').trim() ?? '';
        assert.notEqual(text, '', `"## ${name}" is empty (write "None." when there is nothing)`);
      }
    });

    it('shows the suppression comment (and the hadolint pragma) under "When to ignore"', (t) => {
      if (!doc) return t.skip('no page');
      const text = doc.section(2, 'When to ignore')?.lines.join('\n') ?? '';
      assert.match(text, new RegExp(`# slimfile-ignore ${id}\\b`));
      const codes = rule.meta.hadolint ?? [];
      if (codes.length > 0) {
        assert.ok(
          codes.some((c) => new RegExp(`# hadolint ignore=[A-Z0-9,]*\\b${c}\\b`).test(text)),
          `show "# hadolint ignore=${codes[0]}"`,
        );
      }
    });

    it('links only to pages that exist', (t) => {
      if (!doc) return t.skip('no page');
      const broken: string[] = [];
      for (const line of doc.proseLines()) {
        for (const m of line.matchAll(/\]\(([^)\s#]+\.md)(#[^)]*)?\)/g)) {
          if (/^[a-z]+:/.test(m[1])) continue;
          if (!fs.existsSync(path.resolve(repoPath('docs', 'rules'), m[1]))) broken.push(m[1]);
        }
      }
      assert.deepEqual(broken, [], `broken links in ${file}`);
    });
  });
}
