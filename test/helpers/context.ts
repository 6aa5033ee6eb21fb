// Build-context facts for rule tests, from a list of files and sizes instead of a real folder.
import type { ContextFacts } from '../../server/src/rules/define';
import { contextFacts } from '../../server/src/context/facts';
import type { ContextScan } from '../../server/src/context/scan';

export function fakeContext(files: Record<string, number>, options: { ignoreFile?: string; links?: Record<string, string>; truncated?: boolean } = {}): ContextFacts {
  const sizes = new Map(Object.entries(files));
  const top = new Map<string, { path: string; files: number; bytes: number; isDir: boolean }>();
  for (const [f, b] of sizes) {
    const name = f.split('/')[0];
    const t = top.get(name) ?? { path: name, files: 0, bytes: 0, isDir: f.includes('/') };
    t.files++;
    t.bytes += b;
    top.set(name, t);
  }
  const scan: ContextScan = {
    root: '/ctx',
    ignoreFile: options.ignoreFile ? `/ctx/${options.ignoreFile}` : undefined,
    files: sizes.size,
    bytes: [...sizes.values()].reduce((a, b) => a + b, 0),
    top: [...top.values()].sort((a, b) => b.bytes - a.bytes),
    sizes,
    links: new Map(Object.entries(options.links ?? {})),
    truncated: options.truncated ?? false,
    unreadable: [],
    excluded: [],
    durationMs: 0,
  };
  return contextFacts(scan);
}
