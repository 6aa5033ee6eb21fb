// Flags `apt-get install` / `apt install` that also installs every recommended package: Debian and
// Ubuntu install Recommends by default, and they often weigh more than what was asked for.
// Quiet with --no-install-recommends, `-o APT::Install-Recommends=...` (either way: a deliberate
// choice), --install-recommends (an explicit opt-in), or an apt.conf setting written earlier.
import { defineRule, type Finding } from './define';
import type { RunInstruction } from '../analysis/model';
import { sizes } from '../data/sizes';
import { foldBefore, type BeforeFold } from './before';

const APT = ['apt-get', 'apt'];

/** apt-get/apt options that take a separate value (`-o X=Y`, `-t bookworm-backports`). */
const APT_VALUE_OPTIONS: ReadonlySet<string> = new Set(['-o', '-c', '-t', '--option', '--config-file', '--target-release', '--default-release']);

/** `-o APT::Install-Recommends=<value>`; apt reads configuration keys case-insensitively. */
const RECOMMENDS_OPTION = /^APT::Install-Recommends=/i;

/**
 * apt.conf syntax turning recommends off (`APT::Install-Recommends "false";`, also `"0"`), as it
 * appears in the Dockerfile text: possibly with escaped quotes (`\"false\"`) inside a shell or JSON
 * string. apt's boolean parser also takes `no` and `off`.
 */
const RECOMMENDS_OFF_CONFIG = /APT::Install-Recommends\s*\\*["']?\s*(?:false|0|no|off)\b/i;

/** Where apt reads its configuration: /etc/apt/apt.conf and /etc/apt/apt.conf.d/. */
const APT_CONF = '/etc/apt/apt.conf';

export default defineRule({
  meta: {
    id: 'apt-no-install-recommends',
    description: 'apt-get install without --no-install-recommends also installs recommended packages',
    defaultSeverity: 'warning',
    fixable: true,
    messages: {
      missingFlag: '{command} also installs recommended packages: {size}. Add --no-install-recommends and name the packages you need.',
    },
    hadolint: ['DL3015'],
  },
  check({ model }) {
    const findings: Finding[] = [];
    for (const run of model.runs()) {
      for (const cmd of run.commandsNamed(APT, ['install'], APT_VALUE_OPTIONS)) {
        if (cmd.hasFlag('--no-install-recommends', '--install-recommends')) continue;
        if (cmd.optionValues('-o', '--option').some((v) => RECOMMENDS_OPTION.test(v))) continue;
        if (configTurnsRecommendsOff(run, cmd.span.start)) continue;
        const verb = cmd.positionals(APT_VALUE_OPTIONS)[0];
        findings.push({
          span: cmd.span,
          messageId: 'missingFlag',
          data: { command: `${cmd.name} install`, size: sizes.aptRecommends.label },
          fixes: [{ title: 'Add --no-install-recommends', safe: true, preferred: true, edits: [cmd.insertAfter(verb, '--no-install-recommends')] }],
        });
      }
    }
    return findings;
  },
});

/**
 * Whether an apt.conf setting turning recommends off was written before `before` (a document
 * offset inside `run`): earlier in the same RUN, or by an earlier RUN, COPY or ADD (heredoc) of the
 * stage or of the stages it is built FROM. A plain text search: the instruction must mention both
 * the setting and /etc/apt/apt.conf(.d). Files copied from the build context are not read.
 */
function configTurnsRecommendsOff(run: RunInstruction, before: number): boolean {
  if (writesConfig(run.model.text.slice(run.span.start, before))) return true;
  return foldBefore(run, CONFIG_WRITTEN);
}

/** Whether an instruction before this one wrote the setting (see configTurnsRecommendsOff). */
const CONFIG_WRITTEN: BeforeFold<boolean> = {
  key: 'apt-no-install-recommends:config',
  init: false,
  step: (acc, ins) => acc || ((ins.keyword === 'RUN' || ins.keyword === 'COPY' || ins.keyword === 'ADD') && writesConfig(ins.text)),
};

function writesConfig(text: string): boolean {
  return text.includes(APT_CONF) && RECOMMENDS_OFF_CONFIG.test(text);
}
