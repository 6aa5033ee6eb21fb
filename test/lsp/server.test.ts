// The built language server (dist/server.js) over stdio, through a real JSON-RPC client: sync,
// diagnostics per version, quick fixes, fix-all, settings, config files, odd documents and close.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Command, Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { applyTextEdits, editsFor, FULL_CAPABILITIES, LspClient } from '../helpers/lsp-client';

const APK = 'apk-no-cache';

function lines(...ls: string[]): string {
  return ls.join('\n') + '\n';
}

function ofRule(p: PublishDiagnosticsParams, code = APK): Diagnostic[] {
  return p.diagnostics.filter((d) => d.code === code);
}

function isAction(a: CodeAction | Command): a is CodeAction {
  return typeof (a as Command).command !== 'string';
}

async function actions(client: LspClient, uri: string, d: Diagnostic, only?: string[]): Promise<CodeAction[]> {
  const result = (await client.codeActions(uri, d.range, [d], only)) ?? [];
  return result.filter(isAction);
}

/** The text after applying a code action's edit to the client's copy of the document. */
function applied(client: LspClient, uri: string, action: CodeAction): string {
  return applyTextEdits(client.text(uri), editsFor(action.edit, uri).edits);
}

let uriCount = 0;
function docUri(name = 'Dockerfile'): string {
  return `untitled:slimfile-test-${++uriCount}/${name}`;
}

