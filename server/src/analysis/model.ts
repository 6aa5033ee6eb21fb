// The analysis model: the Dockerfile split into instructions (the boundaries dockerfile-ast draws,
// found by our own scan in split.ts), then our own facts on top: stages (which is final, what each
// resolves to with ARG defaults), instructions with offset spans, and every RUN's shell commands as
// words with exact spans. Pure and total: any text gives a model.
import { DockerfileParser, type Instruction as AstInstruction } from 'dockerfile-ast';
import { splitInstructions } from './split';
import { LineIndex, type Edit, type Span } from './text';
import { parseJsonArray, shellFormSource, verbatimSource, type ShellSource } from './shell/source';
import { parseScript, ShellCommand, ShellScript, type ShellWord } from './shell/parse';

export { ShellCommand, ShellScript };
export type { ShellWord, ShellSource };

export interface Flag {
  /** Name without the leading dashes (`mount`). */
  name: string;
  value: string | undefined;
  span: Span;
}

export interface Mount {
  /** `bind` when not given, as Docker defaults. */
  type: string;
  target: string | undefined;
  options: Map<string, string>;
}

export interface ImageRef {
  /** As written (`${BASE}:3.12`). */
  raw: string;
  /** With ARG defaults substituted. */
  resolved: string;
  /** Registry host when one is written (`mcr.microsoft.com`), else undefined (Docker Hub). */
  registry: string | undefined;
  /** Repository path without registry and without `library/` (`python`, `dotnet/sdk`). */
  name: string;
  tag: string | undefined;
  digest: string | undefined;
  /** Whether a variable stayed unresolved. */
  unresolved: boolean;
  span: Span;
}

export class Instruction {
  stage: Stage | undefined;
  constructor(
    readonly model: DockerfileModel,
    /** Position in the file, from 0. */
    readonly index: number,
    /** Upper-case keyword (`RUN`). */
    readonly keyword: string,
    /** The whole instruction, continuations and heredoc bodies included. */
    readonly span: Span,
    readonly keywordSpan: Span,
    /** The arguments after any flags; undefined when there are none. */
    readonly argsSpan: Span | undefined,
    readonly flags: Flag[],
  ) {}

  /** The dockerfile-ast node of this instruction. The model does not need it: the file is parsed on first use. */
  get ast(): AstInstruction {
    return this.model.astInstructions()[this.index];
  }

  get startLine(): number {
    return this.model.lines.positionAt(this.span.start).line;
  }

  get endLine(): number {
    return this.model.lines.positionAt(this.span.end).line;
  }

  /** The instruction's text as written. */
  get text(): string {
    return this.model.text.slice(this.span.start, this.span.end);
  }

  /** The arguments' text as written (continuations included). */
  get argsText(): string {
    return this.argsSpan ? this.model.text.slice(this.argsSpan.start, this.argsSpan.end) : '';
  }

  flag(name: string): Flag | undefined {
    return this.flags.find((f) => f.name === name);
  }
}

export class RunInstruction extends Instruction {
  /** `shell`, `exec` (JSON array) or `heredoc` (the script is a heredoc body). */
  form: 'shell' | 'exec' | 'heredoc' = 'shell';
  /** The script where commands appended to the RUN belong; undefined for exec form without a shell. */
  script: ShellScript | undefined;
  /** Every command in execution order, nested `sh -c` scripts included. */
  commands: ShellCommand[] = [];
  mounts: Mount[] = [];
  /** Heredocs opened on the RUN line, in order, with their bodies (undefined when unterminated). */
  heredocs: { delimiter: string; body: Span | undefined }[] = [];

  /**
   * An edit appending `&& <command>` after the RUN's last command (`ShellScript.appendCommand`).
   * Undefined also when an escape character stands between that point and the RUN's end: after
   * `x\ \` dockerfile-ast ends the RUN at that line while Docker continues it, and the inserted
   * text would turn the last `\` into a line continuation either way.
   */
  appendCommand(command: string): Edit | undefined {
    const edit = this.script?.appendCommand(command);
    if (!edit || this.model.text.slice(edit.span.start, this.span.end).includes(this.model.escape)) return undefined;
    return edit;
  }

