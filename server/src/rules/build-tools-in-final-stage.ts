// Flags compilers, headers and build systems in the shipped stages: installed with a package manager,
// or an SDK image (golang, rust, maven, gradle, dotnet/sdk, a JDK) that runs a build. Quiet for
// build-only stages and packages removed again later. The fix splits off a runtime stage.
import { defineRule, type Finding, type Fix } from './define';
import { parseImage, type DockerfileModel, type Instruction, type RunInstruction, type ShellCommand, type Stage } from '../analysis/model';
import type { Edit } from '../analysis/text';
import { alpineVersion, formatMB, lookup, type ImageInfo } from '../data/images';
import {
  before,
  commandWords,
  installsIn,
  instructionsOf,
  packageName,
  removalsIn,
  removes,
  resolvePath,
  runsOf,
  shippedChain,
  workdirAt,
  type Install,
  type Removal,
} from './stages';

export default defineRule({
  meta: {
    id: 'build-tools-in-final-stage',
    description: 'Compilers, headers or build systems end up in the shipped image',
    defaultSeverity: 'warning',
    fixable: false,
    hasSuggestions: true,
    messages: {
      buildPackages: '{command} puts build tools in the shipped image: {packages}. Build in an earlier stage and copy only the result into a small runtime stage.',
      toolchainBuild: '{command} runs on {image}, a toolchain image of about {size} MB that ships with what it builds. Build in an earlier stage and copy only the result into a runtime image.',
    },
  },
  check({ model, target }) {
    const findings: Finding[] = [];
    const chain = shippedChain(model, target);
    if (chain.length === 0) return findings;
    const runs = runsOf(chain);
    const removals = runs.flatMap(removalsIn);
    const spots: { span: Finding['span']; messageId: string; data: Record<string, string> }[] = [];
    for (const run of runs) {
      for (const install of installsIn(run)) {
        const kept = buildPackagesOf(install).filter((name) => !removedLater(install, name, removals));
        if (kept.length === 0) continue;
        spots.push({ span: install.cmd.span, messageId: 'buildPackages', data: { command: `${install.cmd.name} ${install.verb.value}`, packages: kept.join(', ') } });
      }
    }
    const root = chain[0];
    const info = root.image ? lookup(root.image) : undefined;
    if (info?.toolchain) {
      const build = runs.flatMap((r) => r.commands).find(isBuildCommand);
      if (build) spots.push({ span: build.span, messageId: 'toolchainBuild', data: { command: describeBuild(build), image: info.display, size: formatMB(info.sizeMB) } });
    }
    if (spots.length === 0) return findings;
    const edits = convertToMultiStage(model, target);
    spots.sort((a, b) => a.span.start - b.span.start);
    for (const s of spots) {
      const fixes: Fix[] = edits ? [{ title: 'Convert to a multi-stage build', edits, safe: false, preferred: true }] : [];
      findings.push({ ...s, fixes });
    }
    return findings;
  },
});

const BUILD_PACKAGES = new Set([
  'build-essential', 'build-base', 'make', 'cmake', 'ninja', 'ninja-build', 'meson', 'autoconf', 'automake', 'libtool', 'bison', 'flex',
  'pkg-config', 'pkgconf', 'pkgconfig', 'linux-headers', 'kernel-devel', 'kernel-headers', 'cargo', 'rustc', 'rustup', 'rust', 'golang',
  'golang-go', 'go', 'maven', 'gradle', 'ant', 'default-jdk', 'default-jdk-headless', 'nasm', 'yasm', 'scons', 'gfortran', 'musl-dev',
  'development tools', '@development-tools',
]);

/** Whether an installed package is a compiler, header set or build system. */
export function isBuildPackage(name: string): boolean {
  const n = name.toLowerCase();
  if (BUILD_PACKAGES.has(n)) return true;
  if (/^(?:gcc|g\+\+|gcc-c\+\+|clang|cpp|llvm)(?:-\d+(?:\.\d+)*)?$/.test(n)) return true;
  if (/^linux-headers-.+$/.test(n)) return true;
  if (/-dev$|-devel$/.test(n)) return true;
  if (/^golang-\d+(?:\.\d+)*(?:-go)?$/.test(n)) return true;
  if (/^openjdk-?\d*-jdk(?:-headless)?$|^openjdk\d+(?:-jdk)?$|^temurin-\d+-jdk$|^dotnet-sdk-[\d.]+$/.test(n)) return true;
  return false;
}

