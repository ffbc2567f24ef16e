#!/usr/bin/env node
// Runs turbo with its telemetry switched off: builds must not phone home, and this works the
// same in every shell (npm scripts cannot set an environment variable portably).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const bin = require.resolve('turbo/bin/turbo');
const result = spawnSync(process.execPath, [bin, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
});
process.exit(result.status ?? 1);
