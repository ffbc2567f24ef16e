// Helpers shared by the scripts that own local development services (Kafka, PostgreSQL):
// where their state lives, whether a recorded process is still ours, waiting for readiness.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Git-ignored directory holding service state, logs and downloaded artifacts. */
export const stateRoot = process.env.LAKERUNNER_DEV_STATE_DIR
  ? resolve(process.env.LAKERUNNER_DEV_STATE_DIR)
  : join(repoRoot, '.lakerunner');

export function ensureDir(path) {
  mkdirSync(path, { recursive: true });
  return path;
}

export function readJson(path) {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

export function writeJson(path, value) {
  ensureDir(dirname(path));
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

export function removeFile(path) {
  rmSync(path, { force: true });
}

/**
 * True when `pid` is alive and its command line contains `marker`, so a recycled pid
 * belonging to some other program is never mistaken for our service.
 */
export function isOurProcess(pid, marker) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    return cmdline.includes(marker);
  } catch {
    // No procfs (macOS): trust the liveness check.
    return true;
  }
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `probe` until it resolves truthy or `timeoutMs` passes; returns the last error otherwise. */
export async function waitFor(probe, { timeoutMs, intervalMs = 250, what }) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    try {
      if (await probe()) return;
    } catch (err) {
      lastError = err;
    }
    await sleep(intervalMs);
  }
  const reason = lastError ? `: ${lastError.message ?? lastError}` : '';
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
}

export async function stopProcess(pid, { marker, timeoutMs = 30_000 }) {
  if (!isOurProcess(pid, marker)) return false;
  process.kill(pid, 'SIGTERM');
  try {
    await waitFor(() => !isOurProcess(pid, marker), { timeoutMs, what: `pid ${pid} to exit` });
  } catch {
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !isOurProcess(pid, marker), { timeoutMs: 5_000, what: `pid ${pid} to die` });
  }
  return true;
}

export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

export function portIsFree(port) {
  return new Promise((res) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => res(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => res(true)));
  });
}

/** Runs a command synchronously; throws with its output when it fails. */
export function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { encoding: 'utf8', ...options });
  if (result.error) throw new Error(`${cmd} could not be run: ${result.error.message}`);
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status}\n${output}`);
  }
  return result.stdout ?? '';
}

export function commandExists(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

/**
 * The shared shape of `node scripts/<service>.mjs <command> [options]`: parses options, prints
 * usage on --help (exit 0) or misuse (exit 2), runs the command and reports a failure (exit 1).
 * Each command returns `{ human, data, exitCode? }`; `--json` prints `data` instead of `human`.
 * @param {{ name: string, usage: string, options: Record<string, {type: 'string'|'boolean'}>, commands: Record<string, (values: Record<string, any>) => Promise<{human: string, data: unknown, exitCode?: number}>> }} spec
 */
export async function runServiceCli({ name, usage, options, commands }) {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        ...options,
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    console.error(`${err.message}\n\n${usage}`);
    process.exit(2);
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (values.help || !command) {
    console.log(usage);
    process.exit(values.help ? 0 : 2);
  }
  const run = commands[command];
  if (!run) {
    console.error(`unknown command "${command}"\n\n${usage}`);
    process.exit(2);
  }
  try {
    const { human, data, exitCode = 0 } = await run(values);
    console.log(values.json ? JSON.stringify(data) : human);
    process.exitCode = exitCode;
  } catch (err) {
    console.error(`${name} ${command} failed: ${err.message}`);
    process.exit(1);
  }
}

/** The first port from `start` on where `count` consecutive loopback ports are free. */
export async function freePortBlock(start, count) {
  for (let port = start; port < 65535 - count; port += count) {
    let free = true;
    for (let p = port; p < port + count && free; p++) free = await portIsFree(p);
    if (free) return port;
  }
  throw new Error(`no ${count} consecutive free ports from ${start}`);
}

/**
 * Spawns a server detached from this process (it outlives the script that started it), its
 * output written to `logFile` from the start; the caller waits for it with `awaitReady`.
 */
export function spawnDetached(command, args, logFile, { env = process.env, cwd } = {}) {
  const out = openSync(logFile, 'w');
  const child = spawn(command, args, { detached: true, stdio: ['ignore', out, out], env, cwd });
  child.unref();
  return child;
}

/**
 * Waits until `ready()` is true, failing at once (not at the timeout) when the child exits
 * first; on failure the child is stopped (found by `marker`) and the error rethrown.
 */
export async function awaitReady(child, marker, what, logFile, ready, intervalMs = 200) {
  let exited;
  const onExit = (code, signal) => {
    exited = new Error(`${what} exited (${signal ?? `code ${code}`}) before answering; see ${logFile}`);
  };
  child.once('exit', onExit);
  try {
    await waitFor(async () => exited || ready(), {
      timeoutMs: 60_000,
      intervalMs,
      what: `${what} to answer`,
    });
    if (exited) throw exited;
  } catch (err) {
    await stopProcess(child.pid, { marker }).catch(() => {});
    throw err;
  } finally {
    child.off('exit', onExit);
  }
}
