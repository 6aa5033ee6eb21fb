// Typed access to the base-image size table (images.json): which family and variant an image
// reference is, its approximate compressed size, and the smaller images it could switch to, written
// the way the reference was written (registry prefix kept, digest dropped).
import table from './images.json';
import type { ImageRef } from '../analysis/model';

export type SmallerKind = 'slim' | 'alpine' | 'distroless' | 'runtime';
export type Libc = 'glibc' | 'musl' | 'none';
/** The package manager an image ships: `dnf` also stands for yum and tdnf; `none` has none. */
export type PackageManager = 'apt' | 'apk' | 'dnf' | 'microdnf' | 'none';

export interface SizeSource {
  /** When the figure held (year or month). */
  date: string;
  /** How the figure was obtained; "approximate: ..." unless measured. */
  source: string;
  /** The tag the figure is for (`python:3.12`). */
  example: string;
}

/** A smaller image an image can switch to. */
export interface SmallerImage extends SizeSource {
  /** The reference to write (`python:3.12-slim`), with the original registry prefix. */
  ref: string;
  sizeMB: number;
  kind: SmallerKind;
  family: string;
  variant: string;
  libc: Libc;
  packageManager: PackageManager;
  /** Only a runtime (JRE, ASP.NET): it cannot build what the larger image built. */
  runtimeOnly: boolean;
  /** False when the switch needs more than a new reference (a different ENTRYPOINT, say): listed, never a quick fix. */
  offerFix: boolean;
  /** A caveat to show with it. */
  note: string | undefined;
}

export interface ImageInfo extends SizeSource {
  family: string;
  variant: string;
  sizeMB: number;
  /** Reported by large-base-image when it ships. */
  large: boolean;
  /** An SDK or compiler image (golang, rust, maven, gradle, dotnet/sdk, a JDK). */
  toolchain: boolean;
  libc: Libc;
  packageManager: PackageManager;
  /** A buildpack-deps based image: it has curl, git, gcc, make... that its slim and alpine variants lack. */
  buildpackTools: boolean;
  /** The reference as written, without the digest (resolved when it was written with variables). */
  display: string;
  /** Parts of the tag and repository (`v` version, `d` distribution...), as the table names them. */
  parts: Record<string, string>;
  /** Smaller images, in table order. */
  smaller: SmallerImage[];
}

interface SmallerJson {
  kind: SmallerKind;
  image?: string;
  tag: string[];
  family: string;
  variant: string;
  when?: string;
  runtimeOnly?: boolean;
  fix?: boolean;
  note?: string;
}

interface VariantJson {
  variant: string;
  tag: string;
  sizeMB: number;
  example: string;
  date: string;
  source: string;
  libc: Libc;
  packageManager: PackageManager;
  large?: boolean;
  toolchain?: boolean;
  buildpackTools?: boolean;
  smaller?: SmallerJson[];
}

interface FamilyJson {
  family: string;
  repository: string;
  anyTag?: string;
  variants: VariantJson[];
}

interface TableJson {
  recorded: string;
  alpine: string;
  fragments: Record<string, string>;
  buildpackTools: string[];
  families: FamilyJson[];
}

interface Variant extends VariantJson {
  re: RegExp | undefined;
  smallerEntries: (SmallerJson & { whenRe: RegExp | undefined })[];
}

interface Family extends Omit<FamilyJson, 'variants'> {
  re: RegExp | undefined;
  variants: Variant[];
}

const data = table as unknown as TableJson;

/** Alpine release suggested when a Debian or Ubuntu base moves to Alpine. */
export const alpineVersion: string = data.alpine;
/** Commands buildpack-deps based images have and their slim and alpine variants lack. */
export const buildpackTools: ReadonlySet<string> = new Set(data.buildpackTools);

function compile(source: string): RegExp | undefined {
  const expanded = source.replace(/\{\{([A-Z]+)\}\}/g, (m, name: string) => data.fragments[name] ?? m);
  try {
    return new RegExp(expanded);
  } catch {
    return undefined;
  }
}

const families: Family[] = data.families.map((f) => ({
  ...f,
  re: compile(f.repository),
  variants: f.variants.map((v) => ({
    ...v,
    re: compile(v.tag),
    smallerEntries: (v.smaller ?? []).map((s) => ({ ...s, whenRe: s.when ? compile(s.when) : undefined })),
  })),
}));

/** The table's families and variants, for documentation and tests. */
export function tableEntries(): { family: string; repository: string; variant: string; sizeMB: number; large: boolean; example: string; date: string; source: string }[] {
  return families.flatMap((f) =>
    f.variants.map((v) => ({ family: f.family, repository: f.repository, variant: v.variant, sizeMB: v.sizeMB, large: !!v.large, example: v.example, date: v.date, source: v.source })),
  );
}