  /** Commands named `name` (any of several), optionally with a first positional argument in `subcommands`. */
  commandsNamed(names: readonly string[], subcommands?: readonly string[], valueOptions?: ReadonlySet<string>): ShellCommand[] {
    return this.commands.filter((c) => {
      if (!names.includes(c.name)) return false;
      if (!subcommands) return true;
      const sub = c.positionals(valueOptions)[0];
      return sub !== undefined && subcommands.includes(sub.value);
    });
  }

  /** Whether a cache or tmpfs mount keeps `path` out of the layer. */
  hasCacheMount(path: string): boolean {
    return this.mounts.some((m) => (m.type === 'cache' || m.type === 'tmpfs') && m.target !== undefined && covers(m.target, path));
  }

  /**
   * Whether a command after position `after` removes `path` (or a folder containing it, or its
   * contents with `/*`).
   */
  removesPath(path: string, after: number): boolean {
    for (const c of this.commands) {
      if (c.index <= after || c.name !== 'rm') continue;
      for (const w of c.positionals()) {
        let p = normalizePath(w.value);
        if (p.endsWith('/*') || p.endsWith('/.*')) p = p.slice(0, p.lastIndexOf('/'));
        if (covers(p, path)) return true;
      }
    }
    return false;
  }
}

/** Whether `dir` is `path` or one of its parents. */
export function covers(dir: string, path: string): boolean {
  const d = normalizePath(dir).replace(/\/+$/, '');
  const p = normalizePath(path).replace(/\/+$/, '');
  if (d === '') return p.startsWith('/');
  return p === d || p.startsWith(d + '/');
}

/** Folds `~`, `$HOME` and `${HOME}` to `/root` (the home of the default user) and duplicate slashes. */
export function normalizePath(p: string): string {
  return p.replace(/^(~|\$HOME|\$\{HOME\})(?=\/|$)/, '/root').replace(/\/{2,}/g, '/');
}

/** A COPY or ADD: what it takes from where, and where it puts it. */
export interface CopyFacts {
  instruction: Instruction;
  /** Sources as written (context-relative unless `from` is set; URLs for ADD). */
  sources: { value: string; span: Span }[];
  /** The destination, when given. */
  dest: { value: string; span: Span } | undefined;
  /** `--from=` value: a stage name, index or image; undefined for the build context. */
  from: string | undefined;
  /** Sources given as heredocs (`COPY <<EOF /x`) are inline text, not context files. */
  heredoc: boolean;
}

export interface Stage {
  index: number;
  /** The `AS` name as written, if any. */
  name: string | undefined;
  from: Instruction;
  image: ImageRef | undefined;
  /** The stage this one is built `FROM`, if its image names an earlier stage. */
  parent: Stage | undefined;
  /** Instructions after FROM, up to the next FROM. */
  instructions: Instruction[];
}

export class DockerfileModel {
  readonly lines: LineIndex;
  escape = '\\';
  instructions: Instruction[] = [];
  stages: Stage[] = [];
  /**
   * The instruction whose heredoc never closes, if any: it is the last one, and anything written
   * after it becomes part of that heredoc's body.
   */
  openHeredoc: Instruction | undefined;
  /** ARGs declared before the first FROM, with their defaults (undefined when none). */
  globalArgs = new Map<string, string | undefined>();
  /** Stages by lower-cased name; the first stage of a name wins, as Docker resolves them. */
  private readonly stagesByName = new Map<string, Stage>();

