// Flags npm, yarn and pnpm installs that leave the package manager's cache in the layer: npm and
// yarn keep a compressed copy of every package they fetch. Quiet when a later command in the same
// RUN cleans that manager's cache (or deletes its folder) or a cache/tmpfs mount covers it.
// Exec form has no shell to append to; Yarn 2+ gets no clean-up fix (Plug'n'Play runs from its cache).
import { defineRule, type Finding, type Fix } from './define';
import { normalizePath, properties, RunInstruction, type Instruction, type ShellCommand } from '../analysis/model';
import { sizes } from '../data/sizes';
import { foldBefore, LAST_USER, type BeforeFold } from './before';
import { appendFix, cacheMountFix } from './helpers';
import { isRootUser, userSwitch, SIMPLE_WORD } from './users';

type ManagerName = 'npm' | 'yarn' | 'pnpm';

interface Manager {
  name: ManagerName;
  /** The option naming another cache folder. */
  cacheOption: string;
  /** Environment variables naming another cache folder. */
  cacheEnv: string[];
  valueOptions: ReadonlySet<string>;
  /** The install verb as the message shows it, or undefined when the command installs nothing. */
  installVerb(cmd: ShellCommand): string | undefined;
  isClean(cmd: ShellCommand): boolean;
  clean: string;
  /** How the message names the default cache. */
  cacheName: string;
  /** Where the cache may be when nothing moves it (root's home, and the folders documented for Docker). */
  defaults: string[];
  /** The cache below any home folder, for other users. */
  homeRel: string[];
  /** The cache mount the fix proposes when nothing moves the cache (root only). */
  mountDefault: string;
  messageId: string;
}

// npm's aliases of install and ci (npm help install, npm help ci).
const NPM_INSTALLS = new Set([
  'install', 'i', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal', 'isntall', 'add',
  'ci', 'clean-install', 'ic', 'install-clean', 'isntall-clean', 'install-test', 'it', 'install-ci-test', 'cit',
]);
const NPM_VALUE_OPTIONS: ReadonlySet<string> = new Set([
  '--prefix', '-C', '--cache', '--registry', '--loglevel', '--userconfig', '--globalconfig', '-w', '--workspace',
  '--omit', '--include', '--install-strategy', '--location', '--fetch-retries', '--tag',
]);
const YARN_VALUE_OPTIONS: ReadonlySet<string> = new Set([
  '--cwd', '--cache-folder', '--modules-folder', '--network-timeout', '--network-concurrency', '--mutex', '--registry',
  '--global-folder', '--link-folder', '--preferred-cache-folder', '--proxy', '--https-proxy', '--use-yarnrc', '--otp', '--child-concurrency',
]);
const PNPM_VALUE_OPTIONS: ReadonlySet<string> = new Set([
  '--dir', '-C', '--store-dir', '--filter', '-F', '--reporter', '--registry', '--loglevel', '--virtual-store-dir', '--modules-dir',
]);

function isHelp(cmd: ShellCommand): boolean {
  return cmd.args.some((w) => w.value === '--help' || w.value === '-h');
}

