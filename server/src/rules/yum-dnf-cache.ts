// Flags yum, dnf, microdnf, tdnf and zypper commands that fill the package cache (repository metadata,
// often with downloaded packages) without the matching clean later in the same RUN. Quiet when a
// later clean or rm of the cache folder runs, or a cache/tmpfs mount covers it. Exec form and
// heredocs are read; a clean that runs before the install does not count.
import { defineRule, type Finding, type Fix } from './define';
import type { RunInstruction, ShellCommand } from '../analysis/model';
import { sizes } from '../data/sizes';
import { appendFix, cacheMountFix } from './helpers';
import { userSwitch } from './users';

type Family = 'yum' | 'dnf' | 'microdnf' | 'tdnf' | 'zypper';

/** yum and dnf options that take a separate value and may stand before the subcommand. */
const RPM_VALUE_OPTIONS: ReadonlySet<string> = new Set([
  '-c', '--config', '--enablerepo', '--disablerepo', '--repo', '--repoid', '--setopt', '--releasever', '--installroot',
  '-d', '--debuglevel', '-e', '--errorlevel', '-x', '--exclude', '--downloaddir', '--destdir', '--forcearch',
  '--rpmverbosity', '--color', '--repofrompath', '--disableplugin', '--enableplugin', '--advisory', '--security-severity',
]);
/** zypper's global options that take a separate value (`zypper --root /mnt install x`). */
const ZYPPER_VALUE_OPTIONS: ReadonlySet<string> = new Set([
  '-R', '--root', '-D', '--reposd-dir', '-C', '--cache-dir', '--raw-cache-dir', '--solv-cache-dir', '--pkg-cache-dir',
  '-c', '--config', '--userdata', '--installroot',
]);

/** Subcommands that load repository metadata into the cache (and download packages). */
const RPM_FILLS = new Set(['install', 'in', 'reinstall', 'groupinstall', 'localinstall', 'update', 'upgrade', 'up', 'makecache']);
const RPM_GROUPS = new Set(['group', 'groups', 'module']);
const ZYPPER_FILLS = new Set(['install', 'in', 'update', 'up', 'patch', 'dist-upgrade', 'dup', 'refresh', 'ref', 'source-install', 'si']);

interface FamilyFacts {
  names: string[];
  /** Cache folders a removal or mount of which keeps the cache out of the layer. */
  caches: string[];
  /** Families whose `clean` also cleans this one (yum is dnf on EL 8 and later). */
  cleanedBy: Family[];
  mount: string;
}

const FAMILIES: Record<Family, FamilyFacts> = {
  yum: { names: ['yum'], caches: ['/var/cache/yum', '/var/cache/dnf'], cleanedBy: ['yum', 'dnf'], mount: '/var/cache/yum' },
  // dnf5 (Fedora 41 and later) keeps its cache in /var/cache/libdnf5.
  dnf: { names: ['dnf', 'dnf-3', 'dnf5'], caches: ['/var/cache/dnf', '/var/cache/libdnf5'], cleanedBy: ['yum', 'dnf'], mount: '/var/cache/dnf' },
  microdnf: { names: ['microdnf'], caches: ['/var/cache/yum'], cleanedBy: ['microdnf'], mount: '/var/cache/yum' },
  // tdnf: Azure Linux and Photon OS.
  tdnf: { names: ['tdnf'], caches: ['/var/cache/tdnf'], cleanedBy: ['tdnf'], mount: '/var/cache/tdnf' },
  zypper: { names: ['zypper'], caches: ['/var/cache/zypp'], cleanedBy: ['zypper'], mount: '/var/cache/zypp' },
};

function familyOf(cmd: ShellCommand): Family | undefined {
  return (Object.keys(FAMILIES) as Family[]).find((f) => FAMILIES[f].names.includes(cmd.name));
}

function positionals(cmd: ShellCommand, family: Family): string[] {
  return cmd.positionals(family === 'zypper' ? ZYPPER_VALUE_OPTIONS : RPM_VALUE_OPTIONS).map((w) => w.value);
}