describe('lsp: the built server over stdio', () => {
  let client: LspClient;

  before(async () => {
    client = await LspClient.start();
  });

  after(async () => {
    await client.stop();
  });

  it('announces incremental sync, save, hovers, lenses and quick fix + source.fixAll.slimfile code actions', () => {
    const caps = client.initializeResult?.capabilities;
    assert.ok(caps);
    assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2, save: { includeText: false } });
    assert.equal(caps.hoverProvider, true);
    assert.deepEqual(caps.codeLensProvider, { resolveProvider: false });
    assert.ok(caps.codeActionProvider && typeof caps.codeActionProvider === 'object');
    assert.deepEqual(caps.codeActionProvider.codeActionKinds, ['quickfix', 'source.fixAll.slimfile']);
  });

  it('registers for settings changes and config file events when the client allows it', async () => {
    // Registration follows `initialized`; a round trip through an analysis makes sure it was sent.
    const uri = docUri();
    await client.open(uri, lines('FROM alpine:3.20'));
    await client.diagnosticsFor(uri, 1);
    assert.ok(client.registrations.includes('workspace/didChangeConfiguration'));
    assert.ok(client.registrations.includes('workspace/didChangeWatchedFiles'));
    await client.close(uri);
  });

  describe('one document through its versions', () => {
    const uri = docUri();
    const text = lines('FROM alpine:3.20', 'RUN apk add curl');
    let diagnostic: Diagnostic;

    it('publishes apk-no-cache for version 1 with range, source, code and docs link', async () => {
      await client.open(uri, text, 1);
      const published = await client.diagnosticsFor(uri, 1);
      const found = ofRule(published);
      assert.equal(found.length, 1);
      diagnostic = found[0];
      assert.deepEqual(diagnostic.range, { start: { line: 1, character: 4 }, end: { line: 1, character: 16 } });
      assert.equal(diagnostic.source, 'slimfile');
      assert.equal(diagnostic.severity, 2);
      assert.match(diagnostic.codeDescription?.href ?? '', /\/docs\/rules\/apk-no-cache\.md$/);
      assert.match(diagnostic.message, /--no-cache/);
      assert.ok(client.settingsAskedFor.includes(uri), 'settings are read for the document');
    });

    it('answers a code action request with the preferred quick fix, versioned', async () => {
      const list = await actions(client, uri, diagnostic);
      const preferred = list.filter((a) => a.isPreferred);
      assert.equal(preferred.length, 1);
      const fix = preferred[0];
      assert.equal(fix.title, 'Add --no-cache');
      assert.equal(fix.kind, 'quickfix');
      assert.deepEqual(fix.diagnostics, [diagnostic]);
      assert.equal(editsFor(fix.edit, uri).version, 1);
      assert.equal(applied(client, uri, fix), lines('FROM alpine:3.20', 'RUN apk add --no-cache curl'));
    });

    it('offers "Ignore apk-no-cache for this instruction" after the rule fixes', async () => {
      const list = await actions(client, uri, diagnostic);
      const ignore = list.find((a) => a.title === 'Ignore apk-no-cache for this instruction');
      assert.ok(ignore, list.map((a) => a.title).join(', '));
      assert.equal(ignore.isPreferred, undefined);
      assert.equal(list.indexOf(ignore), list.length - 1);
      assert.equal(applied(client, uri, ignore), lines('FROM alpine:3.20', '# slimfile-ignore apk-no-cache', 'RUN apk add curl'));
    });

    it('gives no fix-all unless a source.fixAll kind is asked for', async () => {
      const lightBulb = await actions(client, uri, diagnostic);
      assert.ok(lightBulb.every((a) => a.kind === 'quickfix'));
      const quickOnly = await actions(client, uri, diagnostic, ['quickfix']);
      assert.ok(quickOnly.length > 0 && quickOnly.every((a) => a.kind === 'quickfix'));
    });

    it('publishes version 2 without the finding once the fix is typed in', async () => {
      await client.change(uri, 2, [{ range: { start: { line: 1, character: 11 }, end: { line: 1, character: 11 } }, text: ' --no-cache' }]);
      assert.equal(client.text(uri), lines('FROM alpine:3.20', 'RUN apk add --no-cache curl'));
      const published = await client.diagnosticsFor(uri, 2);
      assert.deepEqual(ofRule(published), []);
      const list = await client.codeActions(uri, { start: { line: 1, character: 4 }, end: { line: 1, character: 4 } }, []);
      assert.deepEqual(list, []);
    });

    it('after a burst of edits publishes the last version last, never an older one after a newer', async () => {
      const start = client.published.length;
      for (let v = 3; v <= 20; v++) {
        const body = v % 2 === 0 ? 'RUN apk add git' : 'RUN apk add --no-cache git';
        await client.replace(uri, v, lines('FROM alpine:3.20', `# edit ${v}`, body));
      }
      const last = await client.diagnosticsFor(uri, 20);
      assert.deepEqual(ofRule(last).map((d) => d.range.start), [{ line: 2, character: 4 }]);
      // A barrier: a document opened after the burst is analysed after anything the burst scheduled.
      const other = docUri();
      await client.open(other, lines('FROM alpine:3.20'));
      await client.diagnosticsFor(other, 1);
      const versions = client.published.slice(start).filter((p) => p.uri === uri).map((p) => p.version);
      assert.equal(versions[versions.length - 1], 20);
      for (let i = 1; i < versions.length; i++) assert.ok((versions[i] ?? 0) >= (versions[i - 1] ?? 0), `published versions ${versions.join(', ')}`);
      await client.close(other);
    });

    it('clears the diagnostics on close', async () => {
      const start = client.published.length;
      await client.close(uri);
      const cleared = await client.waitForDiagnostics(uri, () => true, start);
      assert.deepEqual(cleared.diagnostics, []);
      assert.equal(cleared.version, undefined);
    });

    it('analyses a reopened document from scratch', async () => {
      const start = client.published.length;
      await client.open(uri, text, 1);
      const published = await client.waitForDiagnostics(uri, (p) => p.version === 1, start);
      assert.equal(ofRule(published).length, 1);
      await client.close(uri);
    });
  });

  it('source.fixAll.slimfile applies every safe fix as one edit', async () => {
    const uri = docUri();
    // WORKDIR keeps the two RUNs apart so that consecutive-run does not add a third fix.
    const text = lines('FROM alpine:3.20', 'RUN apk add curl', 'WORKDIR /app', 'RUN apk update && apk add git jq', 'CMD ["sh"]');
    await client.open(uri, text, 7);
    const published = await client.diagnosticsFor(uri, 7);
    assert.equal(ofRule(published).length, 2);
    const everything = { start: { line: 0, character: 0 }, end: { line: 5, character: 0 } };
    for (const only of [['source.fixAll.slimfile'], ['source.fixAll'], ['source']]) {
      const list = ((await client.codeActions(uri, everything, [], only)) ?? []).filter(isAction);
      const fixAll = list.filter((a) => a.kind === 'source.fixAll.slimfile');
      assert.equal(fixAll.length, 1, `only ${only.join(',')}`);
      assert.equal(list.length, 1, 'no quick fixes when only source actions are asked for');
      assert.equal(fixAll[0].title, 'Apply 2 safe Slimfile fixes');
      const { edits, version } = editsFor(fixAll[0].edit, uri);
      assert.equal(version, 7);
      assert.equal(edits.length, 1);
      assert.equal(
        applyTextEdits(text, edits),
        lines('FROM alpine:3.20', 'RUN apk add --no-cache curl', 'WORKDIR /app', 'RUN apk update && apk add --no-cache git jq', 'CMD ["sh"]'),
      );
      // The edit spans only what changed: the start of line 2 to the end of the last insertion.
      assert.deepEqual(edits[0].range.start, { line: 1, character: 12 });
    }
    await client.replace(uri, 8, lines('FROM alpine:3.20', 'RUN apk add --no-cache curl'));
    await client.diagnosticsFor(uri, 8);
    const none = await client.codeActions(uri, everything, [], ['source.fixAll']);
    assert.deepEqual(none, [], 'nothing to fix: no fix-all action');
    await client.close(uri);
  });

  it('gives a binary document one diagnostic on line 1 saying why it was not analysed', async () => {
    const uri = docUri();
    await client.open(uri, 'FROM alpine\u0000\u0001\u0002\nRUN apk add curl\n');
    const published = await client.diagnosticsFor(uri, 1);
    assert.equal(published.diagnostics.length, 1);
    const [d] = published.diagnostics;
    assert.match(d.message, /binary/);
    assert.equal(d.source, 'slimfile');
    assert.equal(d.range.start.line, 0);
    assert.equal(d.range.end.line, 0);
    assert.deepEqual(await client.codeActions(uri, d.range, [d]), []);
    await client.close(uri);
  });

  it('gives a 10 MB document one "too large" diagnostic, answers hovers and code actions, and keeps serving', async () => {
    const uri = docUri();
    const line = 'RUN apk add curl && echo ' + 'x'.repeat(70) + '\n';
    const huge = 'FROM alpine:3.20\n' + line.repeat(Math.ceil((10 * 1024 * 1024) / line.length));
    await client.open(uri, huge);
    const published = await client.diagnosticsFor(uri, 1);
    assert.equal(published.diagnostics.length, 1);
    const [d] = published.diagnostics;
    assert.match(d.message, /file too large to analyse \(10\.0 MB; the limit is 5 MB\)/);
    assert.equal(d.range.start.line, 0);
    assert.deepEqual(await client.codeActions(uri, d.range, [d]), []);
    assert.equal(await client.hover(uri, { line: 0, character: 2 }), null, 'no hover on text that was not analysed');
    // Typing a small file next to it is still served.
    const small = docUri();
    await client.open(small, 'FROM alpine:3.20\nRUN apk add curl\n');
    assert.equal(ofRule(await client.diagnosticsFor(small, 1)).length, 1);
    await client.close(small);
    // Cut down under the limit, the same document is analysed again.
    await client.replace(uri, 2, 'FROM alpine:3.20\n' + line.repeat(1000));
    assert.equal(ofRule(await client.diagnosticsFor(uri, 2)).length, 1000);
    assert.ok(client.alive);
    await client.close(uri);
  });

  it('handles CRLF line breaks and characters outside the BMP in ranges and fixes', async () => {
    const uri = docUri();
    const text = 'FROM alpine:3.20\r\n# 🐳 whale\r\nRUN echo "🐳" && apk add curl\r\n';
    await client.open(uri, text);
    const [d] = ofRule(await client.diagnosticsFor(uri, 1));
    assert.ok(d);
    // "🐳" is two UTF-16 code units, as LSP counts characters.
    assert.deepEqual(d.range, { start: { line: 2, character: 17 }, end: { line: 2, character: 29 } });
    const fix = (await actions(client, uri, d)).find((a) => a.isPreferred);
    assert.ok(fix);
    assert.equal(applied(client, uri, fix), 'FROM alpine:3.20\r\n# 🐳 whale\r\nRUN echo "🐳" && apk add --no-cache curl\r\n');
    await client.close(uri);
  });

  it('analyses a 1000-line Dockerfile without trouble', async () => {
    const uri = docUri();
    const body = ['FROM alpine:3.20'];
    for (let i = 1; i < 1000; i++) body.push(i % 3 === 0 ? `RUN apk add pkg${i} \\\n    other${i}` : `ENV V${i}=${i}`);
    await client.open(uri, lines(...body));
    const published = await client.diagnosticsFor(uri, 1);
    assert.equal(ofRule(published).length, 333);
    assert.ok(client.alive);
    await client.close(uri);
  });

  it('survives documents that are not Dockerfiles at all', async () => {
    const uri = docUri();
    const odd = ['\\', 'RUN', 'FROM', 'RUN <<EOF', '\uFEFF\uFEFF', '\r\r\r', 'RUN ["apk", "add"', '# escape=`\nRUN apk add `\n curl', 'x'.repeat(100_000)];
    for (let v = 0; v < odd.length; v++) {
      if (v === 0) await client.open(uri, odd[v], 1);
      else await client.replace(uri, v + 1, odd[v]);
      await client.diagnosticsFor(uri, v + 1);
    }
    assert.ok(client.alive);
    await client.close(uri);
  });

  describe('settings', () => {
    it('publishes nothing while slimfile.enable is false, and re-analyses when it changes', async () => {
      const uri = docUri();
      client.settings = { enable: false };
      await client.changeConfiguration();
      await client.open(uri, lines('FROM alpine:3.20', 'RUN apk add curl'));
      const off = await client.diagnosticsFor(uri, 1);
      assert.deepEqual(off.diagnostics, []);
      const start = client.published.length;
      client.settings = { enable: true };
      await client.changeConfiguration();
      const on = await client.waitForDiagnostics(uri, (p) => p.version === 1 && p.diagnostics.length > 0, start);
      assert.equal(ofRule(on).length, 1);
      await client.close(uri);
    });

    it('takes a malformed setting as the default', async () => {
      const uri = docUri();
      client.settings = { enable: 'no' };
      await client.changeConfiguration();
      await client.open(uri, lines('FROM alpine:3.20', 'RUN apk add curl'));
      assert.equal(ofRule(await client.diagnosticsFor(uri, 1)).length, 1);
      client.settings = { enable: true };
      await client.changeConfiguration();
      await client.close(uri);
    });
  });
});

