// Times the analysis on a generated 1,000-line Dockerfile: dockerfile-ast's parse alone, our model
// (parse + stages + RUN commands), and the full lint with every registered rule. The code under test
// is bundled on the fly with the same esbuild settings as the shipped server, so the numbers are
// the ones users get. Prints median and p95 in ms; asserts nothing (timings vary by machine).
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LINES = 1000;
const WARMUP = 10;
const RUNS = 50;

/** A realistic Dockerfile of exactly `LINES` lines: several stages of apt, pip, npm and apk work. */
function generateDockerfile() {
  const out = ['# syntax=docker/dockerfile:1', 'ARG PYTHON_VERSION=3.12', 'ARG NODE_VERSION=20', ''];
  const aptPackages = ['build-essential', 'libpq-dev', 'libxml2-dev', 'libxslt1-dev', 'libjpeg-dev', 'zlib1g-dev', 'gettext', 'curl', 'git', 'ca-certificates'];
  const pipPackages = ['django==5.0.6', 'psycopg[binary]==3.1.19', 'celery==5.4.0', 'redis==5.0.4', 'gunicorn==22.0.0', 'pillow==10.3.0'];
  // Stage templates; each repeats its body a few times (several services built in one stage).
  const blocks = [
    (k) => [
      `# ---- python service ${k} ----`,
      `FROM python:\${PYTHON_VERSION}-slim AS service${k}`,
      'ENV PYTHONDONTWRITEBYTECODE=1 \\',
      '    PYTHONUNBUFFERED=1',
      ...[0, 1, 2].flatMap((r) => [
        `# system packages, round ${r}`,
        'RUN apt-get update && \\',
        '    apt-get install -y \\',
        ...aptPackages.slice(0, 4 + ((k + r) % 6)).map((p) => `      ${p} \\`),
        '      # needed by the healthcheck',
        '      procps',
        `WORKDIR /srv/service${k}/part${r}`,
        `COPY part${r}/requirements.txt .`,
        'RUN pip install --upgrade pip',
        `RUN pip install ${pipPackages.slice(0, 2 + ((k + r) % 4)).join(' ')} && pip install -r requirements.txt`,
        `COPY part${r}/ .`,
        `RUN python manage.py collectstatic --noinput || echo "no static files for part${r}"`,
      ]),
      '',
    ],
    (k) => [
      `# ---- front end ${k} ----`,
      `FROM node:\${NODE_VERSION}-alpine AS web${k}`,
      'RUN apk add git python3 make g++',
      ...[0, 1, 2].flatMap((r) => [
        `WORKDIR /build/web${k}/app${r}`,
        `COPY app${r}/package.json app${r}/package-lock.json ./`,
        'RUN npm ci',
        `COPY app${r}/ .`,
        'RUN npm run build && \\',
        '    npm prune --production',
        `RUN sh -c "echo built app${r} > VERSION && ls -la dist | head -n 20"`,
      ]),
      '',
    ],
    (k) => [
      `# ---- worker ${k} ----`,
      `FROM ubuntu:22.04 AS worker${k}`,
      'ARG DEBIAN_FRONTEND=noninteractive',
      'RUN apt-get update',
      'RUN apt-get install -y python3 python3-pip curl',
      ...[0, 1].flatMap((r) => [
        `RUN curl -fsSL https://example.com/install-${r}.sh -o /tmp/install.sh \\`,
        '    && sh /tmp/install.sh \\',
        '    && rm /tmp/install.sh',
        'RUN <<EOF',
        'set -e',
        `useradd --create-home worker${k}-${r}`,
        'pip3 install celery==5.4.0',
        'EOF',
      ]),
      `COPY --from=service${k - 2} /srv/service${k - 2} /app`,
      `CMD ["celery", "-A", "service${k - 2}", "worker", "--loglevel=info"]`,
      '',
    ],
  ];
  const tail = ['FROM python:3.12-slim', 'CMD ["python3", "-m", "http.server"]'];
  // Whole blocks only (a cut could leave a heredoc or a continuation open), then comments to fill.
  for (let k = 0; ; k++) {
    const block = blocks[k % blocks.length](k);
    if (out.length + block.length + tail.length > LINES) break;
    out.push(...block);
  }
  while (out.length + tail.length < LINES) out.push(`# filler ${out.length}`);
  out.push(...tail);
  return out.join('\n') + '\n';
}

/** Bundles lint, analyze and dockerfile-ast's parser into one temp CommonJS file and loads it. */
async function loadBundle() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slimfile-bench-'));
  const outfile = path.join(dir, 'bench.js');
  await esbuild.build({
    stdin: {
      contents: [
        "export { lint } from './server/src/engine/lint';",
        "export { analyze } from './server/src/analysis/model';",
        "export { rules } from './server/src/rules';",
        "export { DockerfileParser } from 'dockerfile-ast';",
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    minify: true,
    mainFields: ['module', 'main'],
    logLevel: 'warning',
    outfile,
  });
  try {
    return createRequire(import.meta.url)(outfile);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function time(fn) {
  for (let k = 0; k < WARMUP; k++) fn();
  const samples = [];
  for (let k = 0; k < RUNS; k++) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  const at = (q) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)];
  return { median: at(0.5), p95: at(0.95) };
}

const { lint, analyze, rules, DockerfileParser } = await loadBundle();
const text = generateDockerfile();
const model = analyze(text);
const result = lint(text);
console.log(
  `Dockerfile: ${text.split('\n').length - 1} lines, ${text.length} chars, ${model.stages.length} stages, ` +
    `${model.runs().length} RUNs, ${model.runs().reduce((n, r) => n + r.commands.length, 0)} commands`,
);
console.log(`Rules: ${rules.length} registered, ${result.findings.length} findings, ${result.failures.length} failures`);
console.log(`Node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(2)}; ${WARMUP} warm-up runs, ${RUNS} timed runs\n`);

const parse = time(() => DockerfileParser.parse(text));
const analysis = time(() => analyze(text));
const full = time(() => lint(text));
const row = (name, t) => `${name.padEnd(26)}${t.median.toFixed(2).padStart(9)}${t.p95.toFixed(2).padStart(9)}${(t.median / parse.median).toFixed(2).padStart(8)}x`;
console.log(`${''.padEnd(26)}${'median'.padStart(9)}${'p95'.padStart(9)}${'ratio'.padStart(9)}`);
console.log(row('dockerfile-ast parse', parse));
console.log(row('analyze (model)', analysis));
console.log(row('lint (all rules)', full));
console.log('\nTimes in ms; ratio = median / median of the dockerfile-ast parse.');