/** The verb as the message shows it (`dnf install`), or undefined when the command fills no cache. */
function fillingVerb(cmd: ShellCommand, family: Family): string | undefined {
  if (cmd.args.some((w) => w.value === '--help' || w.value === '-h')) return undefined;
  const p = positionals(cmd, family);
  if (family === 'zypper') return p[0] !== undefined && ZYPPER_FILLS.has(p[0]) ? `zypper ${p[0]}` : undefined;
  if (p[0] !== undefined && RPM_FILLS.has(p[0])) return `${cmd.name} ${p[0]}`;
  if (p[0] !== undefined && RPM_GROUPS.has(p[0]) && p[1] !== undefined && RPM_FILLS.has(p[1])) return `${cmd.name} ${p[0]} ${p[1]}`;
  return undefined;
}

/** `yum clean all`, `dnf clean all`, `microdnf clean all`, `tdnf clean all`; `zypper clean` / `zypper cc` with any options. */
function isClean(cmd: ShellCommand, family: Family): boolean {
  const p = positionals(cmd, family);
  if (family === 'zypper') return p[0] === 'clean' || p[0] === 'cc';
  return p[0] === 'clean' && p[1] === 'all';
}

const CLEAN: Record<Family, (name: string, sudo: string) => string> = {
  // `yum clean all` leaves folders of repositories that are not enabled; Docker's own guidance adds the rm.
  yum: (name, sudo) => `${sudo}${name} clean all && ${sudo}rm -rf /var/cache/yum`,
  dnf: (name, sudo) => `${sudo}${name} clean all`,
  microdnf: (name, sudo) => `${sudo}${name} clean all`,
  tdnf: (name, sudo) => `${sudo}${name} clean all`,
  // Plain `zypper clean` removes downloaded packages only; -a also drops the metadata.
  zypper: (_name, sudo) => `${sudo}zypper clean -a`,
};

export default defineRule({
  meta: {
    id: 'yum-dnf-cache',
    description: 'yum, dnf, microdnf or zypper install leaves the package cache in the image',
    defaultSeverity: 'warning',
    fixable: true,
    hasSuggestions: true,
    messages: {
      cacheLeft: '{command} leaves its cache ({cache}) in this layer: {size}. End the same RUN with {clean}.',
    },
    hadolint: ['DL3032', 'DL3036', 'DL3040'],
  },
  check({ model }) {
    const findings: Finding[] = [];
    for (const run of model.runs()) {
      for (const cmd of run.commands) {
        const family = familyOf(cmd);
        if (!family) continue;
        const verb = fillingVerb(cmd, family);
        if (!verb) continue;
        const facts = FAMILIES[family];
        if (facts.caches.some((c) => run.hasCacheMount(c) || run.removesPath(c, cmd.index))) continue;
        if (cleanedAfter(run, cmd, facts)) continue;
        const name = family === 'zypper' ? 'zypper' : cmd.name;
        findings.push({
          span: cmd.span,
          messageId: 'cacheLeft',
          data: { command: verb, cache: facts.caches[0], clean: CLEAN[family](name, ''), size: sizes.rpmCache.label },
          fixes: otherRoot(cmd, family) ? [] : fixesFor(run, cmd, family, name),
        });
      }
    }
    return findings;
  },
});

function fixesFor(run: RunInstruction, cmd: ShellCommand, family: Family, name: string): Fix[] {
  const fixes: Fix[] = [];
  const sudo = userSwitch(run, cmd).prefix;
  if (sudo !== undefined) {
    const clean = CLEAN[family](name, sudo);
    const append = appendFix(run, clean, `Append ${clean}`);
    if (append) fixes.push(append);
  }
  // These package managers lock their cache, but two builds sharing one mount should take turns.
  const mount = cacheMountFix(run, FAMILIES[family].mount, ',sharing=locked');
  if (mount) fixes.push(mount);
  return fixes;
}

/**
 * `--installroot` / zypper's `--root`: the cache then lives below that root, where neither a plain
 * clean nor a mount on the usual folder reaches it. Reported without a fix.
 */
function otherRoot(cmd: ShellCommand, family: Family): boolean {
  return family === 'zypper' ? cmd.hasFlag('--root', '-R', '--installroot') : cmd.hasFlag('--installroot');
}

function cleanedAfter(run: RunInstruction, install: ShellCommand, facts: FamilyFacts): boolean {
  return run.commands.some((c) => {
    if (c.index <= install.index) return false;
    const f = familyOf(c);
    return f !== undefined && facts.cleanedBy.includes(f) && isClean(c, f);
  });
}

