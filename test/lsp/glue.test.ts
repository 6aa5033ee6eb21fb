// The server's conversion helpers in process, and the server wired to in-memory streams with rules
// of our own (one that throws, one with related information) to check what only the glue does.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { createConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { applyEdits, LineIndex } from '../../server/src/analysis/text';
import type { LintFinding } from '../../server/src/engine/lint';
import { rules as registry } from '../../server/src/rules';
import apkNoCache from '../../server/src/rules/apk-no-cache';
import { defineRule } from '../../server/src/rules/define';
import { isRequested, minimalEdit, workspaceEdit } from '../../server/src/lsp/code-actions';
import { rangesTouch, skippedDiagnostic, toDiagnostic } from '../../server/src/lsp/diagnostics';
import { startServer } from '../../server/src/lsp/server';
import { DEFAULT_SETTINGS, effectiveConfig, folderOf, fsPathOf, parseSettings } from '../../server/src/lsp/settings';
import { FailureLog } from '../../server/src/lsp/validation';
import { breakdownParts } from '../../server/src/lsp/size-lens';
import { analyze } from '../../server/src/analysis/model';
import { fakeContext } from '../helpers/context';
import { LspClient } from '../helpers/lsp-client';

describe('lsp glue: minimalEdit', () => {
  const cases: [string, string, string][] = [
    ['insertion', 'RUN apk add curl', 'RUN apk add --no-cache curl'],
    ['deletion', 'a\nb\nc\n', 'a\nc\n'],
    ['everything', 'abc', 'xyz'],
    ['to empty', 'abc', ''],
    ['from empty', '', 'abc'],
    ['repeated text', 'aaaa', 'aaaaaa'],
    ['CRLF kept whole', 'a\r\nb', 'a\nb'],
    ['CRLF inserted', 'a\nb', 'a\r\nb'],
    ['surrogate pair kept whole', 'x\u{1F433}y', 'x\u{1F40B}y'],
  ];
  for (const [name, before, after] of cases) {
    it(`turns one text into the other: ${name}`, () => {
      const edit = minimalEdit(before, after);
      assert.ok(edit);
      assert.equal(applyEdits(before, [edit]), after);
      for (const at of [edit.span.start, edit.span.end]) {
        const prev = before.charCodeAt(at - 1);
        const next = before.charCodeAt(at);
        assert.ok(!(prev === 13 && next === 10), `offset ${at} splits a CRLF`);
        assert.ok(!(prev >= 0xd800 && prev <= 0xdbff), `offset ${at} splits a surrogate pair`);
      }
    });
  }

  it('covers only the difference', () => {
    assert.deepEqual(minimalEdit('RUN apk add curl', 'RUN apk add --no-cache curl'), { span: { start: 12, end: 12 }, text: '--no-cache ' });
    assert.equal(minimalEdit('same', 'same'), undefined);
  });
});

describe('lsp glue: code action kinds', () => {
  it('lets a requested kind cover its sub-kinds, and only those', () => {
    assert.ok(isRequested(['source.fixAll'], 'source.fixAll.slimfile', false));
    assert.ok(isRequested(['source'], 'source.fixAll.slimfile', false));
    assert.ok(isRequested(['source.fixAll.slimfile'], 'source.fixAll.slimfile', false));
    assert.ok(!isRequested(['source.fix'], 'source.fixAll.slimfile', true));
    assert.ok(!isRequested(['quickfix'], 'source.fixAll.slimfile', true));
    assert.ok(!isRequested(['source.fixAll.slimfile.more'], 'source.fixAll.slimfile', true));
    assert.ok(isRequested(undefined, 'quickfix', true));
    assert.ok(!isRequested([], 'source.fixAll.slimfile', false));
  });

  it('builds versioned or plain workspace edits', () => {
    const edits = [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'x' }];
    assert.deepEqual(workspaceEdit('file:///D', 3, edits, true), { documentChanges: [{ textDocument: { uri: 'file:///D', version: 3 }, edits }] });
    assert.deepEqual(workspaceEdit('file:///D', 3, edits, false), { changes: { 'file:///D': edits } });
  });
});

