// The rule registry, sorted by id. Adding a rule: its file here, a test in test/rules, a page in
// docs/rules, a row in the README table.
import type { Rule } from './define';
import addRemoteUrl from './add-remote-url';
import apkNoCache from './apk-no-cache';
import aptListsNotRemoved from './apt-lists-not-removed';
import aptNoInstallRecommends from './apt-no-install-recommends';
import buildToolsInFinalStage from './build-tools-in-final-stage';
import chownAfterCopy from './chown-after-copy';
import consecutiveRun from './consecutive-run';
import copyAllWithoutDockerignore from './copy-all-without-dockerignore';
import copyOutsideContext from './copy-outside-context';
import dataFileCopied from './data-file-copied';
import imageSizeBudget from './image-size-budget';
import largeBaseImage from './large-base-image';
import npmCache from './npm-cache';
import pipNoCache from './pip-no-cache';
import removedInLaterLayer from './removed-in-later-layer';
import unusedSuppression from './unused-suppression';
import yumDnfCache from './yum-dnf-cache';

export const rules: readonly Rule[] = [
  addRemoteUrl,
  apkNoCache,
  aptListsNotRemoved,
  aptNoInstallRecommends,
  buildToolsInFinalStage,
  chownAfterCopy,
  consecutiveRun,
  copyAllWithoutDockerignore,
  copyOutsideContext,
  dataFileCopied,
  imageSizeBudget,
  largeBaseImage,
  npmCache,
  pipNoCache,
  removedInLaterLayer,
  unusedSuppression,
  yumDnfCache,
];

export function ruleById(id: string): Rule | undefined {
  return rules.find((r) => r.meta.id === id);
}
