// Flags suppression comments that silence nothing: a `# slimfile-ignore` (or mapped `# hadolint
// ignore=`) whose rules did not report on the instruction below, or that names an unknown rule id.
// The engine computes these findings after every other rule ran; `check` itself finds nothing.
import { defineRule } from './define';

export const UNUSED_SUPPRESSION = 'unused-suppression';

export default defineRule({
  meta: {
    id: UNUSED_SUPPRESSION,
    description: 'Suppression comment that silences nothing',
    defaultSeverity: 'info',
    fixable: false,
    hasSuggestions: true,
    messages: {
      unused: '{ids} reported nothing here: this suppression comment can go.',
      unknownRule: 'Unknown rule id {ids}: run `slimfile rules` for the list.',
    },
  },
  check() {
    return [];
  },
});
