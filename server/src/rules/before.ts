// Facts about what runs before an instruction: its stage's earlier instructions and every
// instruction of the stages it is built FROM (the farthest ancestor first). Rules ask this for every
// RUN they report; walking the instructions again each time made a file with thousands of RUNs in
// one stage quadratic. Here each stage is folded once per fact and the results are kept per model.
import type { DockerfileModel, Instruction, Stage } from '../analysis/model';

/**
 * A fold over the instructions before each instruction, in order. `step` gets whether the
 * instruction it folds is in the asked instruction's own stage (ARG values are not inherited).
 */
export interface BeforeFold<T> {
  key: string;
  init: T;
  step: (acc: T, ins: Instruction, ownStage: boolean) => T;
}

interface Folded<T> {
  /** The value after a whole stage, seen from a stage built FROM it. */
  stageEnd: Map<Stage, T>;
  /** The value before each instruction of the stages in `stages`, seen from its own stage, by index. */
  before: T[];
  stages: Set<Stage>;
}

const cache = new WeakMap<DockerfileModel, Map<string, Folded<unknown>>>();

/** The folded value before `ins` (init when it has no stage, and for a FROM). */
export function foldBefore<T>(ins: Instruction, fold: BeforeFold<T>): T {
  const folded = foldedOf(ins.model, fold);
  const stage = ins.stage;
  if (!stage || stage.from === ins) return fold.init;
  if (!folded.stages.has(stage)) {
    folded.stages.add(stage);
    let acc = stage.parent ? stageEnd(stage.parent, fold, folded) : fold.init;
    for (const i of stage.instructions) {
      folded.before[i.index] = acc;
      acc = fold.step(acc, i, true);
    }
  }
  return folded.before[ins.index];
}

function stageEnd<T>(stage: Stage, fold: BeforeFold<T>, folded: Folded<T>): T {
  if (folded.stageEnd.has(stage)) return folded.stageEnd.get(stage) as T;
  // Parents are earlier stages, so the chain ends; iterate to keep deep chains off the call stack.
  const chain: Stage[] = [];
  const seen = new Set<Stage>();
  for (let s: Stage | undefined = stage; s && !folded.stageEnd.has(s) && !seen.has(s); s = s.parent) {
    seen.add(s);
    chain.push(s);
  }
  chain.reverse();
  let acc = chain[0].parent && folded.stageEnd.has(chain[0].parent) ? (folded.stageEnd.get(chain[0].parent) as T) : fold.init;
  for (const s of chain) {
    for (const i of s.instructions) acc = fold.step(acc, i, false);
    folded.stageEnd.set(s, acc);
  }
  return acc;
}

/**
 * The folded value at the start of a stage's own instructions: after every instruction of the
 * stages it is built FROM (init for a stage built from an image).
 */
export function foldAtStageStart<T>(stage: Stage, fold: BeforeFold<T>): T {
  return stage.parent ? stageEnd(stage.parent, fold, foldedOf(stage.from.model, fold)) : fold.init;
}

function foldedOf<T>(model: DockerfileModel, fold: BeforeFold<T>): Folded<T> {
  let perModel = cache.get(model);
  if (!perModel) cache.set(model, (perModel = new Map()));
  let folded = perModel.get(fold.key) as Folded<T> | undefined;
  // An array as long as the file's instructions (a Map per instruction took twice the memory).
  if (!folded) perModel.set(fold.key, (folded = { stageEnd: new Map(), before: new Array<T>(model.instructions.length), stages: new Set() }));
  return folded;
}

/** The last SHELL before an instruction, if any. */
export const LAST_SHELL: BeforeFold<Instruction | undefined> = {
  key: 'last-shell',
  init: undefined,
  step: (acc, ins) => (ins.keyword === 'SHELL' ? ins : acc),
};

/** The last USER before an instruction, if any. */
export const LAST_USER: BeforeFold<Instruction | undefined> = {
  key: 'last-user',
  init: undefined,
  step: (acc, ins) => (ins.keyword === 'USER' ? ins : acc),
};
