// The size estimate as a CodeLens above the final stage's FROM: "≈ 1.3 GB: base python:3.12
// 370 MB + COPY . 910 MB + …". Clicking it shows the breakdown, biggest part first.
import type { CodeLens } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DockerfileModel, Instruction } from '../analysis/model';
import type { ContextFacts } from '../rules/define';
import { describeEstimate, estimateImage } from '../rules/image-size-budget';
import { formatSize } from '../rules/format';
import { SHOW_BREAKDOWN_COMMAND, type SizePart } from './protocol';

/** The estimate's parts, biggest first; unknown parts last. */
export function breakdownParts(model: DockerfileModel, target: string | undefined, context: ContextFacts | undefined): SizePart[] {
  const e = estimateImage(model, target, context);
  if (!e) return [];
  const known = e.parts.filter((p) => p.bytes !== undefined).sort((a, b) => b.bytes! - a.bytes!);
  const unknown = e.parts.filter((p) => p.bytes === undefined);
  return [
    ...known.map((p) => ({ size: formatSize(p.bytes!), label: p.label, line: p.instruction.startLine })),
    ...unknown.map((p) => ({
      size: 'unknown',
      label: p.label,
      line: p.instruction.startLine,
      note: unknownBecause(p.instruction, context),
    })),
  ];
}

/** Why a part's size is not known, said in a few words. */
function unknownBecause(ins: Instruction, context: ContextFacts | undefined): string {
  if (ins.keyword === 'FROM') return 'this base image is not in the size table';
  if (ins.keyword === 'RUN') return 'what a RUN adds is known only after a build';
  if (ins.flag('from')) return 'copied from another stage or image: known only after a build';
  if (!context) return 'the build context is not measured yet';
  return 'a download: its size is known only after a build';
}

/** The lens for a document, or none when it has no stage. */
export function sizeLenses(doc: TextDocument, model: DockerfileModel, target: string | undefined, context: ContextFacts | undefined): CodeLens[] {
  const e = estimateImage(model, target, context);
  if (!e) return [];
  const line = doc.positionAt(e.from.span.start).line;
  const title = `${describeEstimate(e)}${context ? '' : ' (build context not measured)'}`;
  return [
    {
      range: { start: { line, character: 0 }, end: { line, character: 0 } },
      command: { title, command: SHOW_BREAKDOWN_COMMAND, arguments: [doc.uri, breakdownParts(model, target, context)] },
    },
  ];
}
