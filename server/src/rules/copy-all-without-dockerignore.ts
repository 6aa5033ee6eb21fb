// Flags `COPY .` / `ADD .` (the whole build context) when no .dockerignore applies: everything in
// the folder is sent to the builder and copied into the layer (node_modules, .git, local secrets).
// Needs the measured build context; quiet when the front end could not measure it.
import { defineRule, type Finding } from './define';
import { formatSize } from './format';

export const GENERATE_DOCKERIGNORE = 'slimfile.generateDockerignore';

export default defineRule({
  meta: {
    id: 'copy-all-without-dockerignore',
    description: 'COPY of the whole build context without a .dockerignore',
    defaultSeverity: 'warning',
    fixable: false,
    hasSuggestions: true,
    messages: {
      noIgnoreFile: '{keyword} {source} copies the whole build context ({size} in {files} files{biggest}) and no .dockerignore applies. Generate one to keep dependencies, history and secrets out.',
    },
  },
  check({ model, context }) {
    if (!context || context.ignoreFile) return [];
    const findings: Finding[] = [];
    for (const c of model.copies()) {
      if (c.from !== undefined || c.heredoc) continue;
      for (const s of c.sources) {
        if (!/^(\.\/?|\/)$/.test(s.value)) continue;
        const t = context.total;
        findings.push({
          span: s.span,
          messageId: 'noIgnoreFile',
          data: {
            keyword: c.instruction.keyword,
            source: s.value,
            size: (t.atLeast ? 'at least ' : '') + formatSize(t.bytes),
            files: t.files,
            biggest: t.biggest.length > 0 ? `: ${t.biggest.map((b) => `${b.path} ${formatSize(b.bytes)}`).join(', ')}` : '',
          },
          fixes: [{ title: 'Generate .dockerignore for this build context', edits: [], command: { command: GENERATE_DOCKERIGNORE } }],
        });
      }
    }
    return findings;
  },
});
