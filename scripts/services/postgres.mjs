// A throwaway PostgreSQL cluster for development and tests: installed from Debian packages when
// missing, initialised in a temporary directory, served on a free loopback port, removed on stop.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  commandExists,
  ensureDir,
  freePort,
  isOurProcess,
  readJson,
  removeFile,
  run,
  stateRoot,
  waitFor,
  writeJson,
} from './process.mjs';

export const DATABASE_NAME = 'lakerunner';
const STATE = join(stateRoot, 'postgres', 'state.json');
const isRoot = process.getuid?.() === 0;

/** Directory holding initdb/pg_ctl, newest installed major first. */
function findBinDir() {
  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    const majors = readdirSync(debianRoot)
      .filter((v) => existsSync(join(debianRoot, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (majors[0]) return join(debianRoot, majors[0], 'bin');
  }
  if (commandExists('initdb') && commandExists('pg_ctl')) {
    return run('sh', ['-c', 'dirname "$(command -v initdb)"']).trim();
  }
  return undefined;
}

function installPostgres(log) {
  if (!isRoot || !commandExists('apt-get')) {
    throw new Error(
      'PostgreSQL server binaries (initdb, pg_ctl) were not found. Install PostgreSQL ' +
        '(Debian/Ubuntu: apt-get install postgresql) or set DATABASE_URL to an existing server.',
    );
  }
  log('installing PostgreSQL from Debian packages…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'postgresql'], { env });
}

/** PostgreSQL refuses to run as root, so as root every server command runs as `postgres`. */
function asServerUser(bin, args) {
  return isRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

function serverRun(bin, args) {
  const [cmd, argv] = asServerUser(bin, args);
  return run(cmd, argv);
}

function describe(state) {
  return {
    url: `postgres://postgres@127.0.0.1:${state.port}/${DATABASE_NAME}`,
    port: state.port,
    pid: state.pid,
    dataDir: state.dataDir,
  };
}

function postmasterPid(dataDir) {
  try {
    return Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
}

function isRunning(state) {
  return Boolean(state) && isOurProcess(postmasterPid(state.dataDir), 'postgres');
}

/** @param {{ port?: number, log?: (line: string) => void }} [options] */
export async function startPostgres({ port, log = () => {} } = {}) {
  const existing = readJson(STATE);
  if (isRunning(existing)) return { ...describe(existing), alreadyRunning: true };
  if (existing) await stopPostgres();

  let bin = findBinDir();
  if (!bin) {
    installPostgres(log);
    bin = findBinDir();
    if (!bin) throw new Error('PostgreSQL was installed but initdb/pg_ctl are still not found');
  }
  const chosenPort = port ?? (await freePort());
  const dataDir = join(tmpdir(), `lakerunner-postgres-${chosenPort}`);
  rmSync(dataDir, { recursive: true, force: true });
  ensureDir(dataDir);
  if (isRoot) run('chown', ['postgres:postgres', dataDir]);

  log(`initialising a throwaway PostgreSQL cluster in ${dataDir}`);
  serverRun(join(bin, 'initdb'), [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-locale',
  ]);
  serverRun(join(bin, 'pg_ctl'), [
    '-D',
    dataDir,
    '-l',
    join(dataDir, 'server.log'),
    '-w',
    '-t',
    '60',
    // Durability settings are off on purpose: the cluster is disposable and tests want speed.
    '-o',
    `-p ${chosenPort} -k ${dataDir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
    'start',
  ]);
  const state = { port: chosenPort, dataDir, bin, pid: postmasterPid(dataDir) };
  writeJson(STATE, state);
  await waitFor(
    () => {
      serverRun(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(chosenPort), '-U', 'postgres']);
      return true;
    },
    { timeoutMs: 30_000, what: `PostgreSQL on port ${chosenPort}` },
  );
  serverRun(join(bin, 'createdb'), [
    '-h',
    '127.0.0.1',
    '-p',
    String(chosenPort),
    '-U',
    'postgres',
    DATABASE_NAME,
  ]);
  log(`PostgreSQL ready at ${describe(state).url}`);
  return { ...describe(state), alreadyRunning: false };
}

export async function stopPostgres() {
  const state = readJson(STATE);
  if (!state) return false;
  const wasRunning = isRunning(state);
  if (wasRunning) serverRun(join(state.bin, 'pg_ctl'), ['-D', state.dataDir, '-m', 'fast', '-w', 'stop']);
  rmSync(state.dataDir, { recursive: true, force: true });
  removeFile(STATE);
  return wasRunning;
}

/**
 * Stops the running cluster without deleting it, and starts it again on the same port and data:
 * a database outage, for the fault tests.
 */
export async function pausePostgres() {
  const state = readJson(STATE);
  if (!isRunning(state)) throw new Error('no PostgreSQL cluster of ours is running');
  serverRun(join(state.bin, 'pg_ctl'), ['-D', state.dataDir, '-m', 'fast', '-w', 'stop']);
}

export async function resumePostgres() {
  const state = readJson(STATE);
  if (!state) throw new Error('no PostgreSQL cluster of ours exists');
  if (isRunning(state)) return;
  serverRun(join(state.bin, 'pg_ctl'), [
    '-D',
    state.dataDir,
    '-l',
    join(state.dataDir, 'server.log'),
    '-w',
    '-t',
    '60',
    '-o',
    `-p ${state.port} -k ${state.dataDir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
    'start',
  ]);
  writeJson(STATE, { ...state, pid: postmasterPid(state.dataDir) });
}

export async function postgresStatus() {
  const state = readJson(STATE);
  return isRunning(state) ? { running: true, ...describe(state) } : { running: false };
}