function buildPackagesOf(install: Install): string[] {
  const out: string[] = [];
  for (const w of install.packages) {
    const name = packageName(w.value);
    if (isBuildPackage(name) || (install.manager === 'dnf' && isBuildPackage(w.value))) out.push(w.value);
  }
  return out;
}

function removedLater(install: Install, written: string, removals: readonly Removal[]): boolean {
  const name = packageName(written);
  return removals.some((r) => before(install.run, install.cmd, r.run, r.cmd) && removes(r, name, install));
}

/** Commands that build with a toolchain. */
function isBuildCommand(cmd: ShellCommand): boolean {
  const sub = cmd.positionals()[0]?.value ?? '';
  switch (cmd.name) {
    case 'go':
      return sub === 'build' || sub === 'install';
    case 'cargo':
      return sub === 'build' || sub === 'install';
    case 'mvn':
    case 'mvnw':
      return cmd.positionals().some((w) => /^(?:package|install|verify|compile|deploy)$|:(?:jar|repackage|build)$/.test(w.value));
    case 'gradle':
    case 'gradlew':
      return cmd.positionals().length > 0;
    case 'dotnet':
      return sub === 'publish' || sub === 'build';
    case 'npm':
    case 'pnpm':
      return (sub === 'run' && cmd.positionals()[1]?.value === 'build') || sub === 'build';
    case 'yarn':
      return sub === 'build' || (sub === 'run' && cmd.positionals()[1]?.value === 'build');
    case 'make':
    case 'javac':
    case 'rustc':
    case 'ninja':
      return true;
    case 'cmake':
      return cmd.hasFlag('--build');
    default:
      return false;
  }
}

function describeBuild(cmd: ShellCommand): string {
  const words = [cmd.name, ...cmd.positionals().slice(0, cmd.name === 'npm' || cmd.name === 'yarn' || cmd.name === 'pnpm' ? 2 : 1).map((w) => w.value)];
  return words.join(' ');
}

// ---------------------------------------------------------------------------------------------
// The quick fix: split into a build stage and a runtime stage.

const PLACEHOLDER = ['# TODO(slimfile): copy your build output here', 'COPY --from={build} /path/to/artifact /app/'];

interface Plan {
  runtime: string;
  /** Lines after the build stage's FROM. */
  prepend: string[];
  /** Lines at the end of the build stage. */
  append: string[];
  /** Lines of the runtime stage after the carried settings, `{build}` standing for the build stage's name. */
  body: string[];
  /** Whether the runtime image has a shell (distroless has none). */
  hasShell: boolean;
  /** Users the runtime image already has. */
  users: string[];
}

interface Facts {
  model: DockerfileModel;
  chain: Stage[];
  final: Stage;
  root: Stage;
  rootInfo: ImageInfo | undefined;
  runs: RunInstruction[];
  commands: { run: RunInstruction; cmd: ShellCommand }[];
  instructions: Instruction[];
  /** The words the container runs (ENTRYPOINT then CMD), exec form or split shell form. */
  entry: string[];
  /** WORKDIR at the end of the final stage. */
  workdir: string | undefined;
  /** A C toolchain or headers were installed (so native modules may have been compiled). */
  installsNativeTools: boolean;
  /** Header packages still installed (`libpq-dev`): what was built may need their runtime libraries. */
  headerPackages: string[];
}

/**
 * The edits that turn the image built for `target` into a multi-stage build: the final stage is
 * named (or renamed) as the build stage and left as it was, and a runtime stage on a small image
 * follows it, copying the build output and carrying the settings the container needs (ARG, ENV,
 * LABEL, WORKDIR, STOPSIGNAL, EXPOSE, VOLUME, USER, HEALTHCHECK, ENTRYPOINT, CMD). Where the build
 * output cannot be known, the runtime stage holds a marked placeholder COPY. Undefined where no
 * sound split exists (Windows images, a user the runtime image cannot create, a renamed stage that
 * others refer to).
 */
