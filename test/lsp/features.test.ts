// The built server's editor features beyond diagnostics, over stdio, on real folders: build context
// scans feeding the rules (and rescans on file events), hovers on FROM and COPY, the size CodeLens,
// the .dockerignore and multi-stage requests, the settings that shape rules, onSave mode, and
// problems in a config file published on that file.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { applyTextEdits, LspClient } from '../helpers/lsp-client';
import { analyze } from '../../server/src/analysis/model';
import type { ConvertResult, DockerignoreResult, SizePart } from '../../server/src/lsp/protocol';

function lines(...ls: string[]): string {
  return ls.join('\n') + '\n';
}

function codes(p: PublishDiagnosticsParams): string[] {
  return p.diagnostics.map((d) => String(d.code));
}

/** A file of `size` bytes that takes no disk space (sparse). */
function sparse(file: string, size: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'w');
  fs.ftruncateSync(fd, size);
  fs.closeSync(fd);
}

const MB = 1000 * 1000;

function hoverText(h: { contents: unknown } | null): string {
  const c = h?.contents as { value?: string } | undefined;
  return c?.value ?? '';
}

describe('lsp features: a workspace with a real build context', () => {
  let client: LspClient;
  let dir: string;
  let dockerfile: string;
  let uri: string;
  const text = lines('FROM python:3.12', 'WORKDIR /app', 'COPY requirements.txt ./', 'COPY . .', 'CMD ["python", "app.py"]');

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slimfile-features-'));
    fs.mkdirSync(path.join(dir, '.git'));
    sparse(path.join(dir, '.git', 'objects', 'pack', 'pack-1.pack'), 96 * MB);
    sparse(path.join(dir, 'node_modules', 'left-pad', 'index.js'), 12 * MB);
    sparse(path.join(dir, 'models', 'weights.safetensors'), 200 * MB);
    fs.writeFileSync(path.join(dir, '.env'), 'API_KEY=secret\n');
    fs.writeFileSync(path.join(dir, 'requirements.txt'), 'flask\n');
    fs.writeFileSync(path.join(dir, 'app.py'), 'print(1)\n');
    dockerfile = path.join(dir, 'Dockerfile');
    fs.writeFileSync(dockerfile, text);
    uri = pathToFileURL(dockerfile).href;
    client = await LspClient.start({ workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'w' }] });
    await client.open(uri, text);
  });

  after(async () => {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports COPY . with the measured context once the scan lands, biggest folders named', async () => {
    const p = await client.waitForDiagnostics(uri, (d) => codes(d).includes('copy-all-without-dockerignore'));
    const d = p.diagnostics.find((x) => x.code === 'copy-all-without-dockerignore')!;
    assert.deepEqual(d.range, { start: { line: 3, character: 5 }, end: { line: 3, character: 6 } });
    assert.match(d.message, /models 200 MB/);
    assert.match(d.message, /\.git 96 MB/);
    assert.match(d.message, /node_modules 12 MB/);
    assert.ok(codes(p).includes('data-file-copied'), 'the 200 MB model is data');
  });

  it('hovers a FROM with the image size and its smaller variants', async () => {
    const h = hoverText(await client.hover(uri, { line: 0, character: 7 }));
    assert.match(h, /`python:3\.12`: about \d+ MB compressed/);
    assert.match(h, /python:3\.12-slim/);
  });

  it('hovers a COPY with what it brings in after .dockerignore', async () => {
    const one = hoverText(await client.hover(uri, { line: 2, character: 2 }));
    assert.match(one, /`COPY requirements\.txt` brings in \*\*6 bytes\*\* in 1 file/);
    const all = hoverText(await client.hover(uri, { line: 3, character: 6 }));
    assert.match(all, /brings in \*\*308 MB\*\* in 7 files/);
    assert.match(all, /Biggest:\n- `models`: 200 MB\n- `\.git`: 96 MB\n- `node_modules`: 12 MB/);
    assert.match(all, /No `\.dockerignore` applies/);
    assert.equal(await client.hover(uri, { line: 1, character: 2 }), null, 'nothing to say on WORKDIR');
  });

  it('puts the size estimate as a CodeLens above the final FROM, with the breakdown as arguments', async () => {
    const lenses = (await client.codeLenses(uri)) ?? [];
    assert.equal(lenses.length, 1);
    const [lens] = lenses;
    assert.equal(lens.range.start.line, 0);
    assert.equal(lens.command?.command, 'slimfile.showSizeBreakdown');
    assert.match(lens.command!.title, /^≈ /);
    assert.match(lens.command!.title, /COPY \. 308 MB/);
    const breakdown = lens.command!.arguments![1] as SizePart[];
    assert.ok(breakdown.length >= 2);
    assert.match(breakdown[0].size, /^\d+ MB$/);
    assert.deepEqual({ ...breakdown[0], size: undefined }, { size: undefined, label: 'base python:3.12', line: 0 }, 'biggest part first: the base image');
    assert.deepEqual(breakdown[1], { size: '308 MB', label: 'COPY .', line: 3 });
    for (const part of breakdown.slice(2)) assert.ok(part.size !== 'unknown' || part.note, `an unknown part says why: ${JSON.stringify(part)}`);
  });

  it('plans a .dockerignore that leaves out dependencies, history, secrets and the model but keeps what is copied', async () => {
    const plan = await client.request<DockerignoreResult>('slimfile/dockerignore', { uri });
    assert.equal(plan.error, undefined);
    assert.equal(plan.exists, false);
    assert.equal(plan.file, path.join(dir, '.dockerignore'));
    for (const p of ['.git', '**/node_modules', '.env', 'models/weights.safetensors']) assert.ok(plan.added!.includes(p), `${p} in ${plan.added!.join(' ')}`);
    assert.ok(!plan.added!.some((p) => p === 'requirements.txt' || p === 'app.py'));
    assert.match(plan.appended!, /^# .*\n/, 'a commented, complete file');
    assert.equal(fs.existsSync(plan.file!), false, 'the request writes nothing');
  });

  it('after the ignore file is written and the watcher reports it, the context is measured again', async () => {
    const plan = await client.request<DockerignoreResult>('slimfile/dockerignore', { uri });
    fs.writeFileSync(plan.file!, plan.appended!);
    const start = client.published.length;
    await client.changeWatchedFiles([pathToFileURL(plan.file!).href], 1);
    const p = await client.waitForDiagnostics(uri, (d) => !codes(d).includes('copy-all-without-dockerignore'), start);
    assert.ok(!codes(p).includes('data-file-copied'), 'the model is no longer sent');
    const all = hoverText(await client.hover(uri, { line: 3, character: 6 }));
    assert.match(all, /After `\.dockerignore`/);
    assert.doesNotMatch(all, /safetensors/);
  });

  it('never loses a line of an existing .dockerignore: only a marked block is proposed', async () => {
    const file = path.join(dir, '.dockerignore');
    const user = '# mine\n!keep.env\nlogs/\n';
    fs.writeFileSync(file, user);
    const plan = await client.request<DockerignoreResult>('slimfile/dockerignore', { uri });
    assert.equal(plan.exists, true);
    assert.equal(plan.existing, user);
    assert.match(plan.appended!, /^\n# --- Added by Slimfile \(Generate \.dockerignore\) on \d{4}-\d{2}-\d{2} ---\n/);
    assert.ok(plan.appended!.endsWith('# --- End of Slimfile block ---\n'));
    assert.equal(fs.readFileSync(file, 'utf8'), user, 'the request writes nothing');
  });

  it('plans for a folder when no Dockerfile is given, and says why it cannot for a missing one', async () => {
    const plan = await client.request<DockerignoreResult>('slimfile/dockerignore', { folder: dir });
    assert.equal(plan.error, undefined);
    assert.ok(plan.added!.length > 0);
    const missing = await client.request<DockerignoreResult>('slimfile/dockerignore', { folder: path.join(dir, 'nope') });
    assert.match(missing.error!, /nope: no such folder/);
  });
});

