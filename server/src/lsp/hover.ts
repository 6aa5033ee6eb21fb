// Hover text: on a FROM, the base image's size and smaller variants (from the size table); on a
// COPY or ADD, what it brings in from the build context after `.dockerignore`. Markdown only; the
// server wraps it in a Hover.
import type { DockerfileModel } from '../analysis/model';
import { formatSize } from '../rules/format';
import { imageHover } from '../rules/image-hover';
import type { ContextFacts } from '../rules/define';

/** What the server knows about the document's build context when the hover is asked for. */
export interface HoverContext {
  /** The context folder, when the document is a file on disk. */
  root: string | undefined;
  facts: ContextFacts | undefined;
  /** Why there are no facts: not on disk, still scanning, unreadable. */
  missing: string | undefined;
}

const BIGGEST = 5;

/** Markdown for a hover at `offset`, or undefined where Slimfile has nothing to say. */
export function hoverMarkdown(model: DockerfileModel, offset: number, target: string | undefined, context: HoverContext): string | undefined {
  const image = imageHover(model, offset, target);
  if (image) return image;
  const copy = model.copies().find((c) => offset >= c.instruction.span.start && offset <= c.instruction.span.end);
  if (!copy || copy.heredoc) return undefined;
  const keyword = copy.instruction.keyword;
  if (copy.from !== undefined) {
    const stage = model.stageNamed(copy.from);
    return stage
      ? `\`${keyword} --from=${copy.from}\` copies from stage ${stage.name ? `\`${stage.name}\`` : stage.index} (line ${stage.from.startLine + 1}), not from the build context.`
      : `\`${keyword} --from=${copy.from}\` copies from the image \`${copy.from}\`, not from the build context.`;
  }
  const local = copy.sources.filter((s) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(s.value) && !s.value.startsWith('git@'));
  if (local.length === 0) return `\`${keyword}\` downloads its source at build time; its size is not known before the build.`;
  if (!context.facts) {
    return `\`${keyword}\`: the build context is not measured${context.missing ? ` (${context.missing})` : ''}.`;
  }
  const facts = context.facts;
  const out: string[] = [];
  let files = 0;
  let bytes = 0;
  let atLeast = false;
  const biggest: { path: string; bytes: number }[] = [];
  const unmatched: string[] = [];
  for (const s of local) {
    const m = facts.measure(s.value);
    if (!m) {
      unmatched.push(s.value);
      continue;
    }
    files += m.files;
    bytes += m.bytes;
    atLeast ||= m.atLeast;
    biggest.push(...m.biggest);
  }
  const sources = local.map((s) => s.value).join(' ');
  out.push(`\`${keyword} ${sources}\` brings in ${atLeast ? 'at least ' : ''}**${formatSize(bytes)}** in ${files.toLocaleString('en-US')} ${files === 1 ? 'file' : 'files'} from the build context.`);
  const top = biggest.sort((a, b) => b.bytes - a.bytes).slice(0, BIGGEST);
  if (top.length > 1 || (top.length === 1 && files > 1)) {
    out.push('', 'Biggest:');
    for (const b of top) out.push(`- \`${b.path}\`: ${formatSize(b.bytes)}`);
  }
  if (unmatched.length > 0) out.push('', `Nothing in the context matches ${unmatched.map((u) => `\`${u}\``).join(', ')}: the build would fail there.`);
  out.push('', facts.ignoreFile ? `After \`${facts.ignoreFile}\`.` : 'No `.dockerignore` applies: everything under the context folder is sent to the builder.');
  if (context.root) out.push(`Build context: \`${context.root}\`.`);
  return out.join('\n');
}
