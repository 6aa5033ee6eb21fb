// The real-editor suite: the packaged slimfile.vsix in code-server (VS Code 1.139), driven through
// chromium like a person would: squiggles and the Problems panel, a hover, Ctrl+. and the preferred
// quick fix, the palette's "Generate .dockerignore", a setting changed while a file is open,
// fix-all on save, the size CodeLens, and the time from opening a 1,000-line file to its first
// squiggle (printed, never asserted). Run `npm run test:editor` (setup.sh installs the toolchain).
//
// Environment:
//   SLIMFILE_VSIX=FILE            the .vsix to test (default: slimfile.vsix at the repository root)
//   SLIMFILE_SCREENSHOTS=1        also write the README's pictures into images/
//   SLIMFILE_EDITOR_ARTIFACTS=DIR where a failure leaves its screenshot and logs (default: test-results/editor)
//   SLIMFILE_EDITOR_ONLY=a,b      run only the scenarios whose names contain one of these words
//   SLIMFILE_EDITOR_RETRIES=N     attempts after a failed one (default 1; a pass after a failure is printed as FLAKY)
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Editor, ROOT, progress } from './harness.mjs';

const VSIX = path.resolve(process.env.SLIMFILE_VSIX ?? path.join(ROOT, 'slimfile.vsix'));
const ARTIFACTS = path.resolve(process.env.SLIMFILE_EDITOR_ARTIFACTS ?? path.join(ROOT, 'test-results', 'editor'));
const IMAGES = process.env.SLIMFILE_SCREENSHOTS === '1' ? path.join(ROOT, 'images') : undefined;
const ONLY = (process.env.SLIMFILE_EDITOR_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const SCENARIO_TIMEOUT_MS = 120_000;
/** Attempts after a failed one; each failure leaves its artifacts, and a later pass is reported as flaky. */
const RETRIES = Number(process.env.SLIMFILE_EDITOR_RETRIES ?? 1);
const DOCS = 'https://github.com/slimfile/slimfile/blob/main/docs/rules/';

/** User settings that keep the workbench quiet and the pictures steady; none changes Slimfile. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.panel.opensMaximized': 'always',
  'workbench.layoutControl.enabled': false,
  'window.commandCenter': false,
  'chat.disableAIFeatures': true,
  'editor.minimap.enabled': false,
  'editor.stickyScroll.enabled': false,
  'editor.accessibilitySupport': 'off',
  'editor.cursorBlinking': 'solid',
  'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
  'editor.suggestOnTriggerCharacters': false,
  'editor.wordBasedSuggestions': 'off',
  'editor.hover.delay': 200,
  'editor.hover.above': false,
  'editor.occurrencesHighlight': 'off',
  'editor.selectionHighlight': false,
  // VS Code in a browser saves a second after each change by default; the suite decides when to save.
  'files.autoSave': 'off',
  'files.insertFinalNewline': false,
  'files.trimTrailingWhitespace': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'git.enabled': false,
  'security.workspace.trust.enabled': false,
};

/** Workspace settings at the start: fix-all on an explicit save (scenario "fix-all on save"). */
const WORKSPACE_SETTINGS = { 'editor.codeActionsOnSave': { 'source.fixAll.slimfile': 'explicit' } };

// ---- The workspace the suite builds ---------------------------------------------------------

const lines = (...l) => l.join('\n') + '\n';

const WEB = lines(
  '# syntax=docker/dockerfile:1',
  "# The shop's web front end: Flask behind gunicorn.",
  '#   docker build -t shop-web .',
  '#   docker run -p 8000:8000 shop-web',
  '',
  'FROM python:3.12',
  'WORKDIR /app',
  'RUN apt-get update && apt-get install -y curl',
  'RUN pip install flask gunicorn',
  'COPY . .',
  'EXPOSE 8000',
  'CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]',
);
const TOOLS = lines('FROM alpine:3.20', 'RUN apk add curl jq', 'RUN apk add git', 'ENTRYPOINT ["jq"]');
const WORKER = lines('FROM python:3.12-alpine', 'RUN apk add curl', 'WORKDIR /app', 'RUN pip install requests', 'COPY worker.py .', 'CMD ["python", "worker.py"]');
const SAVE = lines('FROM alpine:3.20', 'RUN apk add curl');
const NODE_APP = lines('FROM node:22-alpine', 'WORKDIR /app', 'COPY . .', 'RUN npm ci --omit=dev', 'CMD ["node", "server.js"]');
const LEGACY_IGNORE = lines('# kept by hand', '*.tmp', '!keep.tmp');

/** What the rules report, as the CLI (`node dist/cli.js FILE`) prints it: [line, column, ruleId, message]. */
const MSG = {
  largeBase: 'python:3.12 is about 370 MB; python:3.12-slim about 45 MB. Base the shipped image on the smaller one if your app runs there.',
  consecutive2: '2 RUN instructions in a row make 2 layers; one RUN joined with && makes one. Every RUN after the first is an extra layer to store, pull and unpack.',
  aptLists: 'apt-get install leaves the package lists in this layer (about 20 MB on Debian 12). End the same RUN with rm -rf /var/lib/apt/lists/* (apt-get clean does not remove them).',
  aptRecommends:
    'apt-get install also installs recommended packages: often tens of MB, and hundreds for some (on Debian 12: +47 MB for curl, +460 MB for python3-pip). Add --no-install-recommends and name the packages you need.',
  pip: 'pip install keeps its download cache (~/.cache/pip) in this layer: a second copy of every downloaded wheel (about 30 MB for numpy and pandas alone). Add --no-cache-dir.',
  apk: 'apk add keeps its package index in this layer (about 2.5 MB). Add --no-cache.',
  npm: 'npm ci leaves its package cache (~/.npm) in this layer: a second, compressed copy of the downloaded packages (89 MB beside 149 MB of node_modules for 448 packages with npm). End the same RUN with npm cache clean --force.',
  copyAll: /^COPY \. copies the whole build context \(\d+ bytes in 8 files: .+\) and no \.dockerignore applies\. Generate one to keep dependencies, history and secrets out\.$/,
};
const EXPECTED = {
  'web/Dockerfile': [
    [6, 6, 'large-base-image', MSG.largeBase],
    [8, 1, 'consecutive-run', MSG.consecutive2],
    [8, 23, 'apt-lists-not-removed', MSG.aptLists],
    [8, 23, 'apt-no-install-recommends', MSG.aptRecommends],
    [9, 5, 'pip-no-cache', MSG.pip],
  ],
  'tools/Dockerfile': [
    [2, 1, 'consecutive-run', MSG.consecutive2],
    [2, 5, 'apk-no-cache', MSG.apk],
    [3, 5, 'apk-no-cache', MSG.apk],
  ],
  'worker/Dockerfile': [
    [2, 5, 'apk-no-cache', MSG.apk],
    [4, 5, 'pip-no-cache', MSG.pip],
  ],
};

/** The patterns "Generate .dockerignore" writes for node-app/ (comments aside), in order. */
const NODE_APP_PATTERNS = ['.git', '**/node_modules', 'coverage', '**/*.log', 'npm-debug.log*', '.env', '**/Dockerfile*', '.dockerignore'];

/** A Dockerfile of exactly `count` lines: a bloated apt line near the top, then ordinary steps. */
function bigDockerfile(count) {
  const out = ['FROM debian:bookworm', 'RUN apt-get update && apt-get install -y curl ca-certificates'];
  for (let i = 0; out.length < count; i++) {
    out.push(
      `# step ${i}`,
      `ENV STEP_${i}=${i}`,
      `COPY config/step-${i}.conf /etc/app/step-${i}.conf`,
      `RUN echo "step ${i}" > /opt/step-${i}.txt && \\`,
      `    chmod 644 /opt/step-${i}.txt`,
      `WORKDIR /opt/app-${i % 7}`,
    );
  }
  return out.slice(0, count).join('\n') + '\n';
}

function write(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** Every file under `dir` with its bytes, keyed by absolute path. */
function snapshot(dir, into = new Map()) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) snapshot(file, into);
    else into.set(file, fs.readFileSync(file));
  }
  return into;
}

