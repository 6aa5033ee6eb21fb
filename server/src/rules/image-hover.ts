// The hover of a FROM instruction: the base image's approximate compressed size and its smaller
// variants (with the musl caveat for Alpine), from the size table. Pure: the LSP glue turns the
// markdown into a Hover. Nothing for stage references, unknown images or other instructions.
import type { DockerfileModel } from '../analysis/model';
import { formatMB, lookup, type SmallerImage } from '../data/images';

function caveat(s: SmallerImage): string {
  const parts: string[] = [];
  if (s.libc === 'musl') parts.push('musl libc, not glibc');
  if (s.kind === 'runtime' || s.runtimeOnly) parts.push('runtime only');
  if (s.kind === 'distroless') parts.push('no shell or package manager');
  if (s.note) parts.push(s.note);
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}

/**
 * Markdown for a hover at `offset` (UTF-16, in the document): defined on a FROM instruction whose
 * image the size table knows (and on `FROM scratch`); undefined elsewhere. `target` tells which
 * stages ship, so a build-only stage says so.
 */
export function imageHover(model: DockerfileModel, offset: number, target?: string): string | undefined {
  const from = model.instructions.find((i) => i.keyword === 'FROM' && offset >= i.span.start && offset <= i.span.end);
  const stage = from?.stage;
  const image = stage?.image;
  if (!stage || !image || stage.parent) return undefined;
  const shipped = model.imageStages(target).has(stage);
  const buildOnly = shipped ? [] : ['', '_Build-only stage: its image does not ship, only what later stages copy out of it._'];
  if (image.name === 'scratch' && image.registry === undefined) {
    return ['`scratch`: Docker’s empty image; nothing is pulled (0 MB).', ...buildOnly].join('\n');
  }
  const info = lookup(image);
  if (!info) return undefined;
  const out = [`\`${info.display}\`: about ${formatMB(info.sizeMB)} MB compressed (linux/amd64).`];
  if (info.toolchain) out.push('', 'A toolchain image: the compilers and SDK ship with whatever is built on it.');
  if (info.smaller.length > 0) {
    out.push('', 'Smaller variants:');
    for (const s of info.smaller) out.push(`- \`${s.ref}\`: about ${formatMB(s.sizeMB)} MB${caveat(s)}`);
  }
  out.push(...buildOnly);
  out.push('', `_${info.source.charAt(0).toUpperCase()}${info.source.slice(1)}._`);
  return out.join('\n');
}
