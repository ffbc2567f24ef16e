import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BinRun } from '../../support/cli.js';

const BIN = fileURLToPath(new URL('../../../packages/core/dist/cli.js', import.meta.url));

/**
 * Runs the built `lakerunner` bin in `cwd` as test/support/cli.ts does, but decodes its output
 * once, at the end: decoding each pipe chunk on its own turns a multi-byte character split
 * between two chunks into two U+FFFD, which a megabyte of `tail --json` is bound to hit.
 */
export function lakerunnerIn(cwd: string, args: string[]): Promise<BinRun> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LAKERUNNER_')));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, cwd });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => stdout.push(d));
    child.stderr.on('data', (d: Buffer) => stderr.push(d));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      }),
    );
  });
}