describe('lsp glue: diagnostics', () => {
  const text = 'FROM alpine\nRUN apk add curl\n';
  const lines = new LineIndex(text);
  const finding: LintFinding = {
    span: { start: 16, end: 28 },
    messageId: 'm',
    ruleId: 'apk-no-cache',
    severity: 'hint',
    message: 'msg',
    docsUrl: 'https://example.org/apk-no-cache.md',
    related: [{ span: { start: 0, end: 4 }, message: 'the stage' }],
  };

  it('converts a finding with severity, code, docs link and related information', () => {
    assert.deepEqual(toDiagnostic('file:///D', lines, finding, { relatedInformation: true }), {
      range: { start: { line: 1, character: 4 }, end: { line: 1, character: 16 } },
      severity: 4,
      source: 'slimfile',
      code: 'apk-no-cache',
      codeDescription: { href: 'https://example.org/apk-no-cache.md' },
      message: 'msg',
      relatedInformation: [{ location: { uri: 'file:///D', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } } }, message: 'the stage' }],
    });
  });

  it('maps each severity and leaves related information out for clients without it', () => {
    const severities = (['error', 'warning', 'info', 'hint'] as const).map((severity) => toDiagnostic('u', lines, { ...finding, severity }, { relatedInformation: false }));
    assert.deepEqual(severities.map((d) => d.severity), [1, 2, 3, 4]);
    assert.ok(severities.every((d) => d.relatedInformation === undefined));
  });

  it('puts the "not analysed" diagnostic on line 1', () => {
    const d = skippedDiagnostic('abc\u0000def\nmore', 'binary content');
    assert.deepEqual(d.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 7 } });
    assert.equal(d.message, 'Slimfile did not analyse this file: binary content.');
    assert.deepEqual(skippedDiagnostic('', 'x').range.end, { line: 0, character: 0 });
  });

  it('treats touching ranges as overlapping, as a cursor at the end of a diagnostic', () => {
    const r = (a: number, b: number, c: number, d: number) => ({ start: { line: a, character: b }, end: { line: c, character: d } });
    assert.ok(rangesTouch(r(1, 4, 1, 16), r(1, 16, 1, 16)));
    assert.ok(rangesTouch(r(1, 4, 1, 16), r(0, 0, 5, 0)));
    assert.ok(!rangesTouch(r(1, 4, 1, 16), r(1, 17, 1, 17)));
    assert.ok(!rangesTouch(r(1, 4, 1, 16), r(0, 0, 1, 3)));
  });
});

describe('lsp glue: settings and failures', () => {
  it('reads the slimfile section, taking defaults for what is missing or malformed', () => {
    assert.deepEqual(parseSettings({ enable: false }), { ...DEFAULT_SETTINGS, enable: false });
    assert.deepEqual(parseSettings({ enable: 'false' }), DEFAULT_SETTINGS);
    assert.deepEqual(parseSettings(null), DEFAULT_SETTINGS);
    assert.deepEqual(parseSettings([1]), DEFAULT_SETTINGS);
    assert.deepEqual(parseSettings({ run: 'onSave', target: ' app ', buildContext: '..', largeFileThresholdMB: 100, sizeBudget: { warnMB: 10 } }), {
      ...DEFAULT_SETTINGS,
      run: 'onSave',
      target: 'app',
      buildContext: '..',
      largeFileThresholdMB: 100,
      sizeBudget: { warnMB: 10, errorMB: 5000 },
    });
    assert.deepEqual(parseSettings({ run: 'sometimes', largeFileThresholdMB: -1, sizeBudget: { errorMB: 'big' } }), DEFAULT_SETTINGS);
  });

  it('checks slimfile.rules against the registry and lets the config file win over it', () => {
    const parsed = parseSettings({ rules: { 'apk-no-cache': 'off', 'apk-nocache': 'error', 'pip-no-cache': 'loud' } }, registry);
    assert.deepEqual(parsed.rules, { 'apk-no-cache': 'off' });
    assert.equal(parsed.rulesProblems.length, 2);
    assert.match(parsed.rulesProblems[0], /^slimfile\.rules: unknown rule id "apk-nocache" \(did you mean "apk-no-cache"\?\)/);
    const config = effectiveConfig({ ...parsed, largeFileThresholdMB: 70 }, { rules: { 'apk-no-cache': 'info', 'data-file-copied': ['error', { largeFileThresholdMB: 5 }] } }, registry);
    assert.equal(config.rules!['apk-no-cache'], 'info');
    assert.deepEqual(config.rules!['data-file-copied'], ['error', { largeFileThresholdMB: 5 }], 'the file\'s option wins');
    assert.deepEqual(config.rules!['image-size-budget'], ['warning', { warnMB: 1000, errorMB: 5000 }]);
    const fromSettings = effectiveConfig({ ...DEFAULT_SETTINGS, largeFileThresholdMB: 70, target: 'app' }, undefined, registry);
    assert.deepEqual(fromSettings.rules!['data-file-copied'], ['warning', { largeFileThresholdMB: 70 }]);
    assert.equal(fromSettings.target, 'app');
  });

  it('finds the innermost workspace folder of a file, and none outside them', () => {
    const root = path.resolve('/w');
    const inner = path.join(root, 'inner');
    assert.equal(folderOf(path.join(inner, 'Dockerfile'), [root, inner]), inner);
    assert.equal(folderOf(path.join(root, 'Dockerfile'), [root, inner]), root);
    assert.equal(folderOf(path.resolve('/other/Dockerfile'), [root]), undefined);
    assert.equal(folderOf(path.resolve('/w2/Dockerfile'), [root]), undefined);
  });

  it('has file paths only for file: URIs', () => {
    assert.equal(fsPathOf('untitled:Untitled-1'), undefined);
    assert.equal(fsPathOf('vscode-vfs://github/a/b/Dockerfile'), undefined);
    assert.ok(fsPathOf('file:///tmp/Dockerfile')?.endsWith('Dockerfile'));
  });

  it('logs a failure once per rule and document version', () => {
    const log = new FailureLog();
    const boom = { ruleId: 'r', error: 'e' };
    assert.deepEqual(log.fresh('u', 1, [boom]), [boom]);
    assert.deepEqual(log.fresh('u', 1, [boom]), []);
    assert.deepEqual(log.fresh('u', 2, [boom]), [boom]);
    assert.deepEqual(log.fresh('v', 2, [boom]), [boom]);
    log.forget('u');
    assert.deepEqual(log.fresh('u', 2, [boom]), [boom]);
  });
});

