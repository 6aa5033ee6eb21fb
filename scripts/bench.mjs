// `npm run bench`: measures Slimfile against its peers in one run and writes docs/benchmarks.md.
// Timings are medians over repeated runs on a shared machine; ratios between tools measured in the
// same run are the numbers to read. Nothing here asserts: a missed target is printed as missed.
import * as esbuild from 'esbuild';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const REPEAT = quick ? 3 : 9;

// Bundle the engine exactly as the server ships it (minified), so we measure what users run.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slimfile-bench-'));
const entry = path.join(tmp, 'entry.ts');
fs.writeFileSync(
  entry,
  `export { lint } from ${JSON.stringify(path.join(root, 'server/src/engine/lint'))};\nexport { scanContext } from ${JSON.stringify(path.join(root, 'server/src/context/scan'))};\nexport { DockerfileParser } from 'dockerfile-ast';\n`,
);
await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', minify: true, outfile: path.join(tmp, 'engine.js'), mainFields: ['module', 'main'], nodePaths: [path.join(root, 'node_modules')], logLevel: 'error' });
const { lint, scanContext, DockerfileParser } = require(path.join(tmp, 'engine.js'));
const { validate } = require('dockerfile-utils');
const dockerfilelint = require('dockerfilelint');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length - 1) * p))];
const now = () => Number(process.hrtime.bigint()) / 1e6;
const fmt = (n, d = 1) => n.toFixed(d);

function timeIt(fn, repeat = REPEAT) {
  fn();
  const times = [];
  for (let k = 0; k < repeat; k++) {
    const t = now();
    fn();
    times.push(now() - t);
  }
  return times;
}

const lines = [];
const out = (s = '') => {
  lines.push(s);
  console.log(s);
};

out('# Benchmarks');
out();
out(`Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), load average ${os.loadavg()[0].toFixed(1)} at the start; a shared machine, so read the ratios (tools measured side by side in the same run) rather than absolute times. Medians over ${REPEAT} runs unless said.`);
out();

// 1. Throughput on the real corpus.
const corpus = path.resolve(root, '..', 'shared', 'corpus', 'real');
const results = {};
if (fs.existsSync(corpus)) {
  const files = fs.readdirSync(corpus).filter((f) => f.endsWith('.Dockerfile')).map((f) => fs.readFileSync(path.join(corpus, f), 'utf8'));
  const bytes = files.reduce((s, t) => s + t.length, 0);
  const tools = {
    'dockerfile-ast parse (the floor)': () => files.forEach((t) => DockerfileParser.parse(t)),
    'Slimfile full analysis (all rules)': () => files.forEach((t) => lint(t)),
    'dockerfile-utils validate': () => files.forEach((t) => validate(t)),
    dockerfilelint: () => files.forEach((t) => {
      try {
        dockerfilelint.run(tmp, t);
      } catch {
        // Counted below: dockerfilelint throws on some real files.
      }
    }),
  };
  const crashes = { 'Slimfile full analysis (all rules)': 0, 'dockerfile-utils validate': 0, dockerfilelint: 0 };
  for (const t of files) {
    try { lint(t); } catch { crashes['Slimfile full analysis (all rules)']++; }
    try { validate(t); } catch { crashes['dockerfile-utils validate']++; }
    try { dockerfilelint.run(tmp, t); } catch { crashes.dockerfilelint++; }
  }
  out(`## Throughput on the shared corpus`);
  out();
  out(`${files.length} real Dockerfiles, ${fmt(bytes / 1024, 0)} KB. Each tool in process, the whole corpus per run.`);
  out();
  out('| tool | median ms | files/s | vs Slimfile |');
  out('| --- | ---: | ---: | ---: |');
  for (const [name, fn] of Object.entries(tools)) results[name] = median(timeIt(fn));
  const ours = results['Slimfile full analysis (all rules)'];
  for (const [name, ms] of Object.entries(results)) out(`| ${name} | ${fmt(ms)} | ${fmt((files.length / ms) * 1000, 0)} | ${fmt(ms / ours, 2)}x |`);
  out();
  const floor = ours / results['dockerfile-ast parse (the floor)'];
  const vsUtils = results['dockerfile-utils validate'] / ours;
  out(`Files a tool threw on (not analysed): ${Object.entries(crashes).map(([k, v]) => `${k} ${v}`).join(', ')}.`);
  out();
  out(`Headline: Slimfile analyses the corpus **${fmt(vsUtils, 2)}x** as fast as dockerfile-utils' validate and **${fmt(results.dockerfilelint / ours, 2)}x** as fast as dockerfilelint; its full analysis costs **${fmt(floor, 2)}x** a bare dockerfile-ast parse (target: at most 1.3x, ${floor <= 1.3 ? 'met' : 'MISSED'}; throughput at least 1.3x dockerfile-utils', ${vsUtils >= 1.3 ? 'met' : 'MISSED'}).`);
  out();
} else {
  out('The shared corpus (../shared/corpus/real) is not here: throughput skipped.');
  out();
}

