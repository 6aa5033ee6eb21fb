// The rule registry, sorted by id. Adding a rule: its file here, a test in test/rules, a page in
// docs/rules, a row in the README table.
import type { Rule } from './define';
import apkNoCache from './apk-no-cache';

export const rules: readonly Rule[] = [apkNoCache];

export function ruleById(id: string): Rule | undefined {
  return rules.find((r) => r.meta.id === id);
}