/** A family's variant by name. */
export function variantOf(family: string, variant: string): VariantJson | undefined {
  return families.find((f) => f.family === family)?.variants.find((v) => v.variant === variant);
}

/** Splits `repo:tag@digest` as written. */
export function splitReference(s: string): { repo: string; tag: string | undefined; digest: string | undefined } {
  let rest = s;
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
  return { repo: rest, tag, digest };
}

function groupsOf(m: RegExpExecArray | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(m?.groups ?? {})) if (val !== undefined && val !== '') out[k] = val;
  return out;
}

const PLACEHOLDER = /\{(\w+)(?:\|([^}]*))?\}/g;

/** A tag piece with its placeholders filled; undefined when one has no value and no default. */
function renderPiece(piece: string, parts: Record<string, string>): string | undefined {
  let missing = false;
  const out = piece.replace(PLACEHOLDER, (_m, name: string, fallback: string | undefined) => {
    const value = parts[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    missing = true;
    return '';
  });
  return missing || out === '' ? undefined : out;
}

function renderText(template: string, parts: Record<string, string>): string {
  return template.replace(PLACEHOLDER, (_m, name: string, fallback: string | undefined) => parts[name] ?? fallback ?? '');
}

/**
 * What the table knows about an image reference: family, variant, approximate compressed size and
 * the smaller images it could switch to. Undefined for images the table does not cover (Windows
 * images, private images, odd tags). A reference with an unresolved variable is known only when
 * its repository is written without variables and every tag of the family weighs the same.
 */
export function lookup(ref: ImageRef): ImageInfo | undefined {
  const rawParts = splitReference(ref.raw);
  if (ref.unresolved && rawParts.repo.includes('$')) return undefined;
  const written = ref.raw.includes('$') ? ref.resolved : ref.raw;
  const parts = splitReference(written);
  const fullName = ref.registry ? `${ref.registry}/${ref.name}` : ref.name;
  const family = families.find((f) => f.re?.test(fullName));
  if (!family) return undefined;
  const repoMatch = groupsOf(family.re?.exec(fullName) ?? null);
  const tag = ref.tag === undefined || ref.tag === 'latest' ? '' : ref.tag;
  let variant: Variant | undefined;
  let tagParts: Record<string, string> = {};
  if (ref.unresolved) {
    variant = family.anyTag ? family.variants.find((v) => v.variant === family.anyTag) : undefined;
  } else {
    for (const v of family.variants) {
      const m = v.re?.exec(tag) ?? null;
      if (m) {
        variant = v;
        tagParts = groupsOf(m);
        break;
      }
    }
  }
  if (!variant) return undefined;
  const repoText = parts.repo;
  const hub = ref.registry === undefined && repoText.toLowerCase().endsWith(ref.name) ? repoText.slice(0, repoText.length - ref.name.length) : '';
  const all: Record<string, string> = { ...repoMatch, ...tagParts, alpine: alpineVersion, hub, repo: repoText };
  const display = ref.unresolved ? `${rawParts.repo}${rawParts.tag !== undefined ? ':' + rawParts.tag : ''}` : `${parts.repo}${parts.tag !== undefined ? ':' + parts.tag : ''}`;
  const smaller: SmallerImage[] = [];
  for (const s of variant.smallerEntries) {
    if (s.when && !(s.whenRe?.test(ref.unresolved ? '' : tag) ?? false)) continue;
    const target = variantOf(s.family, s.variant);
    if (!target) continue;
    const pieces = s.tag.map((p) => renderPiece(p, all)).filter((p): p is string => p !== undefined);
    const image = renderText(s.image ?? '{repo}', all);
    const newTag = pieces.join('-');
    smaller.push({
      ref: newTag ? `${image}:${newTag}` : image,
      sizeMB: target.sizeMB,
      kind: s.kind,
      family: s.family,
      variant: s.variant,
      libc: target.libc,
      packageManager: target.packageManager,
      runtimeOnly: !!s.runtimeOnly,
      offerFix: s.fix !== false,
      note: s.note,
      date: target.date,
      source: target.source,
      example: target.example,
    });
  }
  return {
    family: family.family,
    variant: variant.variant,
    sizeMB: variant.sizeMB,
    large: !!variant.large,
    toolchain: !!variant.toolchain,
    libc: variant.libc,
    packageManager: variant.packageManager,
    buildpackTools: !!variant.buildpackTools,
    date: variant.date,
    source: variant.source,
    example: variant.example,
    display,
    parts: { ...repoMatch, ...tagParts },
    smaller: smaller.filter((s) => s.sizeMB < variant!.sizeMB),
  };
}

/** `45`, `3.6`: a size in MB as messages print it. */
export function formatMB(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