// 2. Scaling on generated files.
function generate(nLines) {
  const parts = ['# syntax=docker/dockerfile:1', 'ARG PY=3.12'];
  let stage = 0;
  while (parts.length < nLines) {
    parts.push(`FROM python:\${PY}-slim AS s${stage++}`, 'WORKDIR /app');
    parts.push('RUN apt-get update && apt-get install -y \\', '    curl \\', '    git \\', '    && echo done');
    parts.push('RUN pip install flask requests', 'COPY app/ /app/', 'RUN <<EOF', 'set -e', 'apk add curl', 'npm ci', 'EOF');
    parts.push(`RUN sh -c "yum install -y x && echo ${stage}"`, '# a comment', 'ENV A=1');
  }
  return parts.slice(0, nLines).join('\n') + '\n';
}
out('## Scaling');
out();
out('Generated Dockerfiles (many stages, continuations, heredocs, nested `sh -c`), full analysis with all rules.');
out();
out('| lines | stages | median ms | p95 ms | ms per 1k lines |');
out('| ---: | ---: | ---: | ---: | ---: |');
const sizes = quick ? [100, 1000, 10000] : [100, 1000, 10000, 50000];
const points = [];
for (const n of sizes) {
  const text = generate(n);
  const times = timeIt(() => lint(text), n >= 10000 ? Math.max(3, Math.floor(REPEAT / 2)) : REPEAT * 2);
  const stages = (text.match(/^FROM /gm) ?? []).length;
  points.push([n, median(times)]);
  out(`| ${n} | ${stages} | ${fmt(median(times))} | ${fmt(pct(times, 0.95))} | ${fmt((median(times) / n) * 1000)} |`);
}
const slope = fitSlope(points);
out();
out(`Fitted exponent (log time against log lines): **${fmt(slope, 2)}** (1.0 is linear; target: linear, ${slope <= 1.15 ? 'met' : 'MISSED'}).`);
out();

// Many stages, each built FROM the one before (the chain of the image, which the rules that follow
// files across layers walk), each with a COPY, a RUN that installs and one that deletes what it copied.
function generateStages(nStages) {
  const parts = ['FROM debian:12 AS s0'];
  for (let k = 1; k < nStages; k++) {
    parts.push(`FROM s${k - 1} AS s${k}`);
    parts.push(`COPY pkg${k}.tar.gz /tmp/`, `RUN apt-get update && apt-get install -y curl && tar xzf /tmp/pkg${k}.tar.gz -C /opt`, `RUN rm -rf /tmp/pkg${k}.tar.gz && chown -R app /opt`);
  }
  return parts.join('\n') + '\n';
}
out('Many stages, each built `FROM` the stage before (so the image is built from all of them), each with a COPY, an install and a delete:');
out();
out('| stages | lines | median ms | ms per 1k stages |');
out('| ---: | ---: | ---: | ---: |');
const stageCounts = quick ? [1000, 4000] : [1000, 4000, 16000];
const stagePoints = [];
for (const n of stageCounts) {
  const text = generateStages(n);
  const times = timeIt(() => lint(text), n >= 16000 ? 3 : 5);
  stagePoints.push([n, median(times)]);
  out(`| ${n} | ${text.split('\n').length - 1} | ${fmt(median(times))} | ${fmt((median(times) / n) * 1000)} |`);
}
const stageSlope = fitSlope(stagePoints);
out();
out(`Fitted exponent against stages: **${fmt(stageSlope, 2)}** (target: linear, ${stageSlope <= 1.15 ? 'met' : 'MISSED'}).`);
out();

