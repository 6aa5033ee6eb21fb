// The rule registry, sorted by id. Adding a rule: its file here, a test in test/rules, a page in
// docs/rules, a row in the README table.
import type { Rule } from './define';
import apkNoCache from './apk-no-cache';
import consecutiveRun from './consecutive-run';
import copyAllWithoutDockerignore from './copy-all-without-dockerignore';
import copyOutsideContext from './copy-outside-context';
import dataFileCopied from './data-file-copied';
import npmCache from './npm-cache';
import pipNoCache from './pip-no-cache';
import unusedSuppression from './unused-suppression';
import yumDnfCache from './yum-dnf-cache';

export const rules: readonly Rule[] = [
  apkNoCache,
  consecutiveRun,
  copyAllWithoutDockerignore,
  copyOutsideContext,
  dataFileCopied,
  npmCache,
  pipNoCache,
  unusedSuppression,
  yumDnfCache,
];

export function ruleById(id: string): Rule | undefined {
  return rules.find((r) => r.meta.id === id);
}
