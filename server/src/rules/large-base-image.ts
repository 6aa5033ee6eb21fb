// Flags a shipped stage (the final one or a stage it is built FROM) that starts from a large image
// with a smaller variant, python:3.12 where python:3.12-slim would do. Quiet for build-only stages,
// FROM an earlier stage, scratch, slim, alpine, distroless and unknown images, and unresolved ARGs.
// Switches are suggestions only: a new base can break the build.
import { defineRule, type Finding, type Fix } from './define';
import type { ImageRef, Instruction, RunInstruction, ShellCommand, Stage } from '../analysis/model';
import type { Edit } from '../analysis/text';
import { endOf } from '../analysis/shell/source';
import { buildpackTools, formatMB, lookup, type ImageInfo, type SmallerImage } from '../data/images';
import { apkPackagesFor, debianCommands, glibcPipPackages, glibcUrl } from '../data/apk-packages';
import { commandWords, installsIn, instructionsOf, isAptListsPath, managerOf, packageName, rootStage, runsOf, shippedChain, VALUE_OPTIONS } from './stages';

const KIND_ORDER: Record<SmallerImage['kind'], number> = { slim: 0, runtime: 1, alpine: 2, distroless: 3 };

export default defineRule({
  meta: {
    id: 'large-base-image',
    description: 'The shipped image starts from a large base image where a smaller variant would do',
    defaultSeverity: 'warning',
    fixable: false,
    hasSuggestions: true,
    messages: {
      largeBase: '{image} is about {size} MB; {smaller} about {smallerSize} MB{caveat}. Base the shipped image on the smaller one if your app runs there.',
    },
  },
  check({ model, target }) {
    const findings: Finding[] = [];
    const chain = shippedChain(model, target);
    for (const stage of chain) {
      const image = stage.image;
      if (stage.parent || !image) continue;
      const info = lookup(image);
      if (!info || !info.large || info.smaller.length === 0) continue;
      const options = [...info.smaller].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
      // A switch changes every stage built FROM this one, shipped or build-only.
      const affected = model.stages.filter((s) => rootStage(s) === stage);
      const offered = image.unresolved ? [] : switchFixes(image, info, options, affected);
      const shown = offered[0]?.target ?? options[0];
      findings.push({
        span: image.span,
        messageId: 'largeBase',
        data: { image: info.display, size: formatMB(info.sizeMB), smaller: shown.ref, smallerSize: formatMB(shown.sizeMB), caveat: caveatOf(shown) },
        fixes: offered.map((o) => o.fix),
      });
    }
    return findings;
  },
});

function caveatOf(s: SmallerImage): string {
  if (s.kind === 'alpine' || s.libc === 'musl') return ' (musl libc, not glibc)';
  if (s.kind === 'runtime' || s.runtimeOnly) return ' (runtime only)';
  if (s.kind === 'distroless') return ' (no shell or package manager)';
  return '';
}

/**
 * The edit that writes `ref` in place of the image reference. A reference written with variables
 * keeps them when the switch only appends to the resolved tag (`python:${PY}` → `python:${PY}-slim`);
 * any other change to it is not offered.
 */
function referenceEdit(image: ImageRef, ref: string): Edit | undefined {
  if (!image.raw.includes('$')) return { span: image.span, text: ref };
  if (image.digest !== undefined) return undefined;
  if (ref.length > image.resolved.length && ref.startsWith(image.resolved)) {
    return { span: { start: image.span.end, end: image.span.end }, text: ref.slice(image.resolved.length) };
  }
  return undefined;
}

/** What the stages that would change (the switched one and those built FROM it) do. */
interface StageFacts {
  runs: RunInstruction[];
  instructions: Instruction[];
  /** Package managers (and rpm/dpkg) their RUNs call. */
  managers: Set<string>;
  usesToolchain: boolean;
  needsShell: boolean;
  glibcBound: boolean;
  debianCommand: boolean;
  mentionsBash: boolean;
  installed: Set<string>;
  /** A buildpack-deps tool (curl, git, gcc...) used without installing it first. */
  usesUninstalledTool: boolean;
}