// Memory in a fresh process on the largest file: the peak resident size (what the machine had to
// give, Node itself included) analysing it once, and five times in a row as an editor re-analysing
// it does; and the heap the result keeps alive (model and findings) after a full garbage collection.
const big = path.join(tmp, 'big.Dockerfile');
fs.writeFileSync(big, generate(sizes[sizes.length - 1]));
const memoryOf = (times) => new Promise((resolve) => {
  const script = `const {lint}=require(${JSON.stringify(path.join(tmp, 'engine.js'))});const t=require('fs').readFileSync(${JSON.stringify(big)},'utf8');global.gc();const base=process.memoryUsage();let r;for(let k=0;k<${times};k++)r=lint(t);global.gc();console.log(JSON.stringify({base:base.rss,baseHeap:base.heapUsed,peak:process.resourceUsage().maxRSS*1024,kept:process.memoryUsage().heapUsed-base.heapUsed,findings:r.findings.length}));`;
  const child = spawn(process.execPath, ['--expose-gc', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let s = '';
  child.stdout.on('data', (d) => (s += d));
  child.on('close', () => resolve(JSON.parse(s)));
});
const once = await memoryOf(1);
const five = await memoryOf(5);
const mb = (b) => fmt(b / 1048576, 0);
out(`Memory on the ${sizes[sizes.length - 1]}-line file (${once.findings.toLocaleString('en')} findings), a fresh process each: peak resident **${mb(once.peak)} MB** analysing it once (${mb(once.base)} MB of it is Node before the analysis; target under 150 MB, ${once.peak / 1048576 < 150 ? 'met' : 'MISSED'}), ${mb(five.peak)} MB analysing it five times in a row; the result (model and findings) keeps ${mb(once.kept)} MB of heap alive.`);
out();

// 3. Editor latency over a real LSP connection.
const server = path.join(root, 'dist', 'server.js');
if (fs.existsSync(server)) {
  const lat = await lspLatency(server, generate(1000));
  out('## Editor latency');
  out();
  out(`Over stdio to \`node dist/server.js --stdio\`, a 1,000-line Dockerfile, one character typed per change and the next change sent when the diagnostics of the previous version arrive (${lat.samples} changes). The server waits ${lat.debounce} ms after the last change before analysing (its debounce); the figures below have it subtracted.`);
  out();
  out('| measure | p50 ms | p95 ms | p99 ms |');
  out('| --- | ---: | ---: | ---: |');
  out(`| didChange → publishDiagnostics (minus debounce), all ${lat.samples} changes | ${fmt(lat.p50)} | ${fmt(lat.p95)} | ${fmt(lat.p99)} |`);
  out(`| the same, changes 11 to ${lat.samples} (V8 has compiled the engine's hot paths) | ${fmt(lat.w50)} | ${fmt(lat.w95)} | ${fmt(lat.w99)} |`);
  out(`| codeAction request → response | ${fmt(lat.ca50)} | ${fmt(lat.ca95)} | ${fmt(lat.ca99)} |`);
  out();
  out(`Target: p95 under 20 ms beyond the debounce: ${lat.p95 < 20 ? 'met' : 'MISSED'} over all changes, ${lat.w95 < 20 ? 'met' : 'MISSED'} once warm. The file has ${lat.diagnostics} findings, so each publish carries about ${fmt(lat.bytes / 1024, 0)} KB of JSON. After \`initialized\` the server analyses a built-in sample in idle turns of its event loop (\`WARM_UP_ROUNDS\` in server/src/lsp/server.ts), so that the first keystrokes find the engine compiled; the first changes here still overlap that warm-up.`);
  out();
  out('## Start-up');
  out();
  out(`- Server: spawn to the initialize response: ${fmt(lat.init)} ms (median of 5).`);
  const clientLoad = clientLoadTime();
  if (clientLoad !== undefined) out(`- Client bundle (dist/extension.js) load time with a stub \`vscode\` module: ${fmt(clientLoad)} ms (median of 5, fresh process each).`);
  out();
} else {
  out('dist/server.js is not built: editor latency skipped (run `npm run build`).');
  out();
}

// 4. Build context scans: what the server does in the background for each context.
{
  out('## Build context scan');
  out();
  out('`scanContext` as the server runs it (synchronous calls in 20 ms slices, yielding between them), the default limits (200,000 entries, 3 s). Median of 5 runs after one warm-up (file system caches warm).');
  out();
  out('| context | files | median ms | cut short |');
  out('| --- | ---: | ---: | --- |');
  const tree = path.join(tmp, 'tree');
  // 100,000 empty files in 1,000 folders of 100: the shape of a big node_modules.
  for (let d = 0; d < 1000; d++) {
    const dir = path.join(tree, `pkg-${d % 10}`, `mod-${d}`);
    fs.mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 100; f++) fs.closeSync(fs.openSync(path.join(dir, `f${f}.js`), 'w'));
  }
  for (const [label, dir] of [['../shared/corpus (243 Dockerfiles)', path.resolve(root, '..', 'shared', 'corpus')], ['generated tree, 100,000 files', tree]]) {
    if (!fs.existsSync(dir)) continue;
    let last;
    await scanContext(dir);
    const times = [];
    for (let k = 0; k < 5; k++) {
      const t = now();
      last = await scanContext(dir);
      times.push(now() - t);
    }
    out(`| ${label} | ${last.files.toLocaleString('en')} | ${fmt(median(times))} | ${last.truncated ? 'yes' : 'no'} |`);
  }
  out();
}

// 5. Artifact sizes.
out('## Artifact');
out();
out('| file | bytes |');
out('| --- | ---: |');
for (const f of ['slimfile.vsix', 'dist/extension.js', 'dist/server.js', 'dist/cli.js']) {
  const p = path.join(root, f);
  out(`| ${f} | ${fs.existsSync(p) ? fs.statSync(p).size.toLocaleString('en') : 'not built'} |`);
}
out();
out('The bundles are as last built: `npm run package` builds them minified first.');
fs.writeFileSync(path.join(root, 'docs', 'benchmarks.md'), lines.join('\n') + '\n');
fs.rmSync(tmp, { recursive: true, force: true });

/** The slope of log time against log size: 1.0 is linear. */
function fitSlope(points) {
  const xs = points.map(([n]) => Math.log(n));
  const ys = points.map(([, t]) => Math.log(t));
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  return xs.reduce((s, x, k) => s + (x - mx) * (ys[k] - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
}

function clientLoadTime() {
  const ext = path.join(root, 'dist', 'extension.js');
  if (!fs.existsSync(ext)) return undefined;
  const stub = path.join(tmp, 'stub.js');
  // A stand-in for the `vscode` module: any property, call or construction gives the stand-in again.
  // The bundle copies the module's own properties (none) and reads the rest through its prototype.
  fs.writeFileSync(stub, `const M=require('module');const o=M._resolveFilename;M._resolveFilename=function(r,...a){return r==='vscode'?${JSON.stringify(stub)}:o.call(this,r,...a)};const any=new Proxy(function(){},{get:(t,k)=>k==='then'||typeof k==='symbol'?undefined:any,apply:()=>any,construct:()=>any});module.exports=Object.create(any);`);
  const times = [];
  for (let k = 0; k < 5; k++) {
    const r = require('node:child_process').spawnSync(process.execPath, ['-r', stub, '-e', `const t=process.hrtime.bigint();require(${JSON.stringify(ext)});console.log(Number(process.hrtime.bigint()-t)/1e6)`], { encoding: 'utf8' });
    const v = Number(r.stdout.trim());
    if (r.status !== 0 || r.stdout.trim() === '' || Number.isNaN(v)) throw new Error(`loading dist/extension.js failed: ${r.stderr.slice(0, 500)}`);
    times.push(v);
  }
  return times.length ? median(times) : undefined;
}

async function lspLatency(serverPath, text) {
  const child = spawn(process.execPath, [serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  let buf = Buffer.alloc(0);
  const waiters = [];
  const pending = new Map();
  let id = 0;
  child.stdout.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    for (;;) {
      const h = buf.indexOf('\r\n\r\n');
      if (h < 0) return;
      const len = Number(/Content-Length: (\d+)/i.exec(buf.slice(0, h).toString())[1]);
      if (buf.length < h + 4 + len) return;
      const msg = JSON.parse(buf.slice(h + 4, h + 4 + len).toString());
      buf = buf.slice(h + 4 + len);
      if (msg.id !== undefined && pending.has(msg.id)) {
        pending.get(msg.id)(msg);
        pending.delete(msg.id);
      } else if (msg.id !== undefined && msg.method) send({ jsonrpc: '2.0', id: msg.id, result: msg.method === 'workspace/configuration' ? msg.params.items.map(() => null) : null });
      else for (const w of [...waiters]) w(msg);
    }
  });
  const send = (m) => {
    const s = JSON.stringify(m);
    child.stdin.write(`Content-Length: ${Buffer.byteLength(s)}\r\n\r\n${s}`);
  };
  const request = (method, params) => new Promise((res) => {
    const k = ++id;
    pending.set(k, res);
    send({ jsonrpc: '2.0', id: k, method, params });
  });
  const waitFor = (pred) => new Promise((res) => {
    const w = (m) => {
      if (pred(m)) {
        waiters.splice(waiters.indexOf(w), 1);
        res(m);
      }
    };
    waiters.push(w);
  });
  let t = now();
  await request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  const init = now() - t;
  send({ jsonrpc: '2.0', method: 'initialized', params: {} });
  const uri = 'file:///bench/Dockerfile';
  let version = 1;
  let first = waitFor((m) => m.method === 'textDocument/publishDiagnostics' && m.params.version === 1);
  send({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'dockerfile', version, text } } });
  const opened = await first;
  const DEBOUNCE = 150;
  const delays = [];
  const caTimes = [];
  const n = quick ? 15 : 40;
  const lineCount = text.split('\n').length;
  for (let k = 0; k < n; k++) {
    version++;
    const v = version;
    const done = waitFor((m) => m.method === 'textDocument/publishDiagnostics' && m.params.version === v);
    t = now();
    send({ jsonrpc: '2.0', method: 'textDocument/didChange', params: { textDocument: { uri, version: v }, contentChanges: [{ range: { start: { line: (k * 7) % lineCount, character: 0 }, end: { line: (k * 7) % lineCount, character: 0 } }, text: ' ' }] } });
    await done;
    delays.push(now() - t - DEBOUNCE);
    t = now();
    await request('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 4, character: 0 }, end: { line: 4, character: 10 } }, context: { diagnostics: [] } });
    caTimes.push(now() - t);
  }
  const inits = [init];
  child.kill();
  for (let k = 0; k < 4; k++) {
    const c = spawn(process.execPath, [serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
    const s = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: process.pid, rootUri: null, capabilities: {} } });
    const t0 = now();
    await new Promise((res) => {
      c.stdout.once('data', res);
      c.stdin.write(`Content-Length: ${Buffer.byteLength(s)}\r\n\r\n${s}`);
    });
    inits.push(now() - t0);
    c.kill();
  }
  const warm = delays.slice(10);
  return { samples: n, debounce: DEBOUNCE, p50: pct(delays, 0.5), p95: pct(delays, 0.95), p99: pct(delays, 0.99), diagnostics: opened.params.diagnostics.length, bytes: JSON.stringify(opened).length, w50: pct(warm, 0.5), w95: pct(warm, 0.95), w99: pct(warm, 0.99), ca50: pct(caTimes, 0.5), ca95: pct(caTimes, 0.95), ca99: pct(caTimes, 0.99), init: median(inits) };
}
