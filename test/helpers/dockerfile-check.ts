// Checks that a Dockerfile still parses after a fix: every instruction keyword is one Docker knows,
// and every POSIX shell script in a RUN passes `bash -n` (when the original did).
import { spawnSync } from 'node:child_process';
import { analyze } from '../../server/src/analysis/model';

const KEYWORDS = new Set([
  'FROM', 'RUN', 'CMD', 'LABEL', 'MAINTAINER', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME',
  'USER', 'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL',
]);

/** The shell scripts of a Dockerfile's RUNs, as the shell would receive them (POSIX files only). */
export function runScripts(text: string): string[] {
  const model = analyze(text);
  if (model.escape === '`') return [];
  const out: string[] = [];
  for (const run of model.runs()) {
    const src = run.script?.source;
    if (src && src.kind !== 'json-array') out.push(src.text);
  }
  return out;
}

/** `bash -n` errors for the RUN scripts, or undefined when they all parse. */
export function shellSyntaxError(text: string): string | undefined {
  const scripts = runScripts(text);
  if (scripts.length === 0) return undefined;
  const body = scripts.map((s, k) => `__slimfile_run_${k}() {\n${s}\n}\n`).join('');
  const r = spawnSync('bash', ['-n'], { input: body, encoding: 'utf8' });
  return r.status === 0 ? undefined : (r.stderr || 'bash -n failed').trim();
}

/** Problems that make `after` no longer a valid Dockerfile where `before` was one. */
export function parseProblems(before: string, after: string): string[] {
  const problems: string[] = [];
  const model = analyze(after);
  for (const ins of model.instructions) {
    if (!KEYWORDS.has(ins.keyword)) problems.push(`unknown instruction ${ins.keyword} on line ${ins.startLine + 1}`);
  }
  const beforeModel = analyze(before);
  const unknownBefore = beforeModel.instructions.filter((i) => !KEYWORDS.has(i.keyword)).length;
  if (unknownBefore > 0) return [];
  if (shellSyntaxError(before) === undefined) {
    const err = shellSyntaxError(after);
    if (err) problems.push(`a RUN no longer parses as shell: ${err}`);
  }
  return problems;
}
