import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../packages/core/dist/cli.js', import.meta.url));

export interface BinRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `lakerunner` bin as a user would, with only the given LAKERUNNER_* env. */
export function lakerunner(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<BinRun> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LAKERUNNER_')));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...base, ...env }, cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let counter = 0;
/** A topic prefix no other test (or earlier run against the same broker) has used. */
export function uniquePrefix(label: string): string {
  counter += 1;
  return `t${Date.now().toString(36)}${process.pid.toString(36)}${counter}-${label}`;
}