const MANAGERS: Manager[] = [
  {
    name: 'npm',
    cacheOption: '--cache',
    cacheEnv: ['npm_config_cache', 'NPM_CONFIG_CACHE'],
    valueOptions: NPM_VALUE_OPTIONS,
    installVerb(cmd) {
      if (cmd.name !== 'npm' || isHelp(cmd)) return undefined;
      const sub = cmd.positionals(NPM_VALUE_OPTIONS)[0]?.value;
      return sub !== undefined && NPM_INSTALLS.has(sub) ? `npm ${sub}` : undefined;
    },
    isClean(cmd) {
      const p = cmd.positionals(NPM_VALUE_OPTIONS);
      // Since npm 5 `npm cache clean` refuses to run without --force.
      return cmd.name === 'npm' && p[0]?.value === 'cache' && ['clean', 'clear', 'rm'].includes(p[1]?.value ?? '') && cmd.hasFlag('--force', '-f');
    },
    clean: 'npm cache clean --force',
    cacheName: '~/.npm',
    defaults: ['/root/.npm/_cacache'],
    homeRel: ['.npm/_cacache'],
    mountDefault: '/root/.npm',
    messageId: 'cacheLeft',
  },
  {
    name: 'yarn',
    cacheOption: '--cache-folder',
    cacheEnv: ['YARN_CACHE_FOLDER'],
    valueOptions: YARN_VALUE_OPTIONS,
    installVerb(cmd) {
      if (cmd.name !== 'yarn' || isHelp(cmd) || cmd.args.some((w) => w.value === '--version' || w.value === '-v')) return undefined;
      const p = cmd.positionals(YARN_VALUE_OPTIONS).map((w) => w.value);
      if (p.length === 0) return 'yarn';
      if (p[0] === 'install' || p[0] === 'add') return `yarn ${p[0]}`;
      if (p[0] === 'global' && p[1] === 'add') return 'yarn global add';
      return undefined;
    },
    isClean(cmd) {
      // `yarn cache clean <pkg>` only drops that package.
      const p = cmd.positionals(YARN_VALUE_OPTIONS).map((w) => w.value);
      return cmd.name === 'yarn' && p.length === 2 && p[0] === 'cache' && p[1] === 'clean';
    },
    clean: 'yarn cache clean',
    cacheName: "yarn's cache folder",
    // Yarn 1 uses /usr/local/share/.cache/yarn for root, ~/.cache/yarn for other users.
    defaults: ['/usr/local/share/.cache/yarn', '/root/.cache/yarn'],
    homeRel: ['.cache/yarn'],
    mountDefault: '/usr/local/share/.cache/yarn',
    messageId: 'cacheLeft',
  },
  {
    name: 'pnpm',
    cacheOption: '--store-dir',
    cacheEnv: ['npm_config_store_dir', 'NPM_CONFIG_STORE_DIR'],
    valueOptions: PNPM_VALUE_OPTIONS,
    installVerb(cmd) {
      if (cmd.name !== 'pnpm' || isHelp(cmd)) return undefined;
      const sub = cmd.positionals(PNPM_VALUE_OPTIONS)[0]?.value;
      return sub === 'install' || sub === 'i' || sub === 'add' ? `pnpm ${sub}` : undefined;
    },
    isClean(cmd) {
      const p = cmd.positionals(PNPM_VALUE_OPTIONS);
      return cmd.name === 'pnpm' && p[0]?.value === 'store' && p[1]?.value === 'prune';
    },
    clean: 'pnpm store prune',
    cacheName: '~/.local/share/pnpm/store',
    // /pnpm/store is the store of the pnpm Docker guide (PNPM_HOME=/pnpm).
    defaults: ['/root/.local/share/pnpm/store', '/root/.cache/pnpm', '/pnpm/store'],
    homeRel: ['.local/share/pnpm/store', '.cache/pnpm'],
    mountDefault: '/root/.local/share/pnpm/store',
    messageId: 'storeLeft',
  },
];

