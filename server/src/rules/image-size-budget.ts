// Estimates the final image from the base image's size (the table in data/images.json) and what
// each COPY/ADD brings in (measured in the build context), and reports images past a budget:
// warning past warnMB (1 GB is already a very big image), error past errorMB (a common registry
// limit). RUN layers cannot be known without building: the estimate then says "at least".
import type { DockerfileModel, Instruction, Stage } from '../analysis/model';
import type { Span } from '../analysis/text';
import { defineRule, type ContextFacts, type Finding } from './define';
import { lookup } from '../data/images';
import { formatSize } from './format';
import { stageChain } from './paths';

const MB = 1_000_000;

export interface EstimatePart {
  /** `base python:3.12`, `COPY . /app`. */
  label: string;
  /** Undefined when it cannot be known without building. */
  bytes: number | undefined;
  span: Span;
  instruction: Instruction;
}

export interface ImageEstimate {
  /** Sum of the known parts. */
  bytes: number;
  /** Some parts are unknown (RUN layers, URLs, unknown base): the image is at least this big. */
  atLeast: boolean;
  /** The base image part first, then the layers in build order. */
  parts: EstimatePart[];
  /** The final stage's FROM, where the estimate is shown. */
  from: Instruction;
}

/** The stages the final image is built on, root first. */
function chain(model: DockerfileModel, target: string | undefined): Stage[] {
  const final = model.finalStage(target);
  return final ? stageChain(final) : [];
}

/** What a stage copied in from the build context, where measured. */
function copiedFromContext(stage: Stage, model: DockerfileModel, context: ContextFacts | undefined): number | undefined {
  if (!context) return undefined;
  let total = 0;
  for (const c of model.copies()) {
    if (c.instruction.stage !== stage || c.from !== undefined || c.heredoc) continue;
    for (const s of c.sources) total += context.measure(s.value)?.bytes ?? 0;
  }
  return total;
}

/**
 * An estimate of the image built for `target`: base image plus each layer of the final stage and
 * the stages it is built FROM. Undefined for a file without stages.
 */
export function estimateImage(model: DockerfileModel, target: string | undefined, context: ContextFacts | undefined): ImageEstimate | undefined {
  const stages = chain(model, target);
  const root = stages[0];
  const final = stages[stages.length - 1];
  if (!root || !final) return undefined;
  const parts: EstimatePart[] = [];
  const image = root.image;
  const baseSpan = image?.span ?? root.from.span;
  if (image && image.name === 'scratch') parts.push({ label: 'base scratch', bytes: 0, span: baseSpan, instruction: root.from });
  else {
    const info = image ? lookup(image) : undefined;
    parts.push({ label: `base ${info?.display ?? image?.raw ?? '?'}`, bytes: info ? info.sizeMB * MB : undefined, span: baseSpan, instruction: root.from });
  }
  for (const stage of stages) {
    for (const ins of stage.instructions) {
      if (ins.keyword === 'RUN') {
        parts.push({ label: `RUN (line ${ins.startLine + 1})`, bytes: undefined, span: ins.keywordSpan, instruction: ins });
        continue;
      }
      if (ins.keyword !== 'COPY' && ins.keyword !== 'ADD') continue;
      const c = model.copyOf(ins);
      if (!c || c.heredoc) continue;
      const label = `${ins.keyword} ${c.sources.map((s) => s.value).join(' ')}`;
      let bytes: number | undefined;
      if (c.from !== undefined) {
        const from = model.stageNamed(c.from);
        bytes = from ? copiedFromContext(from, model, context) : undefined;
      } else if (context && c.sources.every((s) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(s.value))) {
        bytes = c.sources.reduce((sum, s) => sum + (context.measure(s.value)?.bytes ?? 0), 0);
      }
      parts.push({ label, bytes, span: ins.keywordSpan, instruction: ins });
    }
  }
  const bytes = parts.reduce((sum, p) => sum + (p.bytes ?? 0), 0);
  return { bytes, atLeast: parts.some((p) => p.bytes === undefined), parts, from: final.from };
}

/** "≈ 1.3 GB: base python:3.12 380 MB + COPY . 910 MB + …" */
export function describeEstimate(e: ImageEstimate, maxParts = 3): string {
  const known = e.parts.filter((p) => p.bytes !== undefined && p.bytes > 0).sort((a, b) => b.bytes! - a.bytes!);
  const shown = known.slice(0, maxParts).map((p) => `${p.label} ${formatSize(p.bytes!)}`);
  const more = known.length > maxParts || e.atLeast ? ' + …' : '';
  return `${e.atLeast ? 'at least ' : '≈ '}${formatSize(e.bytes)}${shown.length ? `: ${shown.join(' + ')}${more}` : ''}`;
}

export default defineRule({
  meta: {
    id: 'image-size-budget',
    description: 'Estimated image size over the budget',
    defaultSeverity: 'warning',
    fixable: false,
    messages: {
      overBudget: 'The image is {estimate}, over the {budget} budget. Look at the biggest parts first.',
      overLimit: 'The image is {estimate}, over {budget}: many registries refuse images this big.',
    },
    options: { warnMB: 1000, errorMB: 5000 },
  },
  check({ model, options, target, context }) {
    const e = estimateImage(model, target, context);
    if (!e) return [];
    const warn = (typeof options.warnMB === 'number' ? options.warnMB : 1000) * MB;
    const error = (typeof options.errorMB === 'number' ? options.errorMB : 5000) * MB;
    const span = model.finalStage(target)?.image?.span ?? e.from.span;
    const findings: Finding[] = [];
    if (e.bytes > error) findings.push({ span, messageId: 'overLimit', severity: 'error', data: { estimate: describeEstimate(e), budget: formatSize(error) } });
    else if (e.bytes > warn) findings.push({ span, messageId: 'overBudget', data: { estimate: describeEstimate(e), budget: formatSize(warn) } });
    return findings;
  },
});