  /** The last instruction starting at or before `offset`, if any. */
  instructionAt(offset: number): Instruction | undefined {
    const list = this.instructions;
    if (list.length === 0 || list[0].span.start > offset) return undefined;
    let lo = 0;
    let hi = list.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (list[mid].span.start <= offset) lo = mid;
      else hi = mid - 1;
    }
    return list[lo];
  }

  /**
   * Where text inserted after the last instruction would be joined to it: the end of its content
   * when that ends with the escape character (a line continuation with nothing after it); else
   * undefined.
   */
  get danglingContinuation(): number | undefined {
    const last = this.instructions[this.instructions.length - 1];
    if (!last) return undefined;
    let end = last.span.end;
    while (end > last.span.start && /\s/.test(this.text[end - 1])) end--;
    return this.text[end - 1] === this.escape && end > last.keywordSpan.end ? end : undefined;
  }

  /** Registers a stage (analysis only). */
  addStage(stage: Stage): void {
    this.stages.push(stage);
    const key = stage.name?.toLowerCase();
    if (key !== undefined && !this.stagesByName.has(key)) this.stagesByName.set(key, stage);
  }

  constructor(readonly text: string) {
    this.lines = new LineIndex(text);
  }

  private astCache: AstInstruction[] | undefined;

  /** dockerfile-ast's instructions, parsed once on first use; one per model instruction, same order. */
  astInstructions(): AstInstruction[] {
    if (!this.astCache) this.astCache = DockerfileParser.parse(this.text).getInstructions();
    return this.astCache;
  }

  private copyCache: CopyFacts[] | undefined;

  /** Every COPY and ADD with its sources and destination, in file order. */
  copies(): CopyFacts[] {
    if (!this.copyCache) this.copyCache = this.instructions.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD').map((i) => copyFacts(this, i));
    return this.copyCache;
  }

  private copyByInstruction: Map<Instruction, CopyFacts> | undefined;

  /** The facts of one COPY or ADD (undefined for other instructions). */
  copyOf(ins: Instruction): CopyFacts | undefined {
    if (!this.copyByInstruction) this.copyByInstruction = new Map(this.copies().map((c) => [c.instruction, c]));
    return this.copyByInstruction.get(ins);
  }

  private runCache: readonly RunInstruction[] | undefined;

  /** Every RUN, in file order. */
  runs(): readonly RunInstruction[] {
    if (!this.runCache) this.runCache = this.instructions.filter((i): i is RunInstruction => i instanceof RunInstruction);
    return this.runCache;
  }

  /** The stage named `name` (case-insensitive, as Docker compares) or with that index. */
  stageNamed(name: string): Stage | undefined {
    const byName = this.stagesByName.get(name.toLowerCase());
    if (byName) return byName;
    if (/^[0-9]+$/.test(name)) return this.stages[Number(name)];
    return undefined;
  }

  /** The stage the image is built from: `target` when it names a stage, else the last one. */
  finalStage(target?: string): Stage | undefined {
    if (target) {
      const s = this.stageNamed(target);
      if (s) return s;
    }
    return this.stages[this.stages.length - 1];
  }

  /**
   * Stages whose layers end up in the image built for `target`: the final stage and the stages it
   * is built FROM. The others are build-only: only what is copied out of them counts.
   */
  imageStages(target?: string): Set<Stage> {
    const out = new Set<Stage>();
    for (let s = this.finalStage(target); s && !out.has(s); s = s.parent) out.add(s);
    return out;
  }

  /** Substitutes `$X`, `${X}`, `${X:-d}` with the global ARG defaults; reports what stayed unresolved. */
  resolveGlobal(value: string): { value: string; unresolved: boolean } {
    let unresolved = false;
    const out = value.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_m, braced, colon, op, word, bare) => {
      const name = (braced ?? bare) as string;
      const v = this.globalArgs.get(name);
      // `${X:-d}` treats an empty value as unset; `${X-d}` only an undeclared or default-less one.
      const set = colon === ':' ? v !== undefined && v !== '' : v !== undefined;
      if (op === '-') return set ? (v as string) : (word as string);
      if (op === '+') return set ? (word as string) : '';
      if (v === undefined) {
        unresolved = true;
        return '';
      }
      return v;
    });
    return { value: out, unresolved };
  }
}

/** Parses a Dockerfile into the model. Never throws: odd input gives a model with fewer facts. */
export function analyze(text: string): DockerfileModel {
  const model = new DockerfileModel(text);
  try {
    build(model);
  } catch {
    // dockerfile-ast is tolerant, but a model with fewer facts beats an exception in the editor.
  }
  return model;
}

function build(model: DockerfileModel): void {
  const split = splitInstructions(model.text);
  model.escape = split.escape;
  let stage: Stage | undefined;
  split.instructions.forEach((raw, index) => {
    const keyword = raw.keyword;
    const insSpan: Span = { start: raw.start, end: raw.end };
    const keywordSpan: Span = { start: raw.start, end: raw.keywordEnd };
    // Arguments and flags come from our own reading of the line.
    const { args, flags, logical } = readArguments(model, keyword, keywordSpan.end, insSpan.end);
    const common = [model, index, keyword, insSpan, keywordSpan, args, flags] as const;
    const ins = keyword === 'RUN' ? new RunInstruction(...common) : new Instruction(...common);
    model.instructions.push(ins);
    if (raw.openHeredoc) model.openHeredoc = ins;
    if (keyword === 'FROM') {
      stage = buildStage(model, ins, model.stages.length);
      model.addStage(stage);
      ins.stage = stage;
      return;
    }
    ins.stage = stage;
    if (stage) stage.instructions.push(ins);
    else if (keyword === 'ARG') collectGlobalArgs(model, ins);
    if (ins instanceof RunInstruction) buildRun(model, ins, logical);
  });
}

