// `--format sarif`: SARIF 2.1.0, the format GitHub code scanning uploads. One run; the driver lists
// every rule (so `ruleIndex` is stable whatever was found); locations are relative to the folder the
// command ran in (`%SRCROOT%`), with 1-based lines and columns counted in UTF-16 units, the SARIF
// default. Files that could not be linted become tool notifications.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Rule, Severity } from '../../rules/define';
import { position, type FileReport } from './report';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://github.com/slimfile/slimfile';

type Level = 'error' | 'warning' | 'note';
const LEVEL: Record<Severity, Level> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** The artifact location of a shown path: relative under `cwd`, an absolute file URL outside it. */
export function artifactLocation(shown: string, cwd: string): { uri: string; uriBaseId?: string } {
  if (shown === '<stdin>') return { uri: encodeURIComponent(shown) };
  const abs = path.resolve(cwd, shown);
  const rel = path.relative(cwd, abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return { uri: pathToFileURL(abs).href };
  return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

/** A rule id in PascalCase, for SARIF's `name` (`apk-no-cache` → `ApkNoCache`). */
function pascal(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_, __: string, c: string) => c.toUpperCase());
}

export function toSarif(reports: readonly FileReport[], rules: readonly Rule[], version: string, cwd: string): object {
  const index = new Map(rules.map((r, i) => [r.meta.id, i]));
  const results: object[] = [];
  const notifications: object[] = [];
  for (const report of reports) {
    const lines = report.lines;
    if (report.error !== undefined || !lines) {
      notifications.push({
        level: 'error',
        message: { text: `${report.path}: ${report.error ?? 'not linted'}` },
        locations: [{ physicalLocation: { artifactLocation: artifactLocation(report.path, cwd) } }],
      });
      continue;
    }
    for (const f of report.findings) {
      const start = position(lines, f.span.start);
      const end = position(lines, f.span.end);
      const ruleIndex = index.get(f.ruleId);
      results.push({
        ruleId: f.ruleId,
        ...(ruleIndex !== undefined ? { ruleIndex } : {}),
        level: LEVEL[f.severity],
        message: { text: f.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: artifactLocation(report.path, cwd),
              region: { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column },
            },
          },
        ],
      });
    }
  }
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Slimfile',
            informationUri: INFORMATION_URI,
            version,
            rules: rules.map((r) => ({
              id: r.meta.id,
              name: pascal(r.meta.id),
              shortDescription: { text: r.meta.description },
              helpUri: r.meta.docsUrl,
              defaultConfiguration: { level: LEVEL[r.meta.defaultSeverity] },
              properties: { fixable: r.meta.fixable },
            })),
          },
        },
        invocations: [{ executionSuccessful: notifications.length === 0, toolExecutionNotifications: notifications }],
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(cwd + path.sep).href } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

export function formatSarif(reports: readonly FileReport[], rules: readonly Rule[], version: string, cwd: string): string {
  return JSON.stringify(toSarif(reports, rules, version, cwd), null, 2) + '\n';
}