describe('lsp glue: the server in process with rules of our own', () => {
  const throwing = defineRule({
    meta: { id: 'always-throws', description: 'Throws', defaultSeverity: 'error', fixable: false, messages: {} },
    check() {
      throw new Error('boom in always-throws');
    },
  });
  const withRelated = defineRule({
    meta: { id: 'points-back', description: 'Points at FROM', defaultSeverity: 'info', fixable: false, messages: { m: 'Look at {what}.' } },
    check({ model }) {
      const [from, ...rest] = model.instructions;
      return rest.map((i) => ({ span: i.keywordSpan, messageId: 'm', data: { what: 'FROM' }, related: [{ span: from.keywordSpan, message: 'this FROM' }] }));
    },
  });

  it('logs a throwing rule once per version, keeps the other rules, and sends related information', async () => {
    const toServer = new PassThrough();
    const fromServer = new PassThrough();
    // Reader and writer rather than raw streams: with streams, the library ends the process when they close.
    startServer(createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(fromServer)), { rules: [apkNoCache, throwing, withRelated] });
    const client = await LspClient.connect(fromServer, toServer);
    try {
      const uri = 'untitled:glue/Dockerfile';
      await client.open(uri, 'FROM alpine\nRUN apk add curl\n');
      const first = await client.diagnosticsFor(uri, 1);
      assert.deepEqual(first.diagnostics.map((d) => d.code).sort(), ['apk-no-cache', 'points-back']);
      const pointing = first.diagnostics.find((d) => d.code === 'points-back');
      assert.equal(pointing?.message, 'Look at FROM.');
      assert.deepEqual(pointing?.relatedInformation, [{ location: { uri, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } } }, message: 'this FROM' }]);

      // The same version analysed again (settings changed): no second log line.
      const start = client.published.length;
      await client.changeConfiguration();
      await client.waitForDiagnostics(uri, (p) => p.version === 1, start);
      await client.replace(uri, 2, 'FROM alpine\nRUN apk add git\n');
      await client.diagnosticsFor(uri, 2);
      const failures = client.logs.filter((l) => l.message.includes('always-throws'));
      assert.equal(failures.length, 2, failures.map((l) => l.message).join('\n---\n'));
      assert.match(failures[0].message, /version 1/);
      assert.match(failures[0].message, /boom in always-throws/);
      assert.match(failures[1].message, /version 2/);
      assert.equal(failures[0].type, 1, 'logged as an error');
    } finally {
      await client.stop();
    }
  });
});

describe('lsp glue: the size breakdown behind the CodeLens', () => {
  const text = [
    'FROM golang:1.22 AS build',
    'RUN go build -o /app .',
    'FROM python:3.12',
    'COPY app.py /srv/',
    'ADD https://example.org/model.bin /srv/',
    'COPY --from=busybox:1.36 /bin/busybox /bin/',
    'RUN pip install flask',
    '',
  ].join('\n');

  it('lists the measured parts biggest first with their lines, then the unknown ones saying why', () => {
    const parts = breakdownParts(analyze(text), undefined, fakeContext({ 'app.py': 2_000_000 }));
    assert.deepEqual(parts.map((p) => [p.label, p.size, p.line, p.note]), [
      ['base python:3.12', parts[0].size, 2, undefined],
      ['COPY app.py', '2.0 MB', 3, undefined],
      ['ADD https://example.org/model.bin', 'unknown', 4, 'a download: its size is known only after a build'],
      ['COPY /bin/busybox', 'unknown', 5, 'copied from another stage or image: known only after a build'],
      ['RUN (line 7)', 'unknown', 6, 'what a RUN adds is known only after a build'],
    ]);
    assert.match(parts[0].size, /^\d+ MB$/);
  });

  it('says when the build context was not measured, and when the base image is not in the table', () => {
    const parts = breakdownParts(analyze('FROM example.org/own/base:1\nCOPY . /srv/\n'), undefined, undefined);
    assert.deepEqual(parts.map((p) => [p.label, p.size, p.note]), [
      ['base example.org/own/base:1', 'unknown', 'this base image is not in the size table'],
      ['COPY .', 'unknown', 'the build context is not measured yet'],
    ]);
  });
});