describe('lsp: config files on disk', () => {
  let client: LspClient;
  let dir: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slimfile-lsp-'));
    fs.mkdirSync(path.join(dir, '.git'));
    fs.mkdirSync(path.join(dir, 'vendor'));
    client = await LspClient.start({ workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'w' }] });
  });

  after(async () => {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('applies the .slimfile.json above the file, and reads it again after a change', async () => {
    fs.writeFileSync(path.join(dir, '.slimfile.json'), JSON.stringify({ rules: { [APK]: 'error' }, ignore: ['vendor/**'] }));
    const file = path.join(dir, 'Dockerfile');
    const uri = pathToFileURL(file).href;
    await client.open(uri, lines('FROM alpine:3.20', 'RUN apk add curl'));
    const [d] = ofRule(await client.diagnosticsFor(uri, 1));
    assert.equal(d?.severity, 1);

    const vendored = pathToFileURL(path.join(dir, 'vendor', 'Dockerfile')).href;
    await client.open(vendored, lines('FROM alpine:3.20', 'RUN apk add curl'));
    assert.deepEqual((await client.diagnosticsFor(vendored, 1)).diagnostics, [], 'ignored by the config file');

    fs.writeFileSync(path.join(dir, '.slimfile.json'), JSON.stringify({ rules: { [APK]: 'off', 'no-such-rule': 'error' } }));
    const start = client.published.length;
    await client.changeWatchedFiles([pathToFileURL(path.join(dir, '.slimfile.json')).href]);
    const off = await client.waitForDiagnostics(uri, () => true, start);
    assert.deepEqual(ofRule(off), []);
    // The server logs before it publishes, and messages arrive in order.
    assert.ok(client.logs.some((l) => /unknown rule id "no-such-rule"/.test(l.message)), 'config problems are logged');
    await client.close(uri);
    await client.close(vendored);
  });
});

