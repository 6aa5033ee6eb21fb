// Test helpers for the CLI: a structural check of a SARIF 2.1.0 log (the properties GitHub code
// scanning requires, written from the 2.1.0 specification, no schema download) and a small
// unified-diff applier to prove --fix-dry-run's output is a patch of the file.

/** Problems with a SARIF log, as readable strings; empty when it has the required shape. */
export function checkSarif(log: unknown): string[] {
  const problems: string[] = [];
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const posInt = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 1;
  if (!isObj(log)) return ['the log is not an object'];
  if (log.version !== '2.1.0') problems.push('version must be "2.1.0"');
  if (typeof log.$schema !== 'string' || !/sarif/i.test(log.$schema)) problems.push('$schema must name the SARIF schema');
  if (!Array.isArray(log.runs) || log.runs.length !== 1) return [...problems, 'runs must hold one run'];
  const run = log.runs[0] as unknown;
  if (!isObj(run)) return [...problems, 'the run is not an object'];
  const driver = isObj(run.tool) && isObj(run.tool.driver) ? run.tool.driver : undefined;
  if (!driver) return [...problems, 'tool.driver is required'];
  if (driver.name !== 'Slimfile') problems.push('tool.driver.name must be "Slimfile"');
  if (typeof driver.informationUri !== 'string' || !/^https:\/\//.test(driver.informationUri)) problems.push('tool.driver.informationUri must be an https URI');
  if (typeof driver.version !== 'string' || driver.version === '') problems.push('tool.driver.version must be a string');
  const rules = Array.isArray(driver.rules) ? driver.rules : [];
  if (!Array.isArray(driver.rules)) problems.push('tool.driver.rules must be an array');
  const ids = new Set<string>();
  rules.forEach((r: unknown, i) => {
    if (!isObj(r) || typeof r.id !== 'string') return void problems.push(`rules[${i}].id is required`);
    if (ids.has(r.id)) problems.push(`rules[${i}].id ${r.id} is repeated`);
    ids.add(r.id);
    if (typeof r.name !== 'string' || !/^[A-Za-z][A-Za-z0-9]*$/.test(r.name)) problems.push(`rules[${i}].name must be an identifier`);
    if (!isObj(r.shortDescription) || typeof r.shortDescription.text !== 'string' || r.shortDescription.text === '') problems.push(`rules[${i}].shortDescription.text is required`);
    if (typeof r.helpUri !== 'string' || !/^https:\/\//.test(r.helpUri)) problems.push(`rules[${i}].helpUri must be an https URI`);
    const level = isObj(r.defaultConfiguration) ? r.defaultConfiguration.level : undefined;
    if (!['error', 'warning', 'note', 'none'].includes(level as string)) problems.push(`rules[${i}].defaultConfiguration.level is invalid`);
  });
  if (!Array.isArray(run.results)) return [...problems, 'results must be an array'];
  run.results.forEach((res: unknown, i) => {
    const where = `results[${i}]`;
    if (!isObj(res)) return void problems.push(`${where} is not an object`);
    if (typeof res.ruleId !== 'string') problems.push(`${where}.ruleId is required`);
    if (res.ruleIndex !== undefined) {
      const rule = Number.isInteger(res.ruleIndex) ? (rules[res.ruleIndex as number] as Record<string, unknown> | undefined) : undefined;
      if (!rule || rule.id !== res.ruleId) problems.push(`${where}.ruleIndex does not point at rule ${String(res.ruleId)}`);
    }
    if (!['error', 'warning', 'note', 'none'].includes(res.level as string)) problems.push(`${where}.level is invalid`);
    if (!isObj(res.message) || typeof res.message.text !== 'string' || res.message.text === '') problems.push(`${where}.message.text is required`);
    const loc = Array.isArray(res.locations) ? (res.locations[0] as unknown) : undefined;
    const phys = isObj(loc) && isObj(loc.physicalLocation) ? loc.physicalLocation : undefined;
    if (!phys) return void problems.push(`${where}.locations[0].physicalLocation is required`);
    const art = isObj(phys.artifactLocation) ? phys.artifactLocation : undefined;
    if (!art || typeof art.uri !== 'string' || art.uri === '') problems.push(`${where} artifactLocation.uri is required`);
    else {
      if (art.uri.includes('\\')) problems.push(`${where} uri must use forward slashes`);
      if (art.uriBaseId !== undefined && (art.uriBaseId !== '%SRCROOT%' || /^[a-z]+:/i.test(art.uri) || art.uri.startsWith('/'))) problems.push(`${where} a uriBaseId needs a relative uri`);
    }
    const region = isObj(phys.region) ? phys.region : undefined;
    if (!region) return void problems.push(`${where}.region is required`);
    for (const k of ['startLine', 'startColumn', 'endLine', 'endColumn']) if (!posInt(region[k])) problems.push(`${where}.region.${k} must be an integer >= 1`);
    const sl = region.startLine as number;
    const el = region.endLine as number;
    if (el < sl || (el === sl && (region.endColumn as number) < (region.startColumn as number))) problems.push(`${where}.region ends before it starts`);
  });
  return problems;
}

/** Applies a unified diff (one file) to `text`; throws when a context or removed line does not match. */
export function applyUnifiedDiff(text: string, diff: string): string {
  const src = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const out: string[] = [];
  let at = 0;
  const rows = diff.match(/[^\n]*\n/g) ?? [];
  let i = 0;
  while (i < rows.length && !rows[i].startsWith('@@')) i++;
  while (i < rows.length) {
    const m = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@\n$/.exec(rows[i]);
    if (!m) throw new Error(`bad hunk header: ${rows[i]}`);
    const count = m[2] === undefined ? 1 : Number(m[2]);
    const start = count === 0 ? Number(m[1]) : Number(m[1]) - 1;
    while (at < start) out.push(src[at++]);
    i++;
    while (i < rows.length && !rows[i].startsWith('@@')) {
      const row = rows[i];
      const noEol = rows[i + 1]?.startsWith('\\');
      const body = noEol ? row.slice(1, -1) : row.slice(1);
      if (row[0] === ' ' || row[0] === '-') {
        if (src[at] !== body) throw new Error(`line ${at + 1} does not match: ${JSON.stringify(src[at])} vs ${JSON.stringify(body)}`);
        if (row[0] === ' ') out.push(body);
        at++;
      } else if (row[0] === '+') out.push(body);
      else throw new Error(`bad diff row: ${row}`);
      i += noEol ? 2 : 1;
    }
  }
  while (at < src.length) out.push(src[at++]);
  return out.join('');
}
