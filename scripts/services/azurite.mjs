import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  awaitReady,
  ensureDir,
  freePort,
  isOurProcess,
  portIsFree,
  readJson,
  removeFile,
  repoRoot,
  spawnDetached,
  stateRoot,
  stopProcess,
  waitFor,
  writeJson,
} from './process.mjs';

const STATE = join(stateRoot, 'azurite', 'state.json');
const PACKAGE = join(repoRoot, 'node_modules', 'azurite');
const BIN = join(repoRoot, 'node_modules', '.bin', 'azurite');

/** Azurite's one built-in account (well known, documented by Microsoft; not a secret). */
export const AZURITE_ACCOUNT_NAME = 'devstoreaccount1';
export const AZURITE_ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** Every Azurite of ours is started with these flags first, so its command line says so. */
function marker(blobPort, queuePort) {
  return `--blobHost 127.0.0.1 --queueHost 127.0.0.1 --blobPort ${blobPort} --queuePort ${queuePort}`;
}

function installedVersion() {
  const manifest = join(PACKAGE, 'package.json');
  if (!existsSync(manifest) || !existsSync(BIN)) {
    throw new Error(
      'Azurite is not installed: run `npm install` at the repository root (it is a devDependency), ' +
        'or set AZURITE_BLOB_ENDPOINT and AZURITE_QUEUE_ENDPOINT to a running one.',
    );
  }
  return JSON.parse(readFileSync(manifest, 'utf8')).version;
}

function describe(state) {
  const blobEndpoint = `http://127.0.0.1:${state.blobPort}/${AZURITE_ACCOUNT_NAME}`;
  const queueEndpoint = `http://127.0.0.1:${state.queuePort}/${AZURITE_ACCOUNT_NAME}`;
  return {
    blobEndpoint,
    queueEndpoint,
    accountName: AZURITE_ACCOUNT_NAME,
    accountKey: AZURITE_ACCOUNT_KEY,
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT_NAME};AccountKey=${AZURITE_ACCOUNT_KEY};` +
      `BlobEndpoint=${blobEndpoint};QueueEndpoint=${queueEndpoint};`,
    blobPort: state.blobPort,
    queuePort: state.queuePort,
    version: state.version,
    pid: state.pid,
    log: state.log,
  };
}

function isRunning(state) {
  return Boolean(state) && isOurProcess(state.pid, marker(state.blobPort, state.queuePort));
}

/**
 * True once both services answer as Azurite: an unsigned request is refused, but the refusal
 * carries Azurite's own Server header (which no real Azure endpoint has).
 */
async function answers(state) {
  for (const port of [state.blobPort, state.queuePort]) {
    const res = await fetch(`http://127.0.0.1:${port}/${AZURITE_ACCOUNT_NAME}?comp=list`, {
      signal: AbortSignal.timeout(2_000),
    });
    await res.arrayBuffer();
    if (!(res.headers.get('server') ?? '').startsWith('Azurite')) return false;
  }
  return true;
}

/**
 * Starts Azurite's blob and queue services on `blobPort` / `queuePort` (default: free ones); a
 * no-op when ours is already running.
 * @param {{ blobPort?: number, queuePort?: number, log?: (line: string) => void }} [options]
 */
export async function startAzurite({ blobPort, queuePort, log = () => {} } = {}) {
  const existing = readJson(STATE);
  if (isRunning(existing)) {
    if (
      (blobPort !== undefined && blobPort !== existing.blobPort) ||
      (queuePort !== undefined && queuePort !== existing.queuePort)
    ) {
      throw new Error(
        `Azurite of ours is already running on ports ${existing.blobPort}/${existing.queuePort}; stop it first`,
      );
    }
    await waitFor(() => answers(existing), {
      timeoutMs: 30_000,
      what: `the running Azurite on ports ${existing.blobPort}/${existing.queuePort} to answer`,
    });
    return { ...describe(existing), alreadyRunning: true };
  }
  if (existing) removeFile(STATE);

  const version = installedVersion();
  for (const port of [blobPort, queuePort]) {
    if (port !== undefined && !(await portIsFree(port))) {
      throw new Error(`port ${port} on 127.0.0.1 is in use, so Azurite cannot start there`);
    }
  }
  const chosenBlob = blobPort ?? (await freePort());
  let chosenQueue = queuePort ?? (await freePort());
  while (chosenQueue === chosenBlob) chosenQueue = await freePort();
  const dir = ensureDir(join(stateRoot, 'azurite'));
  // One Azurite of ours at a time, so each start begins a fresh log.
  const logFile = join(dir, 'server.log');
  const child = spawnDetached(
    process.execPath,
    [
      BIN,
      ...marker(chosenBlob, chosenQueue).split(' '),
      // The combined binary always serves Table too: on a port the OS picks, so it never
      // collides with anything; nothing here uses it.
      '--tableHost',
      '127.0.0.1',
      '--tablePort',
      '0',
      '--inMemoryPersistence',
      '--disableTelemetry',
      // The SDKs are newer than the emulator's list of service versions.
      '--skipApiVersionCheck',
      '--silent',
    ],
    logFile,
    // Its workspace is the working directory (--location and in-memory persistence exclude each
    // other): ours, not the caller's, though nothing is written there in memory mode.
    { cwd: dir },
  );
  const state = {
    pid: child.pid,
    blobPort: chosenBlob,
    queuePort: chosenQueue,
    version,
    log: logFile,
    startedAt: new Date().toISOString(),
  };
  writeJson(STATE, state);
  log(
    `starting Azurite ${version} (blob 127.0.0.1:${chosenBlob}, queue 127.0.0.1:${chosenQueue}, pid ${child.pid}, log ${logFile})`,
  );

  try {
    await awaitReady(
      child,
      marker(chosenBlob, chosenQueue),
      `Azurite on 127.0.0.1:${chosenBlob}/${chosenQueue}`,
      logFile,
      () => answers(state),
    );
  } catch (err) {
    removeFile(STATE);
    throw err;
  }
  return { ...describe(state), alreadyRunning: false };
}

export async function stopAzurite() {
  const state = readJson(STATE);
  if (!state) return false;
  const stopped = await stopProcess(state.pid, { marker: marker(state.blobPort, state.queuePort) });
  removeFile(STATE);
  return stopped;
}

export async function azuriteStatus() {
  const state = readJson(STATE);
  if (!isRunning(state)) return { running: false };
  const ready = await answers(state).catch(() => false);
  return { running: true, ready, ...describe(state) };
}