export function convertToMultiStage(model: DockerfileModel, target?: string): Edit[] | undefined {
  const final = model.finalStage(target);
  if (!final || !final.image || model.escape === '`') return undefined;
  // A heredoc that never closes, or a line continuation at the end of the file, would swallow the
  // runtime stage appended at the end.
  if (model.openHeredoc || model.danglingContinuation !== undefined) return undefined;
  const chain = shippedChain(model, target);
  const root = chain[0];
  if (!root?.image || isWindows(root, chain)) return undefined;
  const facts = gather(model, chain, final, root);
  const eol = model.lines.eol;

  // Name the build stage; with a target naming the final stage, the runtime stage takes that name.
  const edits: Edit[] = [];
  let buildName: string;
  let runtimeName: string | undefined;
  const targetNamed = target !== undefined && final.name !== undefined && final.name.toLowerCase() === target.toLowerCase();
  if (targetNamed && final.name) {
    if (referencedElsewhere(model, final)) return undefined;
    const span = nameSpan(final);
    if (!span) return undefined;
    buildName = freeName(model, `${final.name}-build`);
    runtimeName = final.name;
    edits.push({ span, text: buildName });
  } else if (final.name) {
    buildName = final.name;
  } else {
    buildName = freeName(model, 'build');
    edits.push({ span: { start: final.image.span.end, end: final.image.span.end }, text: ` AS ${buildName}` });
  }

  const plan = planFor(facts);
  if (!plan) return undefined;
  const carried = carry(facts, plan);
  if (!carried) return undefined;
  const fill = (l: string): string => l.replace(/\{build\}/g, buildName);
  const stage = [
    `FROM ${carried.runtime}${runtimeName ? ` AS ${runtimeName}` : ''}`,
    ...carried.head,
    ...plan.body.map(fill),
    ...carried.tail,
  ];
  const last = final.instructions[final.instructions.length - 1] ?? final.from;
  // Build-stage additions run as the user of the stage's last RUN, before any later USER.
  const lastRun = [...final.instructions].reverse().find((i) => i.keyword === 'RUN') ?? last;
  const insert = (ins: Instruction, lines: string[]): void => {
    if (lines.length > 0) edits.push({ span: { start: ins.span.end, end: ins.span.end }, text: lines.map((l) => eol + l).join('') });
  };
  insert(final.from, plan.prepend);
  insert(lastRun, plan.append);
  edits.push({ span: { start: last.span.end, end: last.span.end }, text: `${eol}${eol}${stage.join(eol)}` });
  return mergeTouching(edits);
}

/** Joins edits that touch (an insertion at the end of another edit) so they apply as one. */
function mergeTouching(edits: Edit[]): Edit[] {
  const sorted = edits.map((e, k) => ({ e, k })).sort((a, b) => a.e.span.start - b.e.span.start || a.k - b.k).map((x) => x.e);
  const out: Edit[] = [];
  for (const e of sorted) {
    const prev = out[out.length - 1];
    if (prev && e.span.start === prev.span.end) out[out.length - 1] = { span: { start: prev.span.start, end: e.span.end }, text: prev.text + e.text };
    else out.push({ span: { ...e.span }, text: e.text });
  }
  return out;
}

