// Flags `apk add` that leaves the package index in the layer.
// Quiet with --no-cache, when a later command in the same RUN deletes /var/cache/apk, or when a
// cache mount covers that folder.
import { defineRule, type Finding, type Fix } from './define';
import { sizes } from '../data/sizes';
import { cacheMountFix } from './helpers';

const CACHE = '/var/cache/apk';

export default defineRule({
  meta: {
    id: 'apk-no-cache',
    description: 'apk add without --no-cache keeps the package index in the image',
    defaultSeverity: 'warning',
    fixable: true,
    hasSuggestions: true,
    messages: {
      missingFlag: 'apk add keeps its package index in this layer ({size}). Add --no-cache.',
    },
    hadolint: ['DL3019'],
  },
  check({ model }) {
    const findings: Finding[] = [];
    for (const run of model.runs()) {
      if (run.hasCacheMount(CACHE)) continue;
      for (const cmd of run.commandsNamed(['apk'], ['add'])) {
        if (cmd.hasFlag('--no-cache')) continue;
        if (run.removesPath(CACHE, cmd.index)) continue;
        const verb = cmd.positionals()[0];
        const fixes: Fix[] = [{ title: 'Add --no-cache', safe: true, preferred: true, edits: [cmd.insertAfter(verb, '--no-cache')] }];
        const mount = cacheMountFix(run, CACHE);
        if (mount) fixes.push(mount);
        findings.push({ span: cmd.span, messageId: 'missingFlag', data: { size: sizes.apkIndex.label }, fixes });
      }
    }
    return findings;
  },
});
