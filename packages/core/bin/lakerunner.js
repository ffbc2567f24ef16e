#!/usr/bin/env node
// The `lakerunner` command. A committed shim rather than dist/cli.js itself, so that `npm ci` in a
// fresh clone links the command before the build has made dist/ (npm skips a missing bin target).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('lakerunner: the CLI is not built yet; run `npm run build` at the repository root first');
  process.exit(1);
}
await import(cli.href);