export default defineRule({
  meta: {
    id: 'npm-cache',
    description: 'npm, yarn or pnpm install leaves the package cache in the image',
    defaultSeverity: 'warning',
    fixable: true,
    hasSuggestions: true,
    messages: {
      cacheLeft: '{command} leaves its package cache ({cache}) in this layer: {size}. End the same RUN with {clean}.',
      storeLeft:
        "{command} leaves the pnpm store ({cache}) in this layer, where files pnpm could not hard-link into node_modules are stored twice. For scale, npm's cache is {size}. End the same RUN with {clean}.",
    },
    hadolint: ['DL3060'],
  },
  check({ model }) {
    const findings: Finding[] = [];
    for (const run of model.runs()) {
      for (const cmd of run.commands) {
        const manager = MANAGERS.find((m) => m.installVerb(cmd) !== undefined);
        if (!manager) continue;
        const where = cacheOf(run, cmd, manager);
        if (cleanedOrMounted(run, cmd, manager, where)) continue;
        const fixes: Fix[] = [];
        const append = appendText(run, cmd, manager, where);
        const fix = append ? appendFix(run, append, `Append ${append}`) : undefined;
        if (fix) fixes.push(fix);
        const mount = mountTarget(run, cmd, manager, where);
        const mountFix = mount ? cacheMountFix(run, mount) : undefined;
        if (mountFix) fixes.push(mountFix);
        findings.push({
          span: cmd.span,
          messageId: manager.messageId,
          data: { command: manager.installVerb(cmd) ?? manager.name, cache: where.dir ?? manager.cacheName, clean: manager.clean, size: sizes.npmCache.label },
          fixes,
        });
      }
    }
    return findings;
  },
});

interface CacheLocation {
  /** The folder the cache was moved to, if anything moved it. */
  dir: string | undefined;
  /** Moved by this command (an option or an inline variable), which the appended clean must repeat. */
  explicit: boolean;
}

/** Where a command's cache is: an option, an inline variable, ENV in the stage, or the default. */
function cacheOf(run: RunInstruction, cmd: ShellCommand, m: Manager): CacheLocation {
  const option = cmd.optionValues(m.cacheOption);
  const assigned = m.cacheEnv.map((n) => cmd.assignments.get(n)).find((v) => v !== undefined && v !== '');
  const explicit = option[option.length - 1] ?? assigned;
  if (explicit !== undefined) return { dir: explicit, explicit: true };
  for (const n of m.cacheEnv) {
    const v = envValue(run, n);
    if (v) return { dir: v, explicit: false };
  }
  if (m.name === 'pnpm') {
    const home = envValue(run, 'PNPM_HOME');
    if (home) return { dir: `${home.replace(/\/+$/, '')}/store`, explicit: false };
  }
  return { dir: undefined, explicit: false };
}

function sameDir(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return normalizePath(a).replace(/\/+$/, '') === normalizePath(b).replace(/\/+$/, '');
}

/** Whether the cache of this install stays out of the layer: a later matching clean, an rm, a mount. */
function cleanedOrMounted(run: RunInstruction, cmd: ShellCommand, m: Manager, where: CacheLocation): boolean {
  if (where.dir !== undefined) {
    if (run.hasCacheMount(where.dir) || run.removesPath(where.dir, cmd.index)) return true;
  } else {
    if (m.defaults.some((p) => run.hasCacheMount(p) || run.removesPath(p, cmd.index))) return true;
    if (run.mounts.some((x) => (x.type === 'cache' || x.type === 'tmpfs') && x.target !== undefined && coversHomeCache(x.target, m.homeRel))) return true;
    if (run.commands.some((c) => c.index > cmd.index && c.name === 'rm' && c.positionals().some((w) => coversHomeCache(w.value, m.homeRel)))) return true;
  }
  return run.commands.some((c) => c.index > cmd.index && m.isClean(c) && sameDir(cacheOf(run, c, m).dir, where.dir));
}

/**
 * The clean-up command the fix appends, or undefined when appending it is not certain to be right:
 * a folder that needs quoting, or Yarn 2+ (its cache may be the install). (`appendCommand` refuses
 * to append after an `exit`.)
 */
function appendText(run: RunInstruction, cmd: ShellCommand, m: Manager, where: CacheLocation): string | undefined {
  if (m.name === 'yarn' && mayBeYarnBerry(run)) return undefined;
  const prefix = userSwitch(run, cmd).prefix;
  if (prefix === undefined) return undefined;
  if (!where.explicit || where.dir === undefined) return prefix + m.clean;
  if (!SIMPLE_WORD.test(where.dir)) return undefined;
  return `${prefix}${m.clean} ${m.cacheOption} ${where.dir}`;
}