describe('lsp features: multi-stage conversion, settings and config file problems', () => {
  let client: LspClient;
  let dir: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slimfile-settings-'));
    fs.mkdirSync(path.join(dir, '.git'));
    client = await LspClient.start({ workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'w' }] });
  });

  after(async () => {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('converts a Go build to a multi-stage Dockerfile whose final stage has no toolchain', async () => {
    const uri = `untitled:go-${Date.now()}/Dockerfile`;
    const text = lines('FROM golang:1.22', 'WORKDIR /src', 'COPY . .', 'RUN go build -o /out/app ./cmd/app', 'CMD ["/out/app"]');
    await client.open(uri, text, 3);
    await client.diagnosticsFor(uri, 3);
    const stale = await client.request<ConvertResult>('slimfile/convertToMultiStage', { uri, version: 2 });
    assert.match(stale.reason!, /changed/);
    const result = await client.request<ConvertResult>('slimfile/convertToMultiStage', { uri, version: 3 });
    assert.ok(result.edits && result.edits.length > 0, result.reason);
    const after = applyTextEdits(text, result.edits);
    const model = analyze(after);
    assert.equal(model.stages.length, 2);
    assert.equal(model.stages[0].name, 'build');
    const final = model.stages[1];
    assert.doesNotMatch(final.image?.raw ?? '', /golang/);
    assert.ok(model.copies().some((c) => c.from === 'build'));
    await client.close(uri);
  });

  it('says why a file cannot be converted', async () => {
    const uri = `untitled:empty-${Date.now()}/Dockerfile`;
    await client.open(uri, '# nothing here\n');
    const result = await client.request<ConvertResult>('slimfile/convertToMultiStage', { uri, version: 1 });
    assert.equal(result.edits, undefined);
    assert.match(result.reason!, /no conversion/);
    await client.close(uri);
  });

  it('turns a rule off through slimfile.rules and back on without a restart', async () => {
    const uri = pathToFileURL(path.join(dir, 'Dockerfile')).href;
    await client.open(uri, lines('FROM alpine:3.20', 'RUN apk add curl'));
    assert.ok(codes(await client.diagnosticsFor(uri, 1)).includes('apk-no-cache'));
    client.settings = { enable: true, rules: { 'apk-no-cache': 'off' } };
    let start = client.published.length;
    await client.changeConfiguration();
    await client.waitForDiagnostics(uri, (p) => !codes(p).includes('apk-no-cache'), start);
    client.settings = { enable: true, rules: { 'apk-no-cache': 'error' } };
    start = client.published.length;
    await client.changeConfiguration();
    const p = await client.waitForDiagnostics(uri, (x) => codes(x).includes('apk-no-cache'), start);
    assert.equal(p.diagnostics.find((d) => d.code === 'apk-no-cache')!.severity, 1);
    await client.close(uri);
  });

  it('lets a .slimfile.json win over slimfile.rules, and publishes its problems on the file itself', async () => {
    const config = path.join(dir, '.slimfile.json');
    fs.writeFileSync(config, '{\n  "rules": {\n    "apk-no-cache": "info",\n    "apk-no-cach": "off"\n  }\n}\n');
    client.settings = { enable: true, rules: { 'apk-no-cache': 'off' } };
    const start = client.published.length;
    await client.changeConfiguration();
    const uri = pathToFileURL(path.join(dir, 'Dockerfile')).href;
    await client.open(uri, lines('FROM alpine:3.20', 'RUN apk add curl'), 5);
    const p = await client.waitForDiagnostics(uri, (x) => x.version === 5, start);
    assert.equal(p.diagnostics.find((d) => d.code === 'apk-no-cache')?.severity, 3, 'the file says info');
    const onConfig = await client.waitForDiagnostics(pathToFileURL(config).href, (x) => x.diagnostics.length > 0, start);
    assert.equal(onConfig.diagnostics.length, 1);
    assert.match(onConfig.diagnostics[0].message, /unknown rule id "apk-no-cach" \(did you mean "apk-no-cache"\?\)/);
    assert.equal(onConfig.diagnostics[0].range.start.line, 3);
    // Fixed: the problem is cleared from the config file.
    fs.writeFileSync(config, '{ "rules": { "apk-no-cache": "info" } }\n');
    const mark = client.published.length;
    await client.changeWatchedFiles([pathToFileURL(config).href]);
    await client.waitForDiagnostics(pathToFileURL(config).href, (x) => x.diagnostics.length === 0, mark);
    fs.rmSync(config);
    await client.close(uri);
  });

  it('takes the size thresholds from the settings', async () => {
    client.settings = { enable: true, sizeBudget: { warnMB: 10, errorMB: 20 } };
    await client.changeConfiguration();
    const uri = `untitled:budget-${Date.now()}/Dockerfile`;
    await client.open(uri, lines('FROM python:3.12', 'CMD ["python"]'));
    const p = await client.diagnosticsFor(uri, 1);
    const budget = p.diagnostics.find((d) => d.code === 'image-size-budget');
    assert.ok(budget, 'python:3.12 passes a 20 MB budget');
    assert.equal(budget.severity, 1);
    await client.close(uri);
  });

  it('says so, once, when slimfile.buildContext names a folder that does not exist', async () => {
    client.settings = { enable: true, buildContext: 'no-such-folder' };
    await client.changeConfiguration();
    const uri = pathToFileURL(path.join(dir, 'Dockerfile')).href;
    await client.open(uri, lines('FROM alpine:3.20', 'COPY . /app'), 7);
    await client.diagnosticsFor(uri, 7);
    const hover = await client.hover(uri, { line: 1, character: 1 });
    const text = (hover?.contents as { value: string }).value;
    assert.match(text, /the build context is not measured \(the build context .*no-such-folder cannot be read \(no such folder\)\)/);
    const shown = client.shown.filter((m) => /slimfile\.buildContext names .*no-such-folder/.test(m.message));
    assert.equal(shown.length, 1);
    assert.equal(shown[0].type, 2, 'a warning');
    client.settings = { enable: true };
    await client.changeConfiguration();
    await client.close(uri);
  });

  it('in onSave mode analyses on open and save, not while typing', async () => {
    client.settings = { enable: true, run: 'onSave' };
    await client.changeConfiguration();
    const uri = `untitled:onsave-${Date.now()}/Dockerfile`;
    await client.open(uri, lines('FROM alpine:3.20'));
    await client.diagnosticsFor(uri, 1);
    await client.replace(uri, 2, lines('FROM alpine:3.20', 'RUN apk add curl'));
    await client.replace(uri, 3, lines('FROM alpine:3.20', 'RUN apk add git'));
    await client.save(uri);
    const p = await client.waitForDiagnostics(uri, (x) => x.version === 3);
    assert.ok(codes(p).includes('apk-no-cache'));
    assert.ok(!client.published.some((x) => x.uri === uri && x.version === 2), 'the typed version was not analysed');
    client.settings = { enable: true };
    await client.changeConfiguration();
    await client.close(uri);
  });
});
