// Runs the e2e suite in a downloaded VS Code (`npm run test:e2e`): the extension from this checkout,
// a fresh temporary workspace, other extensions disabled. Needs network access for the download.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  // Compiled to out-e2e/test/e2e/run.js: the repository root is three folders up.
  const extensionDevelopmentPath = path.resolve(__dirname, '..', '..', '..');
  const extensionTestsPath = path.resolve(__dirname, 'suite', 'index');
  if (!fs.existsSync(path.join(extensionDevelopmentPath, 'dist', 'server.js'))) {
    throw new Error('dist/server.js is missing: run `node esbuild.mjs` first');
  }
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'slimfile-e2e-'));
  try {
    await runTests({
      extensionDevelopmentPath,
      extensionTestsPath,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