function mountTarget(run: RunInstruction, cmd: ShellCommand, m: Manager, where: CacheLocation): string | undefined {
  if (m.name === 'yarn' && mayBeYarnBerry(run)) return undefined;
  if (where.dir !== undefined) return where.dir.startsWith('/') && SIMPLE_WORD.test(where.dir) ? normalizePath(where.dir) : undefined;
  // Another user's cache lives in that user's home, where a mount on /root would not help.
  const user = userSwitch(run, cmd).user;
  return (user === undefined ? runsAsRoot(run) : isRootUser(user)) ? m.mountDefault : undefined;
}

/**
 * Signs of Yarn 2 or later up to this RUN (its stage and the stages it is built FROM): corepack,
 * `yarn set version`, `--immutable`, `yarn workspaces focus`, `yarn dlx`, or a copied `.yarnrc.yml`
 * or `.yarn` folder.
 */
function mayBeYarnBerry(run: RunInstruction): boolean {
  return yarnBerrySign(run) || foldBefore(run, YARN_BERRY);
}

const YARN_BERRY: BeforeFold<boolean> = { key: 'npm-cache:yarn-berry', init: false, step: (acc, ins) => acc || yarnBerrySign(ins) };

/** Whether one instruction shows Yarn 2 or later (see mayBeYarnBerry). */
function yarnBerrySign(i: Instruction): boolean {
  if (i instanceof RunInstruction) {
    for (const c of i.commands) {
      if (c.name === 'corepack') return true;
      if (c.name !== 'yarn') continue;
      const p = c.positionals(YARN_VALUE_OPTIONS).map((w) => w.value);
      if ((p[0] === 'set' && p[1] === 'version') || (p[0] === 'workspaces' && p[1] === 'focus') || p[0] === 'dlx') return true;
      if (c.hasFlag('--immutable', '--immutable-cache')) return true;
    }
  }
  if (i.keyword !== 'COPY' && i.keyword !== 'ADD') return false;
  const facts = i.model.copyOf(i);
  return facts !== undefined && facts.sources.some((s) => /(^|\/)\.yarnrc\.yml$|(^|\/)\.yarn(\/|$)/.test(s.value));
}

/**
 * Whether a path is a home folder or a folder on the way to the cache below some home
 * (`/home/node/.npm`, `/srv/app/.cache/yarn`): the cache follows the user's home, which the
 * Dockerfile may not show.
 */
function coversHomeCache(path: string, rels: string[]): boolean {
  let p = normalizePath(path).replace(/\/+$/, '');
  if (p.endsWith('/*') || p.endsWith('/.*')) p = p.slice(0, p.lastIndexOf('/'));
  if (/^\/home\/[^/]+$/.test(p)) return true;
  return rels.some((rel) => {
    const segs = rel.split('/');
    for (let k = 1; k <= segs.length; k++) if (p.endsWith('/' + segs.slice(0, k).join('/'))) return true;
    return false;
  });
}

/** The value ENV gives `name` for this RUN (its stage and the stages it is built FROM), if any. */
function envValue(run: RunInstruction, name: string): string | undefined {
  const value = foldBefore<string | undefined>(run, {
    key: `npm-cache:env:${name}`,
    init: undefined,
    step: (acc, i) => {
      if (i.keyword !== 'ENV') return acc;
      for (const p of properties(i)) if (p.name === name) acc = p.value ?? undefined;
      return acc;
    },
  });
  return value === '' ? undefined : value;
}

/** Whether the RUN runs as root: no USER before it, or the last one names root or uid 0. */
function runsAsRoot(run: RunInstruction): boolean {
  const last = foldBefore(run, LAST_USER);
  if (!last) return true;
  return isRootUser(last.argsText.trim().split(':')[0]);
}
