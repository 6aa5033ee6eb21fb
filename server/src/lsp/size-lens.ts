// The size estimate as a CodeLens above the final stage's FROM: "≈ 1.3 GB: base python:3.12
// 370 MB + COPY . 910 MB + …". Clicking it shows the breakdown, biggest part first.
import type { CodeLens } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DockerfileModel } from '../analysis/model';
import type { ContextFacts } from '../rules/define';
import { describeEstimate, estimateImage } from '../rules/image-size-budget';
import { formatSize } from '../rules/format';

export const SHOW_BREAKDOWN = 'slimfile.showSizeBreakdown';

/** One line per part, biggest first; unknown parts last. */
export function breakdownLines(model: DockerfileModel, target: string | undefined, context: ContextFacts | undefined): string[] {
  const e = estimateImage(model, target, context);
  if (!e) return [];
  const known = e.parts.filter((p) => p.bytes !== undefined).sort((a, b) => b.bytes! - a.bytes!);
  const unknown = e.parts.filter((p) => p.bytes === undefined);
  return [
    ...known.map((p) => `${formatSize(p.bytes!).padStart(9)}  ${p.label} (line ${p.instruction.startLine + 1})`),
    ...unknown.map((p) => `${'unknown'.padStart(9)}  ${p.label}${p.label.startsWith('RUN') ? ' — only a build knows' : ''}`),
  ];
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
      command: { title, command: SHOW_BREAKDOWN, arguments: [doc.uri, breakdownLines(model, target, context)] },
    },
  ];
}
