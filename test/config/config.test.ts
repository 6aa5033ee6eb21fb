import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { globToRegExp, mergeConfigs, parseConfig, stripJsonc, validateRules } from '../../server/src/engine/config';
import { findConfigFile, isIgnoredByConfig, loadConfigFor } from '../../server/src/engine/config-files';
import { rules } from '../../server/src/rules';

describe('config parsing', () => {
  it('accepts comments and trailing commas (JSONC)', () => {
    const text = '{\n  // tune\n  "rules": { "apk-no-cache": "error", /* x */ },\n}\n';
    assert.equal(stripJsonc(text).length, text.length, 'offsets are kept');
    const { config, problems } = parseConfig(text, rules);
    assert.deepEqual(problems, []);
    assert.deepEqual(config.rules, { 'apk-no-cache': 'error' });
  });
  it('keeps // inside strings', () => {
    const { config, problems } = parseConfig('{"ignore": ["http://x/**"]}', rules);
    assert.deepEqual(problems, []);
    assert.deepEqual(config.ignore, ['http://x/**']);
  });
  it('names an unknown rule id and suggests the closest', () => {
    const text = '{"rules": {"apk-nocache": "off"}}';
    const { problems } = parseConfig(text, rules);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].message, 'unknown rule id "apk-nocache" (did you mean "apk-no-cache"?)');
    assert.equal(problems[0].offset, text.indexOf('"apk-nocache"'));
  });
  it('rejects bad levels, bad options and unknown keys', () => {
    const { problems } = parseConfig('{"rules": {"apk-no-cache": "loud"}, "rule": {}}', rules);
    assert.deepEqual(problems.map((p) => p.message), [
      'unknown key "rule" (did you mean "rules"?)',
      'rule "apk-no-cache": level must be one of "off", "hint", "info", "warning", "error", not "loud"',
    ]);
    const opt = validateRules({ 'apk-no-cache': ['warning', { size: 1 }] }, rules);
    assert.deepEqual(opt.problems.map((p) => p.message), ['rule "apk-no-cache": unknown option "size" (it has no options)']);
  });
  it('reports invalid JSON without throwing', () => {
    const { config, problems } = parseConfig('{"rules": ', rules);
    assert.deepEqual(config, {});
    assert.match(problems[0].message, /^not valid JSON/);
  });
  it('merges layers, later winning rule by rule', () => {
    assert.deepEqual(mergeConfigs({ rules: { a: 'off', b: 'info' } }, undefined, { rules: { b: 'error' }, target: 'final' }), {
      rules: { a: 'off', b: 'error' },
      target: 'final',
    });
  });
});

describe('globs', () => {
  const cases: [string, string, boolean][] = [
    ['legacy/**', 'legacy/a/Dockerfile', true],
    ['legacy/**', 'x/legacy/Dockerfile', false],
    ['**/test/**', 'a/test/Dockerfile', true],
    ['*.Dockerfile', 'deep/dir/dev.Dockerfile', true],
    ['Dockerfile.?', 'Dockerfile.a', true],
    ['Dockerfile.?', 'Dockerfile.ab', false],
    ['vendor/', 'vendor/x/Dockerfile', true],
  ];
  for (const [glob, p, expected] of cases) {
    it(`${glob} ${expected ? 'matches' : 'does not match'} ${p}`, () => assert.equal(globToRegExp(glob).test(p), expected));
  }
});

describe('config files', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'slimfile-config-'));
  after(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.mkdirSync(path.join(root, '.git'));
  fs.mkdirSync(path.join(root, 'svc', 'api'), { recursive: true });
  fs.writeFileSync(path.join(root, '.slimfile.json'), JSON.stringify({ rules: { 'apk-no-cache': 'error' }, ignore: ['legacy/**'] }));
  fs.writeFileSync(path.join(root, 'svc', '.slimfile.jsonc'), '{ "extends": "../.slimfile.json", "rules": { "consecutive-run": "off", }, }');

  it('finds the nearest file upward', () => {
    assert.equal(findConfigFile(path.join(root, 'svc', 'api', 'Dockerfile')), path.join(root, 'svc', '.slimfile.jsonc'));
    assert.equal(findConfigFile(path.join(root, 'Dockerfile')), path.join(root, '.slimfile.json'));
  });
  it('stops at the repository root', () => {
    const outside = fs.mkdtempSync(path.join(root, 'nested-'));
    fs.mkdirSync(path.join(outside, '.git'));
    assert.equal(findConfigFile(path.join(outside, 'Dockerfile')), undefined);
  });
  it('reads extends, the nearer file winning', () => {
    const loaded = loadConfigFor(path.join(root, 'svc', 'api', 'Dockerfile'), rules);
    assert.deepEqual(loaded.problems, []);
    assert.equal(loaded.config.rules?.['apk-no-cache'], 'error');
    assert.equal(loaded.config.rules?.['consecutive-run'], 'off');
  });
  it('reports an extends cycle and a missing base', () => {
    const dir = fs.mkdtempSync(path.join(root, 'cycle-'));
    fs.writeFileSync(path.join(dir, '.slimfile.json'), '{"extends": "./b.json"}');
    fs.writeFileSync(path.join(dir, 'b.json'), '{"extends": "./.slimfile.json"}');
    assert.match(loadConfigFor(path.join(dir, 'Dockerfile'), rules).problems[0].message, /cycle/);
    fs.writeFileSync(path.join(dir, '.slimfile.json'), '{"extends": "./nope.json"}');
    assert.match(loadConfigFor(path.join(dir, 'Dockerfile'), rules).problems[0].message, /no such file/);
  });
  it('applies ignore globs relative to the config file', () => {
    const loaded = loadConfigFor(path.join(root, 'legacy', 'old', 'Dockerfile'), rules);
    assert.equal(isIgnoredByConfig(path.join(root, 'legacy', 'old', 'Dockerfile'), loaded), true);
    assert.equal(isIgnoredByConfig(path.join(root, 'Dockerfile'), loaded), false);
  });
});