function collectGlobalArgs(model: DockerfileModel, ins: Instruction): void {
  if (!ins.argsSpan) return;
  // ARG takes shell-like words: `ARG B="x y" C=z` declares B as `x y`.
  const { source } = shellFormSource(model.text, ins.argsSpan.start, ins.argsSpan.end, model.escape);
  for (const cmd of parseScript(source).commands) {
    for (const w of cmd.words) {
      const eq = w.value.indexOf('=');
      const name = eq < 0 ? w.value : w.value.slice(0, eq);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
      model.globalArgs.set(name, eq < 0 ? undefined : w.value.slice(eq + 1));
    }
  }
}

function buildStage(model: DockerfileModel, from: Instruction, index: number): Stage {
  const stage: Stage = { index, name: undefined, from, image: undefined, parent: undefined, instructions: [] };
  if (!from.argsSpan) return stage;
  const { source } = shellFormSource(model.text, from.argsSpan.start, from.argsSpan.end, model.escape);
  const words: { text: string; start: number; end: number }[] = [];
  const re = /[^ \t]+/g;
  for (let m = re.exec(source.text); m; m = re.exec(source.text)) words.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  const rest = words.filter((w) => !w.text.startsWith('--'));
  const imageWord = rest[0];
  if (rest[1] && rest[1].text.toLowerCase() === 'as' && rest[2]) stage.name = rest[2].text;
  if (!imageWord) return stage;
  const raw = imageWord.text;
  const { value, unresolved } = model.resolveGlobal(raw);
  stage.image = parseImage(raw, value, unresolved, { start: source.map[imageWord.start], end: source.map[imageWord.end - 1] + 1 });
  const earlier = model.stageNamed(value);
  if (earlier && !/^[0-9]+$/.test(value)) stage.parent = earlier;
  return stage;
}

