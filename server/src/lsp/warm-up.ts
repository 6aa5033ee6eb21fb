// Start-up warm-up. The engine's first analyses run cold: V8 has not yet compiled its hot paths, and
// the first keystrokes in a big Dockerfile took five to ten times as long to answer as later ones.
// After `initialized` the server analyses a built-in sample a few times, one analysis per turn of
// the event loop, so a request that comes in meanwhile waits for one small analysis at most.
import { lint } from '../engine/lint';
import { LineIndex } from '../analysis/text';
import { toDiagnostic } from './diagnostics';

/** A Dockerfile that touches every part of the engine: stages, installs, caches, heredocs, copies. */
const STAGE = [
  'FROM python:3.12 AS build{n}',
  'WORKDIR /app',
  'RUN apt-get update && apt-get install -y \\',
  '    build-essential curl \\',
  '    && pip install -r requirements.txt',
  'RUN npm ci && yum install -y make && apk add git',
  'COPY --chown=app . /app/',
  'ADD https://example.org/tool{n}.tar.gz /tmp/',
  'RUN tar xzf /tmp/tool{n}.tar.gz -C /opt && rm -rf /tmp/tool{n}.tar.gz && chown -R app /app',
  'RUN <<EOF',
  'set -e',
  'sh -c "pip install flask && npm install -g yarn"',
  'EOF',
  'ENV PATH=/opt/bin:$PATH',
  'FROM build{n} AS run{n}',
  'COPY --from=build{n} /app /app',
  'CMD ["python", "app.py"]',
];

export function warmUpSample(stages: number): string {
  const out: string[] = ['# syntax=docker/dockerfile:1'];
  for (let n = 0; n < stages; n++) for (const line of STAGE) out.push(line.replace(/\{n\}/g, String(n)));
  return out.join('\n') + '\n';
}

/**
 * Analyses the sample `rounds` times (and makes its diagnostics), one round per `setImmediate`, then
 * calls `done` with the number of rounds run. Stops early when `stop()` turns true. Never throws.
 */
export function warmUp(rounds: number, done?: (ran: number) => void, stop: () => boolean = () => false): void {
  const text = warmUpSample(8);
  const lines = new LineIndex(text);
  let ran = 0;
  const step = (): void => {
    if (ran >= rounds || stop()) {
      done?.(ran);
      return;
    }
    try {
      for (const f of lint(text).findings) toDiagnostic('file:///warm-up/Dockerfile', lines, f, { relatedInformation: true });
    } catch {
      // The sample is ours; a failure here is a bug the real analyses will report.
    }
    ran++;
    setImmediate(step);
  };
  setImmediate(step);
}