/** Puts the workspace back as `initial` had it before a retry: files a failed attempt added go, changed ones are rewritten. */
function restoreWorkspace(ws, initial) {
  for (const [file] of snapshot(ws)) if (!initial.has(file)) fs.rmSync(file);
  for (const [file, bytes] of initial) {
    if (!fs.existsSync(file) || !fs.readFileSync(file).equals(bytes)) write(file, bytes);
  }
}

function buildWorkspace(ws) {
  write(path.join(ws, '.vscode', 'settings.json'), JSON.stringify(WORKSPACE_SETTINGS, null, 2));
  write(path.join(ws, 'web', 'Dockerfile'), WEB);
  write(path.join(ws, 'web', 'requirements.txt'), 'flask\ngunicorn\n');
  write(path.join(ws, 'web', 'app.py'), 'from flask import Flask\n\napp = Flask(__name__)\n');
  write(path.join(ws, 'web', '.dockerignore'), '.git\n__pycache__\n');
  write(path.join(ws, 'tools', 'Dockerfile'), TOOLS);
  write(path.join(ws, 'worker', 'Dockerfile'), WORKER);
  write(path.join(ws, 'worker', 'worker.py'), 'print("work")\n');
  write(path.join(ws, 'save', 'Dockerfile'), SAVE);
  for (const dir of ['node-app', 'legacy']) {
    write(path.join(ws, dir, 'Dockerfile'), NODE_APP);
    write(path.join(ws, dir, 'package.json'), '{ "name": "demo", "private": true }\n');
    write(path.join(ws, dir, 'server.js'), 'console.log("up");\n');
    write(path.join(ws, dir, 'node_modules', 'left-pad', 'index.js'), 'module.exports = (s) => s;\n');
    write(path.join(ws, dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    write(path.join(ws, dir, 'coverage', 'index.html'), '<html></html>\n');
    write(path.join(ws, dir, 'npm-debug.log'), 'debug\n');
    write(path.join(ws, dir, '.env'), 'SECRET=1\n');
  }
  write(path.join(ws, 'legacy', '.dockerignore'), LEGACY_IGNORE);
  write(path.join(ws, 'big', 'Dockerfile'), bigDockerfile(1000));
}

// ---- Helpers over the editor ------------------------------------------------------------------

/** The Problems panel's Slimfile rows of one file as [line, column, ruleId, message]. */
async function problemsOf(editor, file) {
  const rows = await editor.problems();
  return rows.filter((r) => r.file.endsWith(`/${file}`)).map((r) => [r.line, r.column, r.code, r.message, r.source, r.href]);
}

/**
 * Waits until the Problems panel shows exactly `want` for `file`: [line, column, ruleId, message]
 * with the message a string (exact) or a RegExp; then checks each row's source and docs link.
 */
async function expectProblems(editor, file, want, timeoutMs = 30_000) {
  const sort = (a) => [...a].sort((x, y) => x[0] - y[0] || x[1] - y[1] || String(x[2]).localeCompare(String(y[2])));
  const expected = sort(want);
  const matches = (got) =>
    got.length === expected.length &&
    got.every((g, i) => {
      const [line, column, rule, message] = expected[i];
      return g[0] === line && g[1] === column && g[2] === rule && (message instanceof RegExp ? message.test(g[3]) : g[3] === message);
    });
  let seen = [];
  await editor.waitFor(
    `the Problems panel to list ${want.length} Slimfile problems for ${file}`,
    async () => {
      seen = sort(await problemsOf(editor, file));
      return matches(seen);
    },
    timeoutMs,
    () => `last seen: ${JSON.stringify(seen, null, 1)}`,
  );
  for (const p of seen) {
    assert.equal(p[4], 'slimfile', `source of ${p[2]}`);
    assert.equal(p[5], `${DOCS}${p[2]}.md`, `docs link of ${p[2]}`);
  }
  await editor.hidePanel();
  return seen;
}

/** The set of lines that carry a squiggle, sorted. */
const squiggleLines = (squiggles) => [...new Set(squiggles.map((s) => s.line))].sort((a, b) => a - b);
const sameLines = (want) => (squiggles) => JSON.stringify(squiggleLines(squiggles)) === JSON.stringify(want);

/** The lines a finding list covers (a finding spanning lines covers each). */
function linesOf(findings, spans = {}) {
  const out = new Set();
  for (const [line, , rule] of findings) {
    const last = spans[`${line}:${rule}`] ?? line;
    for (let l = line; l <= last; l++) out.add(l);
  }
  return [...out].sort((a, b) => a - b);
}

async function shot(editor, name) {
  if (!IMAGES) return;
  const file = path.join(IMAGES, name);
  await editor.editorScreenshot(file);
  progress(`  picture: ${path.relative(ROOT, file)}`);
}

// ---- Scenarios --------------------------------------------------------------------------------

const scenarios = [];
const scenario = (name, run) => scenarios.push({ name, run });
let scenarioStart = Date.now();
/** Prints a step of the running scenario with the seconds since it began. */
const step = (message) => progress(`  ${((Date.now() - scenarioStart) / 1000).toFixed(1).padStart(5)} s  ${message}`);

scenario('squiggles and the Problems panel for a bloated Dockerfile', async (editor) => {
  step('open web/Dockerfile');
  await editor.openFile('web/Dockerfile');
  step('wait for its squiggles');
  // consecutive-run covers lines 8-9; the others sit on one line each.
  await editor.waitForSquiggles('squiggles on lines 6, 8 and 9 of web/Dockerfile', sameLines(linesOf(EXPECTED['web/Dockerfile'], { '8:consecutive-run': 9 })));
  step('read the Problems panel');
  await expectProblems(editor, 'web/Dockerfile', EXPECTED['web/Dockerfile']);
  step('open tools/Dockerfile');
  await editor.openFile('tools/Dockerfile');
  await editor.waitForSquiggles('squiggles on lines 2 and 3 of tools/Dockerfile', sameLines([2, 3]));
  await expectProblems(editor, 'tools/Dockerfile', EXPECTED['tools/Dockerfile']);
});

scenario('hover a squiggle: message, size figure, docs link', async (editor) => {
  await editor.openFile('web/Dockerfile');
  await editor.waitForSquiggles('the pip-no-cache squiggle on line 9', (s) => s.some((x) => x.line === 9));
  // Point at the middle of `pip install flask gunicorn` (line 9, columns 5-31): only pip-no-cache
  // and consecutive-run cover it.
  step('point at line 9, column 15');
  const hover = await editor.hoverText(9, 15);
  const rows = hover.rows;
  const pip = rows.find((r) => r.text.includes(MSG.pip));
  assert.ok(pip, `the hover shows the pip-no-cache message; it shows: ${JSON.stringify(rows, null, 1)}`);
  assert.match(pip.text, /about 30 MB/, 'the message carries its size figure');
  assert.ok(pip.links.some((l) => l.href === `${DOCS}pip-no-cache.md` && l.text === 'pip-no-cache'), `docs link in ${JSON.stringify(pip.links)}`);
  assert.ok(pip.text.includes('slimfile'), 'the source is named');
  const merge = rows.find((r) => r.text.includes(MSG.consecutive2));
  assert.ok(merge?.links.some((l) => l.href === `${DOCS}consecutive-run.md`), 'the consecutive-run problem covering the same line is in the hover too');
  await shot(editor, 'squiggles-hover.png');
  await editor.dismissHover();
});

scenario('Ctrl+. on consecutive RUNs: the merge is the preferred fix, exact text after it', async (editor) => {
  step('web/Dockerfile: Ctrl+. on the apt-get install of line 8');
  await editor.openFile('web/Dockerfile');
  await editor.waitForSquiggles('squiggles on lines 6, 8 and 9', sameLines([6, 8, 9]));
  await editor.goTo(8, 23);
  // Every problem under the caret offers its fixes; the preferred one comes first and has the focus.
  const aptMenu = await editor.openQuickFixMenu();
  assert.deepEqual(aptMenu.titles, [
    'Merge 2 RUN instructions',
    'Remove /var/lib/apt/lists in the same RUN',
    'Add --no-install-recommends',
    'Use a BuildKit cache mount on /var/lib/apt/lists',
    'Ignore consecutive-run for this instruction',
    'Ignore apt-lists-not-removed for this instruction',
    'Ignore apt-no-install-recommends for this instruction',
  ]);
  await shot(editor, 'quick-fix.png');
  await editor.press('Escape');
  await editor.page.locator('.action-widget:not(.action-list-submenu-panel)').waitFor({ state: 'hidden' });
  await editor.openFile('tools/Dockerfile');
  await editor.waitForSquiggles('squiggles on lines 2 and 3 of tools/Dockerfile', sameLines([2, 3]));
  // Column 1 of line 2 is inside consecutive-run's range only (apk-no-cache starts at column 5).
  step('caret to line 2, column 1; Ctrl+.');
  await editor.goTo(2, 1);
  const menu = await editor.openQuickFixMenu();
  assert.deepEqual(menu.titles, ['Merge 2 RUN instructions', 'Ignore consecutive-run for this instruction']);
  assert.equal(menu.focused, 'Merge 2 RUN instructions', 'the preferred fix is the one Enter applies');
  step('Enter applies the focused (preferred) fix; read the text back');
  await editor.press('Enter');
  await editor.page.locator('.action-widget:not(.action-list-submenu-panel)').waitFor({ state: 'hidden' });
  const merged = lines('FROM alpine:3.20', 'RUN apk add curl jq && \\', '    apk add git', 'ENTRYPOINT ["jq"]');
  await editor.waitFor(
    'the merge to show in the editor',
    async () => JSON.stringify(await editor.visibleLines()) === JSON.stringify(merged.split('\n')),
    15_000,
    async () => `the editor shows ${JSON.stringify(await editor.visibleLines())}`,
  );
  assert.equal(await editor.editorText(), merged, 'the text read back through the editor');
  // The merged RUN is analysed again: consecutive-run is gone, both apk lines are still reported.
  await expectProblems(editor, 'tools/Dockerfile', [
    [2, 5, 'apk-no-cache', MSG.apk],
    [3, 5, 'apk-no-cache', MSG.apk],
  ]);
  assert.equal(fs.readFileSync(path.join(editor.options.workspace, 'tools', 'Dockerfile'), 'utf8'), TOOLS, 'nothing was saved');
  await editor.revertFile();
});

scenario('palette "Slimfile: Generate .dockerignore": new file, then an existing one kept', async (editor) => {
  const label = 'Slimfile: Generate .dockerignore';
  const ws = editor.options.workspace;

  step('node-app/: no .dockerignore yet; run the command');
  await editor.openFile('node-app/Dockerfile');
  await expectProblems(editor, 'node-app/Dockerfile', [
    [3, 6, 'copy-all-without-dockerignore', MSG.copyAll],
    [4, 5, 'npm-cache', MSG.npm],
  ]);
  await editor.runCommand(label);
  await editor.waitForActiveEditor('node-app/.dockerignore');
  const created = await editor.editorText();
  assert.deepEqual(patternsOf(created), NODE_APP_PATTERNS, `patterns of the new file:\n${created}`);
  assert.ok(created.split('\n')[0].startsWith('# '), 'each group starts with a comment that says why');
  await editor.waitFor('the new .dockerignore to be saved', async () => readIfExists(path.join(ws, 'node-app', '.dockerignore')) === created, 10_000);
  step('the Dockerfile is analysed again: COPY . is covered now');
  await expectProblems(editor, 'node-app/Dockerfile', [[4, 5, 'npm-cache', MSG.npm]]);
  await shot(editor, 'dockerignore.png');

  step('legacy/: has a .dockerignore; run the command, answer "Append"');
  await editor.openFile('legacy/Dockerfile');
  await editor.runCommand(label);
  // An existing file changes only with consent: a modal dialog with "Append".
  const dialog = await editor.waitForDialog();
  assert.match(dialog.message, /append \d+ patterns? to legacy\/\.dockerignore\?/i, `dialog: ${JSON.stringify(dialog)}`);
  assert.ok(dialog.buttons.includes('Append'), `buttons: ${dialog.buttons}`);
  await editor.clickDialogButton('Append');
  await editor.waitForActiveEditor('legacy/.dockerignore');
  const appended = await editor.editorText();
  assert.ok(appended.startsWith(LEGACY_IGNORE), `every line already in the file stays first and unchanged:\n${appended}`);
  // The new lines come as one marked block at the end.
  const block = appended.slice(LEGACY_IGNORE.length);
  assert.match(block, /^\n# --- Added by Slimfile \(Generate \.dockerignore\) on \d{4}-\d{2}-\d{2} ---\n[^]*\n# --- End of Slimfile block ---\n?$/, `the block:\n${block}`);
  assert.deepEqual(patternsOf(block), NODE_APP_PATTERNS, `patterns of the block:\n${block}`);
  await editor.waitFor('the appended .dockerignore to be saved', async () => readIfExists(path.join(ws, 'legacy', '.dockerignore')) === appended, 10_000);
});

scenario('a rule turned off in .vscode/settings.json: its squiggles go without a reload', async (editor) => {
  const ws = editor.options.workspace;
  const settingsFile = path.join(ws, '.vscode', 'settings.json');
  await editor.openFile('worker/Dockerfile');
  await editor.waitForSquiggles('squiggles on lines 2 (apk) and 4 (pip)', sameLines([2, 4]));
  await expectProblems(editor, 'worker/Dockerfile', EXPECTED['worker/Dockerfile']);

  const change = { 'slimfile.rules': { 'apk-no-cache': 'off' } };
  step(`write ${JSON.stringify(change)} into .vscode/settings.json`);
  try {
    write(settingsFile, JSON.stringify({ ...WORKSPACE_SETTINGS, ...change }, null, 2));
    await editor.waitForSquiggles('the apk-no-cache squiggle on line 2 to go, pip-no-cache on line 4 to stay', sameLines([4]));
    await expectProblems(editor, 'worker/Dockerfile', [[4, 5, 'pip-no-cache', MSG.pip]]);
  } finally {
    write(settingsFile, JSON.stringify(WORKSPACE_SETTINGS, null, 2));
  }
  step('setting removed again');
  await editor.waitForSquiggles('the squiggles to come back once the setting is removed', sameLines([2, 4]));
});

scenario('fix-all on save with editor.codeActionsOnSave', async (editor) => {
  const file = path.join(editor.options.workspace, 'save', 'Dockerfile');
  await editor.openFile('save/Dockerfile');
  await editor.waitForSquiggles('the apk-no-cache squiggle on line 2', sameLines([2]));
  // Type a second RUN at the end, as a person would, then save with Ctrl+S.
  await editor.focusEditor();
  await editor.press('Mod+End');
  step('type a line, then Ctrl+S');
  await editor.page.keyboard.type('RUN apk add jq');
  await editor.waitForSquiggles('squiggles on lines 2 and 3 once the new line is analysed', sameLines([2, 3]));
  await editor.press('Mod+S');
  const fixed = 'FROM alpine:3.20\nRUN apk add --no-cache curl && \\\n    apk add --no-cache jq';
  // Saved means: the file on disk changed and the tab has no unsaved changes left.
  await editor.waitFor(
    'the save to reach the disk',
    async () => readIfExists(file) !== SAVE && !(await editor.isDirty()),
    20_000,
    async () => `on disk: ${JSON.stringify(readIfExists(file))}`,
  );
  assert.equal(await editor.editorText(), fixed, 'the editor holds the fixed text');
  assert.equal(fs.readFileSync(file, 'utf8'), fixed, 'the fixed text is what was saved');
  await editor.waitForSquiggles('no squiggle after the fixes', (s) => s.length === 0);
});

scenario('size CodeLens above the final FROM, with its breakdown', async (editor) => {
  await editor.openFile('web/Dockerfile');
  // The caret goes back to the top (the editor remembers where it was): no light bulb in the picture.
  await editor.goTo(1, 1);
  const lens = await editor.codeLens();
  assert.ok(lens, 'a size CodeLens is shown in web/Dockerfile');
  assert.match(lens.text, /^at least 370 MB: base python:3\.12 370 MB \+ COPY \. .+/, `lens: ${lens.text}`);
  assert.equal(lens.line, 6, 'the lens sits above FROM (line 6)');
  step(`lens: ${lens.text}; click it`);
  const items = await editor.clickCodeLens();
  assert.equal(items[0], 'base python:3.12 | 370 MB · line 6 | ', `breakdown: ${JSON.stringify(items)}`);
  assert.ok(items.some((i) => /^RUN \(line \d+\) \| unknown · line \d+ \| what a RUN adds is known only after a build$/.test(i)), `breakdown: ${JSON.stringify(items)}`);
  await shot(editor, 'size-lens.png');
  step('pick "RUN (line 9)": the caret goes to its instruction');
  await editor.quickInput().locator('input.input').fill('RUN (line 9)');
  await editor.page.waitForFunction(() => document.querySelector('.quick-input-widget .monaco-list-row .label-name')?.textContent.trim() === 'RUN (line 9)');
  await editor.press('Enter');
  await editor.quickInput().waitFor({ state: 'hidden' });
  await editor.page.waitForFunction(() => [...document.querySelectorAll('.statusbar-item')].some((e) => e.textContent.trim() === 'Ln 9, Col 1'));
});

scenario('time from opening a 1,000-line Dockerfile to its first squiggle (printed only)', async (editor) => {
  const { ms } = await editor.timeToFirstSquiggle('big/Dockerfile');
  progress(`  1,000-line Dockerfile: first squiggle ${ms} ms after Quick Open's Enter`);
  return { note: `first squiggle after ${ms} ms` };
});

// ---- Running -----------------------------------------------------------------------------------

function patternsOf(text) {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** The most recently changed source of the extension (client, server, manifest), to spot a stale .vsix. */
function newestSource() {
  let newest;
  const visit = (file) => {
    let stat;
    try {
      stat = fs.statSync(file);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(file)) visit(path.join(file, entry));
    } else if (!newest || stat.mtimeMs > newest.mtimeMs) {
      newest = { file, mtimeMs: stat.mtimeMs };
    }
  };
  for (const part of ['client/src', 'server/src', 'package.json']) visit(path.join(ROOT, part));
  return newest;
}

function readIfExists(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
    }),
  ]);
}

