// Pieces several rules share: fixes that add a BuildKit cache mount or append a clean-up command.
import type { RunInstruction } from '../analysis/model';
import type { Fix } from './define';

/**
 * "Use a BuildKit cache mount": adds `--mount=type=cache,target=<target>` after `RUN`, which keeps
 * the cache out of the layer and reuses it across builds. Never preferred, never safe: it needs
 * BuildKit and changes how the cache behaves between builds.
 */
export function cacheMountFix(run: RunInstruction, target: string, extra = ''): Fix | undefined {
  const at = run.keywordSpan.end;
  return {
    title: `Use a BuildKit cache mount on ${target}`,
    safe: false,
    edits: [{ span: { start: at, end: at }, text: ` --mount=type=cache,target=${target}${extra}` }],
  };
}

/** A fix appending `&& <command>` at the end of the RUN's script, if that can be done soundly. */
export function appendFix(run: RunInstruction, command: string, title: string): Fix | undefined {
  const edit = run.appendCommand(command);
  if (!edit) return undefined;
  return { title, safe: true, preferred: true, edits: [edit] };
}
