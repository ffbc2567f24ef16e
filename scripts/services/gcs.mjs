import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goCommand, goEnv } from './go.mjs';
import {
  awaitReady,
  ensureDir,
  freePort,
  isOurProcess,
  portIsFree,
  readJson,
  removeFile,
  run,
  spawnDetached,
  stateRoot,
  stopProcess,
  waitFor,
  writeJson,
} from './process.mjs';

/**
 * Release verified by this repo: per-bucket notification configurations as well as the
 * server-wide -event.* topic, ifGenerationMatch on every upload type, md5Hash on every object.
 */
export const DEFAULT_FAKE_GCS_VERSION = 'v1.56.1';
export const DEFAULT_GCS_PROJECT = 'lakerunner-test';
export const DEFAULT_GCS_TOPIC = 'gcs-events';

const STATE = join(stateRoot, 'gcs', 'state.json');
/** Our pstest main: its go.mod pins the Pub/Sub client (and so pstest) version. */
const PSTEST_SOURCE = join(dirname(fileURLToPath(import.meta.url)), 'gcs-emulators');

// Every process of ours is started with these flags first, so its command line says so.
const pstestMarker = (port) => `pstest-server -port ${port}`;
const fakeGcsMarker = (port) => `fake-gcs-server -scheme http -host 127.0.0.1 -port ${port}`;

/** The go command both emulators are built with; its error says how to do without. */
const emulatorGo = () =>
  goCommand(
    'build the local GCS and Pub/Sub emulators',
    'set GCS_EMULATOR_ENDPOINT and PUBSUB_EMULATOR_HOST to running ones',
  );

/**
 * Builds (once) fake-gcs-server `version` with `go install` into the cache and returns the
 * binary; a re-run with the same version reuses it.
 * @param {string} version
 * @param {(line: string) => void} [log]
 */
export function installFakeGcs(version, log = () => {}) {
  const dir = join(stateRoot, 'cache', `fake-gcs-server-${version}`);
  const binary = join(dir, 'fake-gcs-server');
  const complete = join(dir, '.complete');
  if (existsSync(complete) && existsSync(binary)) return binary;
  const go = emulatorGo();
  // A directory left half-made by an interrupted build is made again from scratch.
  rmSync(dir, { recursive: true, force: true });
  ensureDir(dir);
  log(`building fake-gcs-server ${version} (GCS emulator) from the Go module proxy into ${dir}…`);
  run(go, ['install', `github.com/fsouza/fake-gcs-server@${version}`], { env: goEnv({ GOBIN: dir }) });
  writeFileSync(complete, `${new Date().toISOString()}\n`);
  return binary;
}

/** The Pub/Sub client version our go.mod pins, and a hash of the sources, as the cache key. */
function pstestVersion() {
  const files = readdirSync(PSTEST_SOURCE)
    .filter((f) => f === 'go.mod' || f === 'go.sum' || f.endsWith('.go'))
    .sort();
  const hash = createHash('sha256');
  for (const f of files) hash.update(f).update(readFileSync(join(PSTEST_SOURCE, f)));
  const goMod = readFileSync(join(PSTEST_SOURCE, 'go.mod'), 'utf8');
  const pubsub = /cloud\.google\.com\/go\/pubsub\/v2 (v\S+)/.exec(goMod)?.[1] ?? 'unknown';
  return `${pubsub}-${hash.digest('hex').slice(0, 12)}`;
}

/**
 * Builds (once) our pstest server into the cache, keyed by the pinned Pub/Sub client version
 * and the sources' hash, and returns the binary.
 * @param {(line: string) => void} [log]
 */
export function installPstest(log = () => {}) {
  const version = pstestVersion();
  const dir = join(stateRoot, 'cache', `pstest-${version}`);
  const binary = join(dir, 'pstest-server');
  const complete = join(dir, '.complete');
  if (existsSync(complete) && existsSync(binary)) return { binary, version };
  const go = emulatorGo();
  rmSync(dir, { recursive: true, force: true });
  ensureDir(dir);
  log(`building pstest ${version} (Pub/Sub emulator) from the Go module proxy into ${dir}…`);
  run(go, ['build', '-o', binary, '.'], { cwd: PSTEST_SOURCE, env: goEnv() });
  writeFileSync(complete, `${new Date().toISOString()}\n`);
  return { binary, version };
}

function describe(state) {
  return {
    endpoint: `http://127.0.0.1:${state.fakeGcs.port}`,
    pubsubHost: `127.0.0.1:${state.pstest.port}`,
    // GET /unacked?topic=projects/P/topics/T: messages of the topic no subscriber acknowledged.
    pubsubAdmin: state.pstest.adminPort ? `http://127.0.0.1:${state.pstest.adminPort}` : null,
    projectId: state.projectId,
    topic: state.topic,
    version: state.version,
    pstestVersion: state.pstestVersion,
    pids: { fakeGcs: state.fakeGcs.pid, pstest: state.pstest.pid },
    logs: { fakeGcs: state.fakeGcs.log, pstest: state.pstest.log },
  };
}

function isRunning(state) {
  return (
    Boolean(state?.fakeGcs && state?.pstest) &&
    isOurProcess(state.fakeGcs.pid, fakeGcsMarker(state.fakeGcs.port)) &&
    isOurProcess(state.pstest.pid, pstestMarker(state.pstest.port))
  );
}

/** True once fake-gcs-server answers a bucket listing (its JSON API is up). */
async function gcsAnswers(port) {
  const res = await fetch(`http://127.0.0.1:${port}/storage/v1/b`, { signal: AbortSignal.timeout(2_000) });
  const body = await res.json();
  return res.ok && body?.kind === 'storage#buckets';
}