/** Build and SDK commands a runtime-only image lacks. */
const TOOLCHAIN_COMMANDS = new Set(['javac', 'jar', 'jlink', 'jpackage', 'jdeps', 'jmod', 'native-image', 'mvn', 'mvnw', 'gradle', 'gradlew', 'ant', 'sbt', 'go', 'cargo', 'rustc', 'rustup']);
const DOTNET_SDK_VERBS = new Set(['build', 'publish', 'restore', 'test', 'pack', 'new', 'tool', 'add', 'sln', 'msbuild', 'ef', 'workload', 'run', 'nuget', 'dev-certs']);

/** What an installed package provides among the buildpack-deps tools. */
const PROVIDES: Record<string, string[]> = {
  'build-essential': ['gcc', 'g++', 'cc', 'c++', 'make', 'patch'],
  'build-base': ['gcc', 'g++', 'cc', 'c++', 'make', 'patch'],
  gcc: ['gcc', 'cc'],
  'g++': ['g++', 'c++'],
  'openssh-client': ['ssh', 'scp'],
  openssh: ['ssh', 'scp'],
  subversion: ['svn'],
  mercurial: ['hg'],
};

function stageFacts(stages: readonly Stage[]): StageFacts {
  const runs = runsOf(stages);
  const instructions = instructionsOf(stages);
  const managers = new Set<string>();
  const installed = new Set<string>();
  let usesToolchain = false;
  let glibcBound = false;
  let debianCommand = false;
  let usesUninstalledTool = false;
  for (const run of runs) {
    const installs = new Map(installsIn(run).map((i) => [i.cmd, i]));
    for (const cmd of run.commands) {
      const m = managerOf(cmd.name);
      if (m) managers.add(m);
      if (cmd.name === 'rpm' || cmd.name === 'dpkg') managers.add(cmd.name);
      if (TOOLCHAIN_COMMANDS.has(cmd.name)) usesToolchain = true;
      if (cmd.name === 'dotnet' && DOTNET_SDK_VERBS.has(cmd.positionals()[0]?.value ?? '')) usesToolchain = true;
      if (debianCommands.has(cmd.name)) debianCommand = true;
      if ((cmd.name === 'curl' || cmd.name === 'wget') && cmd.args.some((w) => /^[a-z][a-z0-9+.-]*:\/\//i.test(w.value) && glibcUrl.test(w.value))) glibcBound = true;
      if (cmd.args.some((w) => /\.deb$/i.test(w.value))) glibcBound = true;
      const pip = pipPackages(cmd);
      if (pip.some((p) => glibcPipPackages.has(p))) glibcBound = true;
      const install = installs.get(cmd);
      if (install) {
        for (const w of install.packages) {
          const name = packageName(w.value);
          installed.add(name);
          for (const tool of PROVIDES[name] ?? []) installed.add(tool);
          for (const apk of apkPackagesFor(name) ?? []) installed.add(apk);
        }
        continue;
      }
      if (buildpackTools.has(cmd.name) && !installed.has(cmd.name)) usesUninstalledTool = true;
      if (pip.length > 0 && cmd.args.some((w) => w.value.startsWith('git+')) && !installed.has('git')) usesUninstalledTool = true;
    }
  }
  // Programs of unknown origin are treated as glibc builds: scripts or binaries run by path, and
  // files copied from another stage or image (unless that stage is itself musl-based).
  for (const run of runs) {
    for (const cmd of run.commands) {
      const program = cmd.nameWord?.value ?? '';
      if (program.includes('/') && !/^\/(?:usr\/)?(?:local\/)?s?bin\//.test(program)) glibcBound = true;
      if (/^(?:ba|da|a)?sh$/.test(cmd.name) && !cmd.nested && cmd.positionals().length > 0) glibcBound = true;
    }
  }
  const model = stages[0]?.from.model;
  const among = new Set(stages);
  for (const copy of model ? model.copies() : []) {
    const stage = copy.instruction.stage;
    if (!copy.from || !stage || !among.has(stage)) continue;
    const source = model?.stageNamed(copy.from);
    if (!source || source.index >= stage.index || rootLibc(source) !== 'musl') glibcBound = true;
  }
  let needsShell = false;
  let mentionsBash = false;
  for (const ins of instructions) {
    if (ins.keyword === 'SHELL' || ins.keyword === 'ONBUILD') needsShell = true;
    if (ins.keyword === 'CMD' || ins.keyword === 'ENTRYPOINT' || ins.keyword === 'HEALTHCHECK') {
      const words = commandWords(ins);
      if (words?.form === 'shell') needsShell = true;
      const program = (ins.keyword === 'HEALTHCHECK' ? undefined : words?.words[0]) ?? '';
      if (program.includes('/') && !/^\/(?:usr\/)?(?:local\/)?s?bin\//.test(program)) glibcBound = true;
    }
    if (/\bLD_PRELOAD\b/.test(ins.text)) glibcBound = true;
    if (ins.keyword === 'ADD' && ins.argsText.split(/\s+/).some((w) => /^https?:\/\//i.test(w) && glibcUrl.test(w))) glibcBound = true;
    if (/\bbash\b/.test(ins.text)) mentionsBash = true;
  }
  return { runs, instructions, managers, usesToolchain, needsShell, glibcBound, debianCommand, mentionsBash, installed, usesUninstalledTool };
}

/** The C library of the image a stage is built on, following FROM of earlier stages. */
function rootLibc(stage: Stage): string | undefined {
  const root = rootStage(stage);
  return root.image ? lookup(root.image)?.libc : undefined;
}

/** pip options whose value is a separate word. */
const PIP_VALUE_OPTIONS: ReadonlySet<string> = new Set([
  '-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-i', '--index-url', '--extra-index-url', '-f', '--find-links',
  '-t', '--target', '--prefix', '--root', '--trusted-host', '--platform', '--python-version', '--implementation', '--abi',
  '--upgrade-strategy', '--progress-bar', '--cache-dir', '--src', '--log', '--proxy', '--retries', '--timeout', '--exists-action',
  '--cert', '--client-cert', '--global-option', '--install-option', '--config-settings', '-C', '--only-binary', '--no-binary',
]);

/** Normalised names of the packages a `pip install` (or `python -m pip install`, `uv pip install`) names. */
function pipPackages(cmd: ShellCommand): string[] {
  const isPip = /^pip(?:\d+(?:\.\d+)?)?$/.test(cmd.name);
  const isPython = /^python(?:\d+(?:\.\d+)?)?$/.test(cmd.name) && cmd.args[0]?.value === '-m' && cmd.args[1]?.value === 'pip';
  const isUv = cmd.name === 'uv' && cmd.positionals()[0]?.value === 'pip';
  if (!isPip && !isPython && !isUv) return [];
  const pos = cmd.positionals(PIP_VALUE_OPTIONS).map((w) => w.value);
  const at = pos.indexOf('install');
  if (at < 0 || (isPip && at !== 0)) return [];
  return pos
    .slice(at + 1)
    .filter((p) => !p.includes('/') && !p.startsWith('.') && !p.includes('://'))
    .map((p) => p.split(/[[=<>!~;@ ]/)[0].toLowerCase().replace(/_/g, '-'))
    .filter((p) => p !== '');
}

interface Offered {
  target: SmallerImage;
  fix: Fix;
}

function switchFixes(image: ImageRef, info: ImageInfo, options: readonly SmallerImage[], affected: readonly Stage[]): Offered[] {
  const facts = stageFacts(affected);
  const out: Offered[] = [];
  for (const s of options) {
    if (!s.offerFix) continue;
    const edit = referenceEdit(image, s.ref);
    if (!edit) continue;
    const runtimeOnly = s.kind === 'runtime' || s.runtimeOnly || s.kind === 'distroless';
    if (runtimeOnly && facts.usesToolchain) continue;
    if (s.packageManager === 'none' && (facts.runs.length > 0 || facts.needsShell)) continue;
    if (info.buildpackTools && (s.kind === 'slim' || s.kind === 'alpine') && facts.usesUninstalledTool) continue;
    const toMusl = s.libc === 'musl' && info.libc !== 'musl';
    if (toMusl && (facts.glibcBound || facts.debianCommand)) continue;
    let rewriteApt = false;
    let compatible = true;
    for (const m of facts.managers) {
      if (m === s.packageManager) continue;
      if (m === 'rpm' && (s.packageManager === 'dnf' || s.packageManager === 'microdnf')) continue;
      if (m === 'dpkg' && s.packageManager === 'apt') continue;
      if (m === 'apt' && s.packageManager === 'apk') rewriteApt = true;
      else compatible = false;
    }
    if (!compatible) continue;
    const edits: Edit[] = [edit];
    const notes: string[] = [];
    if (toMusl) notes.push('musl libc, not glibc');
    if (runtimeOnly && s.kind !== 'distroless') notes.push('runtime only');
    if (s.kind === 'distroless') notes.push('no shell or package manager');
    if (rewriteApt) {
      const rewrite = aptToApk(facts.runs);
      if (!rewrite) continue;
      edits.push(...rewrite.edits);
      notes.push('apt-get install becomes apk add');
    }
    if (toMusl && facts.mentionsBash && !facts.installed.has('bash')) continue;
    if (image.digest !== undefined) notes.push('drops the digest pin');
    const title = `Switch to ${s.ref} (about ${formatMB(s.sizeMB)} MB${notes.map((n) => `; ${n}`).join('')})`;
    out.push({ target: s, fix: { title, edits, safe: false } });
  }
  const first = out[0];
  if (first && (first.target.kind === 'slim' || (first.target.kind === 'runtime' && !first.target.runtimeOnly))) first.fix.preferred = true;
  return out;
}

const APT = new Set(['apt-get', 'apt']);
/** apt options that change nothing on Alpine: assume-yes, quiet, recommends. */
const APT_HARMLESS_SHORT = /^-[yq]+$/;
const APT_HARMLESS_LONG = new Set(['--yes', '--assume-yes', '--quiet', '--no-install-recommends', '--no-install-suggests', '--fix-missing']);
const DEBIAN_PACKAGE = /^[a-z0-9][a-z0-9+.-]*$/;

interface Plan {
  cmd: ShellCommand;
  action: 'keep' | 'drop' | 'replace';
  edits: Edit[];
  packages: string[];
}

function startOfCommand(cmd: ShellCommand): number {
  return cmd.words[0].span.start;
}

function endOfCommand(cmd: ShellCommand): number {
  return endOf(cmd.script.source, cmd.tailEnd - 1);
}

/**
 * Rewrites the apt usage of some RUNs for Alpine: `apt-get update` and `apt-get clean` and the
 * removal of /var/lib/apt/lists go, `apt-get install -y pkgs` becomes `apk add --no-cache <apk pkgs>`.
 * Undefined when anything else touches apt, a package has no known Alpine name, or the commands sit
 * where removing them would change the script's logic (`||`, pipes, `if`, subshells, `sh -c`), or
 * more than one RUN would disappear entirely.
 */
function aptToApk(runs: readonly RunInstruction[]): { edits: Edit[]; packages: string[] } | undefined {
  const edits: Edit[] = [];
  const packages: string[] = [];
  let deleted = 0;
  for (const run of runs) {
    const involved = run.commands.filter((c) => APT.has(c.name) || c.name === 'aptitude' || (c.name === 'rm' && c.positionals().some((w) => isAptListsPath(w.value))));
    if (involved.length === 0) continue;
    const script = run.script;
    if (run.form !== 'shell' || !script || involved.some((c) => c.script !== script)) return undefined;
    const plans: Plan[] = [];
    for (const cmd of script.commands) {
      if (cmd.words.length === 0) continue;
      if (!involved.includes(cmd)) {
        plans.push({ cmd, action: 'keep', edits: [], packages: [] });
        continue;
      }
      if (cmd.words.slice(0, cmd.nameIndex).some((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w.value))) return undefined;
      const plan = cmd.name === 'rm' ? planRemoval(cmd) : planApt(cmd);
      if (!plan) return undefined;
      plans.push(plan);
      packages.push(...plan.packages);
    }
    for (let k = 0; k < plans.length; k++) {
      if (plans[k].action === 'keep') continue;
      const after = plans[k].cmd.separator;
      if (after !== undefined && after !== '&&' && after !== ';') return undefined;
      if (k > 0 && plans[k - 1].cmd.separator !== '&&' && plans[k - 1].cmd.separator !== ';') return undefined;
    }
    if (plans.every((p) => p.action === 'drop')) {
      // One RUN may go entirely (a lone `RUN apt-get update`); a switch that deletes several
      // instructions is too much of a rewrite to offer as one fix.
      if (++deleted > 1) return undefined;
      edits.push(wholeLines(run));
      continue;
    }
    for (let k = 0; k < plans.length; ) {
      if (plans[k].action !== 'drop') {
        edits.push(...plans[k].edits);
        k++;
        continue;
      }
      let j = k;
      while (j + 1 < plans.length && plans[j + 1].action === 'drop') j++;
      if (j + 1 < plans.length) edits.push({ span: { start: startOfCommand(plans[k].cmd), end: startOfCommand(plans[j + 1].cmd) }, text: '' });
      else edits.push({ span: { start: endOfCommand(plans[k - 1].cmd), end: endOfCommand(plans[j].cmd) }, text: '' });
      k = j + 1;
    }
  }
  return { edits, packages };
}

/** The lines of an instruction, with its line break. */
function wholeLines(ins: Instruction): Edit {
  const lines = ins.model.lines;
  const first = lines.positionAt(ins.span.start).line;
  const last = lines.positionAt(ins.span.end).line;
  const end = last + 1 < lines.lineCount ? lines.starts[last + 1] : ins.model.text.length;
  return { span: { start: lines.starts[first], end }, text: '' };
}

function planRemoval(cmd: ShellCommand): Plan | undefined {
  const paths = cmd.positionals();
  if (paths.every((w) => isAptListsPath(w.value))) return { cmd, action: 'drop', edits: [], packages: [] };
  // `rm -rf /var/lib/apt/lists/* /tmp/*` still works where the apt folders do not exist.
  if (cmd.hasFlag('-f', '--force')) return { cmd, action: 'keep', edits: [], packages: [] };
  return undefined;
}

function planApt(cmd: ShellCommand): Plan | undefined {
  if (cmd.name === 'aptitude') return undefined;
  for (const w of cmd.args) {
    if (w.value.startsWith('-') && !APT_HARMLESS_SHORT.test(w.value) && !APT_HARMLESS_LONG.has(w.value)) return undefined;
  }
  const pos = cmd.positionals(VALUE_OPTIONS.apt);
  const verb = pos[0]?.value;
  if (verb === 'update' || verb === 'clean' || verb === 'autoclean') {
    return pos.length === 1 ? { cmd, action: 'drop', edits: [], packages: [] } : undefined;
  }
  if (verb !== 'install') return undefined;
  const pkgs = pos.slice(1);
  if (pkgs.length === 0) return undefined;
  const mapped: (readonly string[])[] = [];
  for (const w of pkgs) {
    const m = w.quoted || !DEBIAN_PACKAGE.test(w.value) ? undefined : apkPackagesFor(w.value);
    if (!m) return undefined;
    mapped.push(m);
  }
  const firstIndex = mapped.findIndex((m) => m.length > 0);
  if (firstIndex < 0) return { cmd, action: 'drop', edits: [], packages: [] };
  const words = cmd.words;
  const at = words.indexOf(pkgs[firstIndex]);
  const edits: Edit[] = [{ span: { start: words[0].span.start, end: words[at - 1].span.end }, text: 'apk add --no-cache' }];
  const byWord = new Map(pkgs.map((w, i) => [w, mapped[i]]));
  for (let k = at; k < words.length; k++) {
    const w = words[k];
    const m = byWord.get(w) ?? [];
    if (m.length === 0) edits.push({ span: { start: words[k - 1].span.end, end: w.span.end }, text: '' });
    else if (m.join(' ') !== w.value) edits.push({ span: w.span, text: m.join(' ') });
  }
  return { cmd, action: 'replace', edits, packages: mapped.flat() };
}
