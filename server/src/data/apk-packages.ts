// Typed access to apk-packages.json: Debian package names as Alpine names, and the signs that a
// stage depends on glibc or on Debian tools (so moving it to Alpine is not offered).
import table from './apk-packages.json';

interface ApkTable {
  packages: Record<string, string[]>;
  glibcPipPackages: string[];
  glibcUrl: string;
  debianCommands: string[];
}

const data = table as unknown as ApkTable;

/** The Alpine packages for a Debian package (possibly none); undefined when no mapping is known. */
export function apkPackagesFor(debianName: string): readonly string[] | undefined {
  return Object.prototype.hasOwnProperty.call(data.packages, debianName) ? data.packages[debianName] : undefined;
}

/** pip packages with C extensions whose wheels are built for glibc (lower case, `_` read as `-`). */
export const glibcPipPackages: ReadonlySet<string> = new Set(data.glibcPipPackages);

/** URLs that look like prebuilt glibc or Debian binaries. */
export const glibcUrl: RegExp = new RegExp(data.glibcUrl, 'i');

/** Commands Alpine lacks or spells differently. */
export const debianCommands: ReadonlySet<string> = new Set(data.debianCommands);
