// Sizes as messages show them: decimal units, as registries and `docker images` do.

/** `412 MB`, `1.3 GB`, `96 KB`, `12 bytes`. */
export function formatSize(n: number): string {
  if (n < 1000) return `${n} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v >= 10 ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}