function isWindows(root: Stage, chain: readonly Stage[]): boolean {
  if (/windows|nanoserver|servercore|ltsc\d/i.test(root.image?.resolved ?? '')) return true;
  return instructionsOf(chain).some((i) => i.keyword === 'SHELL' && /powershell|pwsh|cmd(?:\.exe)?"/i.test(i.argsText));
}

function referencedElsewhere(model: DockerfileModel, stage: Stage): boolean {
  const name = stage.name?.toLowerCase();
  if (!name) return false;
  if (model.stages.some((s) => s !== stage && s.parent === stage)) return true;
  if (model.copies().some((c) => c.from?.toLowerCase() === name)) return true;
  return model.runs().some((r) => r.mounts.some((m) => m.options.get('from')?.toLowerCase() === name));
}

/** The span of the `AS <name>` name in a stage's FROM. */
function nameSpan(stage: Stage): Edit['span'] | undefined {
  const text = stage.from.text;
  const m = /\s[Aa][Ss][ \t]+(\S+)[ \t]*$/.exec(text.replace(/\r?\n$/, ''));
  if (!m || m[1].toLowerCase() !== stage.name?.toLowerCase()) return undefined;
  const start = stage.from.span.start + m.index + m[0].length - m[1].length - (m[0].length - m[0].trimEnd().length);
  return { start, end: start + m[1].length };
}

function freeName(model: DockerfileModel, base: string): string {
  const taken = (n: string): boolean => model.stages.some((s) => s.name?.toLowerCase() === n.toLowerCase());
  if (!taken(base)) return base;
  for (let k = 2; ; k++) if (!taken(`${base}-${k}`)) return `${base}-${k}`;
}

function gather(model: DockerfileModel, chain: Stage[], final: Stage, root: Stage): Facts {
  const runs = runsOf(chain);
  const instructions = instructionsOf(chain);
  let entrypoint: string[] = [];
  let cmd: string[] = [];
  let cmdStage: Stage | undefined;
  for (const ins of instructions) {
    if (ins.keyword !== 'CMD' && ins.keyword !== 'ENTRYPOINT') continue;
    const words = commandWords(ins);
    const list = words ? (words.form === 'shell' ? ['/bin/sh', '-c', ...words.words] : words.words) : [];
    if (ins.keyword === 'CMD') {
      cmd = list;
      cmdStage = ins.stage;
    } else {
      entrypoint = list;
      // An ENTRYPOINT resets a CMD inherited from the base image (here: an earlier stage).
      if (cmdStage !== ins.stage) cmd = [];
    }
  }
  const entry = [...entrypoint, ...cmd];
  const lastIns = final.instructions[final.instructions.length - 1];
  const workdir = lastIns ? workdirAfter(lastIns) : workdirAt(final.from);
  const removals = runs.flatMap(removalsIn);
  const kept = runs.flatMap((r) => installsIn(r).flatMap((i) => buildPackagesOf(i).filter((p) => !removedLater(i, p, removals)).map(packageName)));
  const installsNativeTools = kept.some((p) => NATIVE.test(p));
  const headerPackages = [...new Set(kept.filter((p) => /-dev(?:el)?$/.test(p) && !NO_RUNTIME_LIBRARY.has(p)))];
  return {
    model,
    chain,
    final,
    root,
    rootInfo: root.image ? lookup(root.image) : undefined,
    runs,
    commands: runs.flatMap((run) => run.commands.map((c) => ({ run, cmd: c }))),
    instructions,
    entry: entry[0] === '/bin/sh' && entry[1] === '-c' ? entry.slice(2) : entry,
    workdir,
    installsNativeTools,
    headerPackages,
  };
}

/** Packages that compile native code: C compilers, make, cmake, headers. */
const NATIVE = /^(?:gcc|g\+\+|gcc-c\+\+|clang|cpp|build-essential|build-base|make|cmake)(?:-\d+(?:\.\d+)*)?$|-dev(?:el)?$/;
/** Header packages whose runtime part every image has (the C library, the interpreter). */
const NO_RUNTIME_LIBRARY = new Set(['libc6-dev', 'musl-dev', 'glibc-devel', 'python3-dev', 'python-dev', 'python3-devel', 'linux-libc-dev', 'kernel-devel']);

/** A reminder in the runtime stage for libraries the build linked against. */
function libraryReminder(facts: Facts): string[] {
  return facts.headerPackages.length > 0 ? [`# TODO(slimfile): install the runtime libraries of ${facts.headerPackages.join(', ')} here`] : [];
}

/** WORKDIR after an instruction has run. */
function workdirAfter(ins: Instruction): string | undefined {
  const dir = workdirAt(ins);
  if (ins.keyword !== 'WORKDIR' || dir === undefined) return dir;
  return resolvePath(dir, ins.argsText.trim().replace(/^["']|["']$/g, ''));
}

function lastCommand(facts: Facts, test: (cmd: ShellCommand) => boolean): { run: RunInstruction; cmd: ShellCommand } | undefined {
  for (let k = facts.commands.length - 1; k >= 0; k--) if (test(facts.commands[k].cmd)) return facts.commands[k];
  return undefined;
}

function hasCommand(facts: Facts, names: readonly string[]): boolean {
  return facts.commands.some((c) => names.includes(c.cmd.name));
}

function planFor(facts: Facts): Plan | undefined {
  const family = facts.rootInfo?.family;
  if (family === 'golang') return goPlan(facts);
  if (family === 'rust') return rustPlan(facts);
  if (family === 'dotnet-sdk') return dotnetPlan(facts);
  if (family === 'maven' || family === 'gradle' || family === 'openjdk' || (family === 'eclipse-temurin' && facts.rootInfo?.toolchain)) return javaPlan(facts);
  if (family === 'node') return nodePlan(facts);
  if (family === 'python') return pythonPlan(facts);
  if (lastCommand(facts, (c) => c.name === 'go' && isBuildCommand(c))) return goPlan(facts);
  if (lastCommand(facts, (c) => c.name === 'cargo' && isBuildCommand(c))) return rustPlan(facts);
  return genericPlan(facts);
}

/** The Debian release of the root image (`bookworm`), if its tag names one. */
function debianRelease(facts: Facts): string | undefined {
  const d = facts.rootInfo?.parts.d;
  return d && /^(?:bookworm|bullseye|buster|trixie)$/.test(d) ? d : undefined;
}

function isMusl(facts: Facts): boolean {
  return facts.rootInfo?.libc === 'musl';
}

/** A small image with a shell and the root image's C library. */
function shellRuntime(facts: Facts): string {
  return isMusl(facts) ? `alpine:${alpineVersion}` : `debian:${debianRelease(facts) ?? 'stable'}-slim`;
}

/** Where the container's program is, when it is a path the build stage made. */
function programPath(facts: Facts): string | undefined {
  const program = facts.entry[0];
  if (!program || !program.includes('/') || facts.workdir === undefined) return undefined;
  return resolvePath(facts.workdir, program);
}

function copyLine(from: string, to: string): string {
  return `COPY --from={build} ${from} ${to}`;
}

function goPlan(facts: Facts): Plan {
  const build = lastCommand(facts, (c) => c.name === 'go' && isBuildCommand(c));
  const staticBinary = build ? cgoDisabled(facts, build.run, build.cmd) : false;
  const body: string[] = [];
  const out = build?.cmd.optionValues('-o')[0];
  const dir = build ? workdirAt(build.run) : undefined;
  const artifact = out !== undefined && dir !== undefined ? resolvePath(dir, out) : programPath(facts);
  if (artifact && artifact !== '/') body.push(copyLine(artifact, artifact));
  else if (build?.cmd.positionals()[0]?.value === 'install' && facts.rootInfo?.family === 'golang') body.push(copyLine('/go/bin/', '/usr/local/bin/'));
  else body.push(...PLACEHOLDER);
  const distroless = staticBinary ? 'gcr.io/distroless/static-debian12' : !isMusl(facts) && debianRelease(facts) === 'bookworm' ? 'gcr.io/distroless/base-debian12' : undefined;
  return { runtime: distroless ?? shellRuntime(facts), prepend: [], append: [], body, hasShell: !distroless, users: distroless ? ['nonroot'] : [] };
}

/** Whether cgo is off for a `go build`: `CGO_ENABLED=0` on the command, exported before it, or set by ENV. */
function cgoDisabled(facts: Facts, run: RunInstruction, cmd: ShellCommand): boolean {
  if (cmd.assignments.get('CGO_ENABLED') === '0') return true;
  if (run.commands.some((c) => c.index < cmd.index && (c.name === 'export' || c.name === '') && c.words.some((w) => w.value === 'CGO_ENABLED=0'))) return true;
  return facts.instructions.some((i) => i.keyword === 'ENV' && i.index < run.index && /\bCGO_ENABLED(?:=|\s+)["']?0\b/.test(i.argsText));
}

function rustPlan(facts: Facts): Plan {
  const build = lastCommand(facts, (c) => c.name === 'cargo' && isBuildCommand(c));
  const body: string[] = [];
  const program = facts.entry[0];
  const path = programPath(facts);
  if (path) body.push(copyLine(path, path));
  else if (build && program && /^[A-Za-z0-9_.-]+$/.test(program)) {
    const isInstall = build.cmd.positionals()[0]?.value === 'install';
    const dir = workdirAt(build.run);
    const triple = build.cmd.optionValues('--target')[0];
    const profile = build.cmd.hasFlag('--release', '-r') ? 'release' : 'debug';
    const from = isInstall
      ? facts.rootInfo?.family === 'rust' && build.cmd.optionValues('--root').length === 0
        ? `/usr/local/cargo/bin/${program}`
        : undefined
      : dir !== undefined
        ? resolvePath(dir, `target/${triple ? `${triple}/` : ''}${profile}/${program}`)
        : undefined;
    if (from) body.push(copyLine(from, `/usr/local/bin/${program}`));
    else body.push(...PLACEHOLDER);
  } else body.push(...PLACEHOLDER);
  const distroless = !isMusl(facts) && debianRelease(facts) === 'bookworm' ? 'gcr.io/distroless/cc-debian12' : undefined;
  return { runtime: distroless ?? shellRuntime(facts), prepend: [], append: [], body, hasShell: !distroless, users: distroless ? ['nonroot'] : [] };
}

function dotnetPlan(facts: Facts): Plan {
  const info = facts.rootInfo;
  const mm = info?.parts.mm;
  const runtime = info?.variant === 'alpine' && mm ? `mcr.microsoft.com/dotnet/aspnet:${mm}-alpine` : (info?.smaller.find((s) => s.family === 'dotnet-aspnet' && s.kind === 'runtime')?.ref ?? 'mcr.microsoft.com/dotnet/aspnet:8.0');
  const publish = lastCommand(facts, (c) => c.name === 'dotnet' && c.positionals()[0]?.value === 'publish');
  const out = publish?.cmd.optionValues('-o', '--output')[0];
  const dir = publish ? workdirAt(publish.run) : undefined;
  const artifact = out !== undefined && dir !== undefined ? resolvePath(dir, out) : undefined;
  const body = artifact && artifact !== '/' ? [copyLine(artifact, artifact)] : [...PLACEHOLDER];
  // The .NET 8 and later images define an `app` user.
  return { runtime, prepend: [], append: [], body, hasShell: true, users: Number.parseFloat(mm ?? '0') >= 8 ? ['app'] : [] };
}

function javaPlan(facts: Facts): Plan {
  const info = facts.rootInfo;
  const version = info?.parts.jv ?? info?.parts.m ?? '21';
  const alpine = info?.libc === 'musl';
  const runtime = `eclipse-temurin:${version}-jre${alpine ? '-alpine' : ''}`;
  const body: string[] = [];
  const jarAt = facts.entry.indexOf('-jar');
  const jar = jarAt >= 0 ? facts.entry[jarAt + 1] : undefined;
  const jarPath = jar && facts.workdir !== undefined ? resolvePath(facts.workdir, jar) : undefined;
  const gradle = lastCommand(facts, (c) => c.name === 'gradle' || c.name === 'gradlew');
  const maven = lastCommand(facts, (c) => c.name === 'mvn' || c.name === 'mvnw');
  const build = maven ?? gradle;
  const dir = build ? workdirAt(build.run) : undefined;
  if (jarPath) body.push(copyLine(jarPath, jarPath));
  else if (build && dir !== undefined) {
    const libs = build === maven ? 'target' : 'build/libs';
    const folder = resolvePath(dir, libs) ?? `/${libs}`;
    body.push(copyLine(`${folder}/*.jar`, `${folder}/`));
  } else body.push(...PLACEHOLDER);
  return { runtime, prepend: [], append: [], body, hasShell: true, users: [] };
}

function nodePlan(facts: Facts): Plan {
  const info = facts.rootInfo;
  const runtime = info && info.variant !== 'full' ? facts.root.image!.raw : (info?.smaller.find((s) => s.kind === 'slim')?.ref ?? 'node:lts-slim');
  const wd = facts.workdir ?? '/';
  const at = (p: string): string => (wd === '/' ? `/${p}` : `${wd}/${p}`);
  const yarn = hasCommand(facts, ['yarn']);
  const pnpm = hasCommand(facts, ['pnpm']);
  const body: string[] = [];
  const append: string[] = [];
  const manifests = yarn ? `${at('package.json')} ${at('yarn.lock')}` : pnpm ? `${at('package.json')} ${at('pnpm-lock.yaml')}` : at('package*.json');
  body.push(...libraryReminder(facts), copyLine(manifests, './'));
  if (facts.installsNativeTools || pnpm) {
    // Native modules were compiled with the build tools: prune them in the build stage and copy them.
    append.push(yarn ? 'RUN yarn install --production --frozen-lockfile --ignore-scripts --prefer-offline' : pnpm ? 'RUN pnpm prune --prod' : 'RUN npm prune --omit=dev');
    body.push(copyLine(at('node_modules'), './node_modules'));
  } else {
    const usedCi = facts.commands.some((c) => c.cmd.name === 'npm' && c.cmd.positionals()[0]?.value === 'ci');
    body.push(yarn ? 'RUN yarn install --production --frozen-lockfile' : usedCi ? 'RUN npm ci --omit=dev' : 'RUN npm install --omit=dev');
  }
  const output = nodeOutput(facts);
  if (output) body.push(copyLine(output, output));
  else body.push(...PLACEHOLDER);
  return { runtime, prepend: [], append, body, hasShell: true, users: ['node'] };
}

/** The folder (under WORKDIR) holding the script `node` runs, when it is one level or more down. */
function nodeOutput(facts: Facts): string | undefined {
  if (facts.entry[0] !== 'node' || facts.workdir === undefined) return undefined;
  const script = facts.entry.slice(1).find((w) => !w.startsWith('-'));
  if (!script) return undefined;
  const path = resolvePath(facts.workdir, script);
  const base = facts.workdir === '/' ? '' : facts.workdir;
  if (!path || !path.startsWith(`${base}/`)) return undefined;
  const rest = path.slice(base.length + 1);
  const slash = rest.indexOf('/');
  return slash > 0 ? `${base}/${rest.slice(0, slash)}` : undefined;
}

const PIP_ELSEWHERE = ['--user', '--target', '-t', '--prefix', '--root'];

function pythonPlan(facts: Facts): Plan | undefined {
  const info = facts.rootInfo;
  if (!info) return undefined;
  const pip = facts.commands.filter((c) => /^pip(?:\d+(?:\.\d+)?)?$/.test(c.cmd.name) || (/^python/.test(c.cmd.name) && c.cmd.args[1]?.value === 'pip'));
  // The virtualenv is created in the final stage: installs in an earlier stage would miss it.
  if (pip.some((c) => c.run.stage !== facts.final || c.cmd.hasFlag(...PIP_ELSEWHERE))) return undefined;
  if (hasCommand(facts, ['pipenv', 'conda', 'mamba', 'micromamba'])) return undefined;
  const runtime = info.variant === 'full' ? info.smaller.find((s) => s.kind === 'slim')?.ref : facts.root.image?.raw;
  if (!runtime) return undefined;
  const venv = 'ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"';
  const body = [...libraryReminder(facts), copyLine('/opt/venv', '/opt/venv'), venv];
  const wd = facts.workdir;
  if (wd !== undefined && wd !== '/') body.push(copyLine(wd, wd));
  else body.push(...PLACEHOLDER);
  return { runtime, prepend: ['RUN python -m venv /opt/venv', venv], append: [], body, hasShell: true, users: [] };
}

function genericPlan(facts: Facts): Plan {
  const info = facts.rootInfo;
  const image = facts.root.image!;
  // The same base without the tools installed on it, or its slim variant; as written (digest kept).
  let runtime: string;
  if (info?.toolchain) runtime = shellRuntime(facts);
  else runtime = (info?.large ? info.smaller.find((s) => s.kind === 'slim')?.ref : undefined) ?? image.raw;
  return { runtime, prepend: [], append: [], body: [...libraryReminder(facts), ...PLACEHOLDER], hasShell: info?.packageManager !== 'none', users: [] };
}

const CARRIED_HEAD = new Set(['ARG', 'LABEL', 'ENV', 'WORKDIR', 'STOPSIGNAL', 'MAINTAINER']);
const CARRIED_TAIL = new Set(['EXPOSE', 'VOLUME']);
const USER_COMMANDS = new Set(['useradd', 'groupadd', 'adduser', 'addgroup', 'usermod', 'mkdir', 'chown', 'chmod']);

/**
 * The settings copied into the runtime stage, as written: ARG (when another carried line uses it),
 * LABEL, ENV, WORKDIR, STOPSIGNAL first; EXPOSE, VOLUME, then the last USER, HEALTHCHECK,
 * ENTRYPOINT and CMD after the copied files. A named USER comes with the RUN that created it (when
 * that RUN only creates users and folders and the runtime has the same tools), or is one the
 * runtime image has. A runtime without a shell is swapped for one with a shell when a carried line
 * needs it. Undefined when the user cannot exist in the runtime image.
 */
function carry(facts: Facts, plan: Plan): { runtime: string; head: string[]; tail: string[] } | undefined {
  const ins = facts.instructions;
  const last = (keyword: string): Instruction | undefined => [...ins].reverse().find((i) => i.keyword === keyword);
  const user = last('USER');
  const health = last('HEALTHCHECK');
  const entrypoint = last('ENTRYPOINT');
  const cmd = last('CMD');
  const head = ins.filter((i) => CARRIED_HEAD.has(i.keyword) && i.keyword !== 'ARG');
  const tail = [...ins.filter((i) => CARRIED_TAIL.has(i.keyword)), user, health, entrypoint, cmd].filter((i): i is Instruction => i !== undefined);
  const extra: string[] = [];

  if (user) {
    const name = user.argsText.trim().split(':')[0];
    if (!/^\d+$/.test(name) && name !== 'root' && name !== 'nobody' && !plan.users.includes(name)) {
      const creators = facts.runs.filter((r) => r.index < user.index && r.text.includes(name));
      const pure = creators.filter((r) => r.commands.length > 0 && r.commands.every((c) => USER_COMMANDS.has(c.name)));
      if (pure.length === 0 || pure.length !== creators.length || !plan.hasShell) return undefined;
      if (!sameFamily(facts, plan.runtime)) return undefined;
      extra.push(...pure.map((r) => r.text));
    }
  }
  if (health && /\b(?:curl|wget)\b/.test(health.argsText)) {
    const tool = /\bcurl\b/.test(health.argsText) ? 'curl' : 'wget';
    const pm = runtimeInfo(plan.runtime)?.packageManager;
    if (pm === 'apt') extra.push(`RUN apt-get update && apt-get install -y --no-install-recommends ${tool} && rm -rf /var/lib/apt/lists/*`);
    else if (pm === 'apk') {
      if (tool === 'curl') extra.push('RUN apk add --no-cache curl');
    } else return undefined;
  }
  const needsShell = extra.length > 0 || plan.body.some((l) => l.startsWith('RUN ')) || tail.some((i) => i.keyword !== 'EXPOSE' && i.keyword !== 'VOLUME' && i.keyword !== 'USER' && commandWords(i)?.form === 'shell');
  if (needsShell && !plan.hasShell) {
    // Distroless has no shell: use the image with a shell instead.
    return carry(facts, { ...plan, runtime: shellRuntime(facts), hasShell: true, users: [] });
  }
  const used = [...head, ...tail].map((i) => i.text).join('\n') + '\n' + extra.join('\n');
  const args = ins.filter((i) => i.keyword === 'ARG' && argNames(i).some((n) => new RegExp(`\\$\\{?${n}\\b`).test(used)));
  const headLines = ins.filter((i) => head.includes(i) || args.includes(i)).map((i) => i.text);
  return { runtime: plan.runtime, head: [...headLines, ...extra], tail: tail.map((i) => i.text) };
}

function argNames(ins: Instruction): string[] {
  return ins.argsText
    .split(/\s+/)
    .map((w) => w.split('=')[0])
    .filter((n) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(n));
}

function runtimeInfo(ref: string): ImageInfo | undefined {
  return lookup(parseImage(ref, ref, false, { start: 0, end: ref.length }));
}

/** Whether the runtime image has the root image's user tools (the same C library and distribution family). */
function sameFamily(facts: Facts, runtime: string): boolean {
  const r = runtimeInfo(runtime);
  if (!r || !facts.rootInfo) return runtime === facts.rootInfo?.display;
  return r.libc === facts.rootInfo.libc && r.packageManager === facts.rootInfo.packageManager;
}
