// A local S3 + SQS emulator (moto in server mode) owned by the repo: a pinned moto release is
// installed from PyPI into a virtualenv in the git-ignored cache, and the server runs detached on
// a free loopback port until `stopMoto`. Its state lives in memory and is gone once it stops.
import { join } from 'node:path';
import {
  awaitReady,
  ensureDir,
  freePort,
  isOurProcess,
  portIsFree,
  readJson,
  removeFile,
  spawnDetached,
  stateRoot,
  stopProcess,
  waitFor,
  writeJson,
} from './process.mjs';
import { ensureVenv, venvBin } from './python-venv.mjs';

/** Release verified by this repo: S3 bucket notifications to SQS, conditional writes, paging. */
export const DEFAULT_MOTO_VERSION = '5.2.5';

const STATE = join(stateRoot, 'moto', 'state.json');

/** Every moto server of ours is started with this module and these flags, so its command line says so. */
function marker(port) {
  return `moto.server -H 127.0.0.1 -p ${port}`;
}

/**
 * Installs (once) `moto[server]==version` into a virtualenv of its own in the cache and returns
 * the virtualenv's directory; a re-run with the same version reuses it.
 * @param {string} version
 * @param {(line: string) => void} [log]
 */
export function installMoto(version, log = () => {}) {
  try {
    return ensureVenv(`moto-${version}`, [`moto[server]==${version}`], {
      what: 'the S3/SQS emulator (moto)',
      log,
    });
  } catch (err) {
    throw new Error(`${err.message} Or set MOTO_ENDPOINT to a running moto.`);
  }
}

function describe(state) {
  return {
    endpoint: `http://127.0.0.1:${state.port}`,
    port: state.port,
    version: state.version,
    pid: state.pid,
    log: state.log,
  };
}

function isRunning(state) {
  return Boolean(state) && isOurProcess(state.pid, marker(state.port));
}

/** True once the server answers its own API (which no real AWS endpoint has). */
async function answers(port) {
  const res = await fetch(`http://127.0.0.1:${port}/moto-api/data.json`, {
    signal: AbortSignal.timeout(2_000),
  });
  await res.arrayBuffer();
  return res.ok;
}

/**
 * Starts moto on `port` (default: a free one); a no-op when ours is already running.
 * @param {{ port?: number, version?: string, log?: (line: string) => void }} [options]
 */
export async function startMoto({
  port,
  version = process.env.LAKERUNNER_DEV_MOTO_VERSION || DEFAULT_MOTO_VERSION,
  log = () => {},
} = {}) {
  const existing = readJson(STATE);
  if (isRunning(existing)) {
    if (port !== undefined && port !== existing.port) {
      throw new Error(
        `moto of ours is already running on port ${existing.port}; stop it first to start one on ${port}`,
      );
    }
    await waitFor(() => answers(existing.port), {
      timeoutMs: 30_000,
      what: `the running moto on port ${existing.port} to answer`,
    });
    return { ...describe(existing), alreadyRunning: true };
  }
  if (existing) removeFile(STATE);

  const venv = installMoto(version, log);
  const chosenPort = port ?? (await freePort());
  if (port !== undefined && !(await portIsFree(port))) {
    throw new Error(`port ${port} on 127.0.0.1 is in use, so moto cannot start there`);
  }
  // One server of ours at a time, so each start begins a fresh log.
  const logFile = join(ensureDir(join(stateRoot, 'moto')), 'server.log');
  const child = spawnDetached(venvBin(venv, 'python'), ['-m', ...marker(chosenPort).split(' ')], logFile, {
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  const state = {
    pid: child.pid,
    port: chosenPort,
    version,
    log: logFile,
    startedAt: new Date().toISOString(),
  };
  writeJson(STATE, state);
  log(`starting moto ${version} on 127.0.0.1:${chosenPort} (pid ${child.pid}, log ${logFile})`);

  try {
    await awaitReady(child, marker(chosenPort), `moto on 127.0.0.1:${chosenPort}`, logFile, () =>
      answers(chosenPort),
    );
  } catch (err) {
    removeFile(STATE);
    throw err;
  }
  return { ...describe(state), alreadyRunning: false };
}

export async function stopMoto() {
  const state = readJson(STATE);
  if (!state) return false;
  const stopped = await stopProcess(state.pid, { marker: marker(state.port) });
  removeFile(STATE);
  return stopped;
}

export async function motoStatus() {
  const state = readJson(STATE);
  if (!isRunning(state)) return { running: false };
  const ready = await answers(state.port).catch(() => false);
  return { running: true, ready, ...describe(state) };
}
