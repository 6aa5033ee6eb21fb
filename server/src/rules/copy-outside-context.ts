// Flags COPY/ADD sources outside the build context: `COPY ../shared /x` fails the build, since
// the builder only has the context; a source reached through a link that points out of the
// context is not what it seems either. Slimfile never reads such paths.
import { posix } from 'node:path';
import { defineRule, type Finding } from './define';

export default defineRule({
  meta: {
    id: 'copy-outside-context',
    description: 'COPY or ADD source outside the build context',
    defaultSeverity: 'error',
    fixable: false,
    messages: {
      outside: '{source} is outside the build context: the builder cannot read it and the build fails. Move it into the context or widen the context.',
      link: '{source} goes through a link out of the build context ({link}): Docker copies the link, not what it points to.',
    },
  },
  check({ model, context }) {
    const findings: Finding[] = [];
    for (const c of model.copies()) {
      if (c.from !== undefined || c.heredoc) continue;
      for (const s of c.sources) {
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s.value) || s.value.includes('$')) continue;
        const normal = posix.normalize(s.value.replace(/^\/+/, ''));
        if (normal === '..' || normal.startsWith('../')) {
          findings.push({ span: s.span, messageId: 'outside', data: { source: s.value } });
          continue;
        }
        const link = context?.linkEscapes(s.value);
        if (link) findings.push({ span: s.span, messageId: 'link', data: { source: s.value, link } });
      }
    }
    return findings;
  },
});
