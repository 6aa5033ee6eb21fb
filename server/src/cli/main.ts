// Entry point of the `slimfile` command (bundled to dist/cli.js). Wires the process to runCli:
// arguments, output streams, stdin, colour and exit code. An unexpected exception is a bug: it
// exits 2 with its stack so it can be reported.
import { EXIT_ERROR, runCli } from './run';

/** The version in package.json, copied into the bundle by esbuild. */
function version(): string {
  // A require, not an import: an imported JSON file would be copied into tsc's out/ folder, where a
  // second package.json named "slimfile" would be taken for the repository root.
  return (require('../../../package.json') as { version: string }).version;
}

/** Colour only for a terminal, and never when NO_COLOR is set to something (https://no-color.org). */
function wantsColor(): boolean {
  return process.stdout.isTTY === true && !process.env.NO_COLOR;
}

// `slimfile Dockerfile | head` closes the pipe early; that is not an error worth a stack.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

function internalError(e: unknown): void {
  process.stderr.write(`slimfile: internal error, please report it:\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = EXIT_ERROR;
}

try {
  runCli(process.argv.slice(2), {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    color: wantsColor(),
    version,
  }).then((code) => {
    process.exitCode = code;
  }, internalError);
} catch (e) {
  internalError(e);
}