describe('lsp: a client with fewer capabilities', () => {
  let client: LspClient;

  before(async () => {
    client = await LspClient.start({
      capabilities: {
        textDocument: { codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } } },
      },
    });
  });

  after(async () => {
    await client.stop();
  });

  it('uses defaults and pushed settings without workspace/configuration, and plain `changes` edits', async () => {
    const uri = docUri();
    await client.open(uri, lines('FROM alpine:3.20', 'RUN apk add curl'));
    const [d] = ofRule(await client.diagnosticsFor(uri, 1));
    assert.ok(d);
    assert.equal(client.settingsAskedFor.length, 0);
    assert.deepEqual(client.registrations, []);
    const fix = (await actions(client, uri, d)).find((a) => a.isPreferred);
    assert.ok(fix?.edit?.changes, 'edits come as `changes`');
    assert.equal(fix.edit.documentChanges, undefined);
    assert.equal(applied(client, uri, fix), lines('FROM alpine:3.20', 'RUN apk add --no-cache curl'));

    const start = client.published.length;
    await client.changeConfiguration({ slimfile: { enable: false } });
    const off = await client.waitForDiagnostics(uri, () => true, start);
    assert.deepEqual(off.diagnostics, []);
    await client.close(uri);
  });
});

describe('lsp: a client without code action literals', () => {
  it('gets no code actions rather than ones it cannot read', async () => {
    const client = await LspClient.start({ capabilities: { ...FULL_CAPABILITIES, textDocument: { publishDiagnostics: {} } } });
    try {
      const uri = docUri();
      await client.open(uri, lines('FROM alpine:3.20', 'RUN apk add curl'));
      const [d] = ofRule(await client.diagnosticsFor(uri, 1));
      assert.ok(d);
      assert.deepEqual(await client.codeActions(uri, d.range, [d]), []);
    } finally {
      await client.stop();
    }
  });
});
