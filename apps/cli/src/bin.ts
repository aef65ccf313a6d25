#!/usr/bin/env node
import { processIO } from './core/io.js';
import { run } from './main.js';

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

process.exitCode = await run(process.argv.slice(2), processIO(controller.signal));