/** True once our pstest main announced it serves (after creating the topic) and its admin port answers. */
async function pstestAnswers(logFile, adminPort) {
  if (!existsSync(logFile) || !readFileSync(logFile, 'utf8').includes('pstest serving on')) return false;
  const res = await fetch(`http://127.0.0.1:${adminPort}/unacked?topic=`, {
    signal: AbortSignal.timeout(2_000),
  });
  await res.arrayBuffer();
  return res.ok;
}

/**
 * Starts pstest, then fake-gcs-server publishing finalize and delete notifications of every
 * bucket to `topic` in `projectId` on it (a no-op when ours are already running). Buckets may
 * also get notification configurations of their own (`bucket.createNotification`), to topics
 * created on pstest first.
 * @param {{ port?: number, pubsubPort?: number, projectId?: string, topic?: string, version?: string, log?: (line: string) => void }} [options]
 */
export async function startGcsEmulators({
  port,
  pubsubPort,
  projectId = DEFAULT_GCS_PROJECT,
  topic = DEFAULT_GCS_TOPIC,
  version = process.env.LAKERUNNER_DEV_FAKE_GCS_VERSION || DEFAULT_FAKE_GCS_VERSION,
  log = () => {},
} = {}) {
  const existing = readJson(STATE);
  if (isRunning(existing)) {
    if ((port !== undefined && port !== existing.fakeGcs.port) || projectId !== existing.projectId) {
      throw new Error(
        `GCS emulators of ours are already running (port ${existing.fakeGcs.port}, project ` +
          `${existing.projectId}); stop them first to start others`,
      );
    }
    await waitFor(() => gcsAnswers(existing.fakeGcs.port), {
      timeoutMs: 30_000,
      what: `the running fake-gcs-server on port ${existing.fakeGcs.port} to answer`,
    });
    return { ...describe(existing), alreadyRunning: true };
  }
  // One half of a pair left running is stopped: both are started fresh together.
  if (existing) await stopGcsEmulators();

  const pstest = installPstest(log);
  const fakeGcs = installFakeGcs(version, log);
  for (const p of [port, pubsubPort]) {
    if (p !== undefined && !(await portIsFree(p))) {
      throw new Error(`port ${p} on 127.0.0.1 is in use, so the GCS emulators cannot start there`);
    }
  }
  const dir = ensureDir(join(stateRoot, 'gcs'));
  const psPort = pubsubPort ?? (await freePort());
  const adminPort = await freePort();
  const psLog = join(dir, 'pstest.log');
  const psChild = spawnDetached(
    pstest.binary,
    [
      ...pstestMarker(psPort).split(' ').slice(1),
      '-topics',
      `projects/${projectId}/topics/${topic}`,
      '-admin-port',
      String(adminPort),
    ],
    psLog,
  );
  log(`starting pstest ${pstest.version} on 127.0.0.1:${psPort} (pid ${psChild.pid}, log ${psLog})`);
  const state = {
    projectId,
    topic,
    version,
    pstestVersion: pstest.version,
    pstest: { pid: psChild.pid, port: psPort, adminPort, log: psLog },
    startedAt: new Date().toISOString(),
  };
  await awaitReady(
    psChild,
    pstestMarker(psPort),
    `pstest on 127.0.0.1:${psPort}`,
    psLog,
    () => pstestAnswers(psLog, adminPort),
    100,
  );

  const gcsPort = port ?? (await freePort());
  const gcsLog = join(dir, 'fake-gcs-server.log');
  const gcsChild = spawnDetached(
    fakeGcs,
    [
      ...fakeGcsMarker(gcsPort).split(' ').slice(1),
      '-backend',
      'memory',
      // Resumable uploads continue at the URL the server hands out: make it the loopback one.
      '-external-url',
      `http://127.0.0.1:${gcsPort}`,
      '-event.pubsub-project-id',
      projectId,
      '-event.pubsub-topic',
      topic,
      '-event.list',
      'finalize,delete',
    ],
    gcsLog,
    { env: { ...process.env, PUBSUB_EMULATOR_HOST: `127.0.0.1:${psPort}` } },
  );
  state.fakeGcs = { pid: gcsChild.pid, port: gcsPort, log: gcsLog };
  writeJson(STATE, state);
  log(`starting fake-gcs-server ${version} on 127.0.0.1:${gcsPort} (pid ${gcsChild.pid}, log ${gcsLog})`);
  try {
    await awaitReady(
      gcsChild,
      fakeGcsMarker(gcsPort),
      `fake-gcs-server on 127.0.0.1:${gcsPort}`,
      gcsLog,
      () => gcsAnswers(gcsPort),
      100,
    );
  } catch (err) {
    await stopProcess(psChild.pid, { marker: pstestMarker(psPort) }).catch(() => {});
    removeFile(STATE);
    throw err;
  }
  return { ...describe(state), alreadyRunning: false };
}

export async function stopGcsEmulators() {
  const state = readJson(STATE);
  if (!state) return false;
  let stopped = false;
  // fake-gcs-server first: it publishes to pstest, never the other way round.
  if (state.fakeGcs) {
    stopped =
      (await stopProcess(state.fakeGcs.pid, { marker: fakeGcsMarker(state.fakeGcs.port) })) || stopped;
  }
  if (state.pstest) {
    stopped = (await stopProcess(state.pstest.pid, { marker: pstestMarker(state.pstest.port) })) || stopped;
  }
  removeFile(STATE);
  return stopped;
}

export async function gcsStatus() {
  const state = readJson(STATE);
  if (!isRunning(state)) return { running: false };
  const ready = await gcsAnswers(state.fakeGcs.port).catch(() => false);
  return { running: true, ready, ...describe(state) };
}
