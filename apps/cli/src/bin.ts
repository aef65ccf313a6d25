#!/usr/bin/env node
import { processIO } from './core/io.js';
import { version } from './core/version.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // The one answer that needs no parser: skip loading commander and the command table (cold start ≈ node's own).
  process.stdout.write(`${version()}\n`);
} else {
  // The first Ctrl-C aborts the running command (requests cancelled, temp files removed, exit 130); a second one
  // exits at once.
  const controller = new AbortController();
  process.once('SIGINT', () => {
    controller.abort(new DOMException('Interrupted', 'AbortError'));
    process.once('SIGINT', () => process.exit(130));
  });
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    // `redivis read … | head` closes the pipe early: stop quietly, as Unix tools do.
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const { run } = await import('./main.js');
  process.exitCode = await run(argv, processIO(controller.signal));
}
