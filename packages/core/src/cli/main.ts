#!/usr/bin/env node
import { runCli } from './program.js';

// `lakerunner … | head` closes the pipe early; that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

// Sockets or timers a library left behind must not keep a finished command (a failed start-up
// above all) alive: a container that looks healthy instead of restarting is worse than a crash.
const exitSoon = (code: number) => {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 1000).unref();
};

runCli(process.argv.slice(2)).then(exitSoon, (err: unknown) => {
  console.error(err);
  exitSoon(1);
});
