#!/usr/bin/env node
/** Entry point of the `tskrb` binary. */
import { main } from './run.js';

// `tskrb … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

process.exitCode = await main(process.argv.slice(2));
