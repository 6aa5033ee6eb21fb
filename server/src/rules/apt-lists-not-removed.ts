// Flags a RUN whose `apt-get update` / `install` / `upgrade` leaves the package lists
// (/var/lib/apt/lists) in its layer; `apt-get clean` does not remove them. Quiet when a later
// command in the same RUN deletes them (`rm -rf /var/lib/apt/lists/*`, `apt-get dist-clean`) or a
// cache or tmpfs mount covers that folder. Exec-form and heredoc RUNs are read too.
import { defineRule, type Finding, type Fix } from './define';
import type { RunInstruction } from '../analysis/model';
import { sizes } from '../data/sizes';
import { appendFix, cacheMountFix } from './helpers';

const LISTS = '/var/lib/apt/lists';
const APT = ['apt-get', 'apt'];
const WRITES_LISTS = ['update', 'install', 'upgrade', 'dist-upgrade', 'full-upgrade'];

/** apt-get/apt options that take a separate value (`-o X=Y`, `-t bookworm-backports`). */
const APT_VALUE_OPTIONS: ReadonlySet<string> = new Set(['-o', '-c', '-t', '--option', '--config-file', '--target-release', '--default-release']);

export default defineRule({
  meta: {
    id: 'apt-lists-not-removed',
    description: 'apt-get update or install leaves /var/lib/apt/lists in the layer',
    defaultSeverity: 'warning',
    fixable: true,
    hasSuggestions: true,
    messages: {
      listsLeft:
        '{command} leaves the package lists in this layer ({size}). End the same RUN with rm -rf /var/lib/apt/lists/* (apt-get clean does not remove them).',
    },
    hadolint: ['DL3009'],
  },
  check({ model }) {
    const findings: Finding[] = [];
    for (const run of model.runs()) {
      if (run.hasCacheMount(LISTS)) continue;
      const left = run.commandsNamed(APT, WRITES_LISTS, APT_VALUE_OPTIONS).filter((cmd) => !cleansUpAfter(run, cmd.index));
      const cmd = left[left.length - 1];
      if (!cmd) continue;
      const verb = cmd.positionals(APT_VALUE_OPTIONS)[0]?.value ?? '';
      const fixes: Fix[] = [];
      const append = appendFix(run, `rm -rf ${LISTS}/*`, `Remove ${LISTS} in the same RUN`);
      if (append) fixes.push(append);
      const mount = cacheMountFix(run, LISTS, ',sharing=locked');
      if (mount) fixes.push(mount);
      findings.push({ span: cmd.span, messageId: 'listsLeft', data: { command: `${cmd.name} ${verb}`, size: sizes.aptLists.label }, fixes });
    }
    return findings;
  },
});

/** Whether a command after position `after` deletes the lists: `rm` of them or a parent, or `apt-get dist-clean`. */
function cleansUpAfter(run: RunInstruction, after: number): boolean {
  if (run.removesPath(LISTS, after)) return true;
  return run.commandsNamed(APT, ['dist-clean'], APT_VALUE_OPTIONS).some((c) => c.index > after);
}