async function main() {
  const started = Date.now();
  progress(`testing ${VSIX}`);
  if (!fs.existsSync(VSIX)) {
    console.error(`${VSIX} does not exist: run \`npm run package\` first`);
    process.exit(2);
  }
  progress(`  ${fs.statSync(VSIX).size} bytes, built ${fs.statSync(VSIX).mtime.toISOString()}`);
  const newer = newestSource();
  if (newer && newer.mtimeMs > fs.statSync(VSIX).mtimeMs) {
    progress(`  warning: ${path.relative(ROOT, newer.file)} changed after the .vsix was built: run \`npm run package\` to test it`);
  }
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'slimfile-editor-'));
  const workspace = path.join(scratch, 'workspace');
  buildWorkspace(workspace);
  const initialWorkspace = snapshot(workspace);
  progress(`workspace: ${workspace}`);
  progress(`failures leave a screenshot and logs in: ${ARTIFACTS}`);
  if (IMAGES) progress(`pictures go to: ${IMAGES}`);

  const editor = new Editor({ vsix: VSIX, workspace, scratch, artifacts: ARTIFACTS, settings: USER_SETTINGS });
  process.on('exit', () => editor.killCodeServer());
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      progress(`${signal}: stopping code-server and chromium`);
      void editor.close().finally(() => {
        fs.rmSync(scratch, { recursive: true, force: true });
        process.exit(130);
      });
    });
  }

  const results = [];
  try {
    try {
      await editor.start();
      progress(`code-server answered after ${((Date.now() - started) / 1000).toFixed(1)} s; opening the workbench`);
      await editor.openWorkbench();
      progress(`workbench ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } catch (e) {
      await editor.saveArtifacts('00-start');
      throw e;
    }
    const chosen = scenarios.filter((s) => ONLY.length === 0 || ONLY.some((w) => s.name.includes(w)));
    for (const [i, s] of chosen.entries()) {
      progress(`${i + 1}/${chosen.length} ${s.name}`);
      const failures = [];
      for (let attempt = 1; attempt <= 1 + RETRIES && !stopping; attempt++) {
        const t = Date.now();
        scenarioStart = t;
        try {
          if (attempt > 1) {
            progress(`  attempt ${attempt} of ${1 + RETRIES}, on a restored workspace`);
            restoreWorkspace(workspace, initialWorkspace);
          }
          await editor.reset();
          const outcome = (await withTimeout(s.run(editor), SCENARIO_TIMEOUT_MS, s.name)) ?? {};
          const ms = Date.now() - t;
          // A pass after a failure is reported as flaky, with the first failure, never hidden.
          const flaky = failures.length > 0 ? `passed on attempt ${attempt} after: ${failures[0]}` : undefined;
          results.push({ name: s.name, status: 'passed', detail: outcome.note, flaky });
          progress(`  ok (${(ms / 1000).toFixed(1)} s)${outcome.note ? `: ${outcome.note}` : ''}${flaky ? ' (FLAKY: failed before)' : ''}`);
          break;
        } catch (e) {
          if (stopping) break;
          failures.push(e instanceof Error ? e.message.split('\n')[0] : String(e));
          progress(`  FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
          await editor.saveArtifacts(`${String(i + 1).padStart(2, '0')}-${attempt}-${s.name.slice(0, 40)}`);
          progress(`  screenshot and logs saved in ${ARTIFACTS}`);
          if (attempt === 1 + RETRIES) results.push({ name: s.name, status: 'failed', detail: failures.join(' | then: ') });
        }
      }
    }
  } catch (e) {
    progress(`the editor did not start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    progress(`screenshot and logs saved in ${ARTIFACTS}`);
    results.push({ name: 'start code-server and the workbench', status: 'failed', detail: String(e) });
  } finally {
    await editor.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }

  const count = (status) => results.filter((r) => r.status === status).length;
  const passed = count('passed');
  const failed = count('failed');
  const flaky = results.filter((r) => r.flaky).length;
  process.stdout.write('\n');
  for (const r of results) {
    process.stdout.write(`${r.status.padEnd(7)}  ${r.name}${r.detail && r.status !== 'passed' ? `: ${r.detail.split('\n')[0]}` : ''}\n`);
    if (r.flaky) process.stdout.write(`         FLAKY: ${r.flaky}\n`);
  }
  process.stdout.write(`\neditor suite: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  if (failed > 0 || flaky > 0) process.stdout.write(`artifacts: ${ARTIFACTS}\n`);
  process.stdout.write(`${passed} passed (${flaky} only on a retry), ${failed} failed\n`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
}

await main();