/** Splits `registry/path/name:tag@digest`. */
export function parseImage(raw: string, resolved: string, unresolved: boolean, span: Span): ImageRef {
  let rest = resolved;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let registry: string | undefined;
  const slash = rest.indexOf('/');
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  if (registry === 'docker.io' || registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = undefined;
  if (registry === undefined && rest.startsWith('library/')) rest = rest.slice('library/'.length);
  return { raw, resolved, registry, name: rest.toLowerCase(), tag: tag || undefined, digest, unresolved, span };
}

function copyFacts(model: DockerfileModel, ins: Instruction): CopyFacts {
  const from = ins.flag('from')?.value;
  const facts: CopyFacts = { instruction: ins, sources: [], dest: undefined, from, heredoc: false };
  if (!ins.argsSpan) return facts;
  const { source } = shellFormSource(model.text, ins.argsSpan.start, ins.argsSpan.end, model.escape);
  let words: { value: string; span: Span }[];
  const json = source.text.trimStart().startsWith('[') ? parseJsonArray(source) : undefined;
  if (json) {
    words = json.map((e) => ({ value: e.source.text, span: e.outer }));
  } else {
    words = [];
    const re = /[^ \t]+/g;
    for (let m = re.exec(source.text); m; m = re.exec(source.text)) {
      words.push({ value: m[0], span: { start: source.map[m.index], end: source.map[m.index + m[0].length - 1] + 1 } });
    }
  }
  if (words.some((w) => w.value.startsWith('<<'))) facts.heredoc = true;
  if (words.length >= 2) {
    facts.dest = words[words.length - 1];
    facts.sources = words.slice(0, -1).filter((w) => !w.value.startsWith('<<'));
  }
  return facts;
}

/** Instructions whose leading `--name[=value]` words are flags. */
const FLAG_KEYWORDS = new Set(['FROM', 'RUN', 'COPY', 'ADD', 'HEALTHCHECK']);

/** The arguments' span (after flags, trailing blanks trimmed) and the flags of an instruction. */
function readArguments(
  model: DockerfileModel,
  keyword: string,
  start: number,
  end: number,
): { args: Span | undefined; flags: Flag[]; logical: ShellSource | undefined } {
  const doc = model.text;
  // Most instructions are one line without the escape character: read them in the document itself.
  const escCode = model.escape.charCodeAt(0);
  let brk = start;
  let plain = true;
  for (; brk < end; brk++) {
    const c = doc.charCodeAt(brk);
    if (c === 10 || c === 13) break;
    if (c === escCode) {
      plain = false;
      break;
    }
  }
  let t: string;
  let from: number;
  let to: number;
  let at: (k: number) => number;
  let source: ShellSource | undefined;
  if (plain) {
    t = doc;
    from = start;
    to = brk;
    at = (k) => k;
  } else {
    const built = shellFormSource(doc, start, end, model.escape).source;
    source = built;
    t = built.text;
    from = 0;
    to = t.length;
    at = (k) => built.map[k];
  }
  const flags: Flag[] = [];
  let i = from;
  const skipBlanks = (): void => {
    while (i < to && (t[i] === ' ' || t[i] === '\t')) i++;
  };
  skipBlanks();
  while (FLAG_KEYWORDS.has(keyword) && t.startsWith('--', i) && i + 2 < to && t[i + 2] !== ' ') {
    let e = i;
    while (e < to && t[e] !== ' ' && t[e] !== '\t') e++;
    const word = t.slice(i + 2, e);
    const eq = word.indexOf('=');
    flags.push({ name: eq < 0 ? word : word.slice(0, eq), value: eq < 0 ? undefined : word.slice(eq + 1), span: { start: at(i), end: at(e - 1) + 1 } });
    i = e;
    skipBlanks();
  }
  if (i >= to) return { args: undefined, flags, logical: undefined };
  // The arguments run to the end of the instruction (heredoc bodies included), trailing blanks excluded.
  let last = end;
  const argsStart = at(i);
  while (last > argsStart && /\s/.test(doc[last - 1])) last--;
  // The logical text of the arguments, when it is the one shellFormSource would build for them: read
  // to the same end, it is the tail of this one from the first argument on.
  const logical = source && last === end ? { kind: source.kind, text: source.text.slice(i), map: source.map.subarray(i), posix: source.posix } : undefined;
  return { args: { start: argsStart, end: last }, flags, logical };
}

/**
 * Heredocs opened on a RUN line (`<<EOF`, `<<-EOF`, `<<"EOF"`): their bodies follow the line, each
 * up to a line equal to its delimiter (leading tabs stripped for `<<-`).
 */
function readHeredocs(model: DockerfileModel, firstLine: ShellSource, end: number): { delimiter: string; body: Span | undefined }[] {
  const out: { delimiter: string; body: Span | undefined }[] = [];
  const re = /<<(-?)[ \t]*(["']?)([^\s"'<>|&;()]+)\2/g;
  const text = model.text;
  const lineEnd = firstLine.map[firstLine.text.length];
  let at = text[lineEnd] === '\r' && text[lineEnd + 1] === '\n' ? lineEnd + 2 : lineEnd + 1;
  for (let m = re.exec(firstLine.text); m; m = re.exec(firstLine.text)) {
    const strip = m[1] === '-';
    const delimiter = m[3];
    const bodyStart = at;
    let body: Span | undefined;
    while (at < end) {
      let e = text.indexOf('\n', at);
      if (e < 0 || e > end) e = end;
      let line = text.slice(at, e);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if ((strip ? line.replace(/^\t+/, '') : line) === delimiter) {
        let bodyEnd = at;
        if (bodyEnd > bodyStart && text[bodyEnd - 1] === '\n') bodyEnd--;
        if (bodyEnd > bodyStart && text[bodyEnd - 1] === '\r') bodyEnd--;
        body = { start: bodyStart, end: Math.max(bodyStart, bodyEnd) };
        at = e + 1;
        break;
      }
      at = e + 1;
    }
    out.push({ delimiter, body });
  }
  return out;
}

/** `NAME=value` pairs of an ENV or ARG instruction (also the old `ENV NAME value` form). */
export function properties(ins: Instruction): readonly { name: string; value: string | undefined }[] {
  let cached = propertiesCache.get(ins);
  if (!cached) propertiesCache.set(ins, (cached = readProperties(ins)));
  return cached;
}

/** properties() per instruction: rules ask for the ENVs before every RUN. */
const propertiesCache = new WeakMap<Instruction, readonly { name: string; value: string | undefined }[]>();

function readProperties(ins: Instruction): { name: string; value: string | undefined }[] {
  if (!ins.argsSpan) return [];
  const { source } = shellFormSource(ins.model.text, ins.argsSpan.start, ins.argsSpan.end, ins.model.escape);
  const words = parseScript(source).commands.flatMap((c) => c.words.map((w) => w.value));
  if (ins.keyword === 'ENV' && words.length >= 2 && !words[0].includes('=')) return [{ name: words[0], value: words.slice(1).join(' ') }];
  return words.map((w) => {
    const eq = w.indexOf('=');
    return eq < 0 ? { name: w, value: undefined } : { name: w.slice(0, eq), value: w.slice(eq + 1) };
  });
}

const SHELL_NAMES = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh']);

function buildRun(model: DockerfileModel, run: RunInstruction, logical: ShellSource | undefined): void {
  for (const f of run.flags) {
    if (f.name !== 'mount' || !f.value) continue;
    const options = new Map<string, string>();
    for (const part of f.value.split(',')) {
      const eq = part.indexOf('=');
      options.set((eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase(), eq < 0 ? 'true' : part.slice(eq + 1).trim());
    }
    run.mounts.push({
      type: options.get('type') ?? 'bind',
      target: options.get('target') ?? options.get('dst') ?? options.get('destination'),
      options,
    });
  }
  if (!run.argsSpan) return;
  const text = model.text;
  const firstLine = logical ?? shellFormSource(text, run.argsSpan.start, run.argsSpan.end, model.escape).source;
  const scripts: ShellScript[] = [];
  const json = firstLine.text.trimStart().startsWith('[') ? parseJsonArray(firstLine) : undefined;
  if (json) {
    run.form = 'exec';
    const words: ShellWord[] = json.map((e) => ({
      value: e.source.text,
      start: 0,
      end: e.source.text.length,
      span: { start: e.source.map[0], end: e.source.map[e.source.text.length] },
      quoted: true,
      outer: e.outer,
      source: e.source,
    }));
    const arraySource: ShellSource = { kind: 'json-array', text: '', map: Int32Array.from([run.argsSpan.start]), posix: true };
    const script = new ShellScript(arraySource, undefined);
    if (words.length > 0) {
      const cmd = new ShellCommand(words, 0, undefined, script, 0);
      script.commands.push(cmd);
      cmd.nested = nestedOfExec(cmd);
    }
    scripts.push(script);
    run.script = script.commands[0]?.nested ?? script;
  } else {
    const first = parseScript(firstLine);
    scripts.push(first);
    run.script = first;
    run.heredocs = readHeredocs(model, firstLine, run.span.end);
    if (run.heredocs.length > 0) {
      const body = run.heredocs[0].body;
      const cmds = first.commands.filter((c) => c.name !== '');
      const isScript = cmds.length === 0 || (cmds.length === 1 && SHELL_NAMES.has(cmds[0].name) && !cmds[0].nested);
      if (isScript) {
        run.form = 'heredoc';
        if (body) {
          const script = parseScript(verbatimSource(text, body.start, body.end, model.escape !== '`'));
          scripts.push(script);
          run.script = script;
        }
      }
    }
  }
  let index = 0;
  const all: ShellCommand[] = [];
  const visit = (script: ShellScript): void => {
    for (const c of script.commands) {
      c.index = index++;
      all.push(c);
      if (c.nested) visit(c.nested);
    }
  };
  scripts.forEach(visit);
  // Copied to exactly their length, like a command's words (see parseScript).
  run.commands = all.slice();
}

/** `["sh", "-c", "script"]`: the script, parsed from the decoded JSON string. */
function nestedOfExec(cmd: ShellCommand): ShellScript | undefined {
  if (!SHELL_NAMES.has(cmd.name)) return undefined;
  const args = cmd.args;
  for (let k = 0; k < args.length; k++) {
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(args[k].value)) {
      const w = args[k + 1];
      return w?.source ? parseScript(w.source, cmd, 1) : undefined;
    }
  }
  return undefined;
}
