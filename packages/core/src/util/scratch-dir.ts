import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProcessRunning } from './process-running.js';

/**
 * Scratch directories under the system's temporary directory, named for the host and process
 * that own them: `lakerunner-<purpose>-<host>-<pid>-XXXXXX`. Their owners remove them when done,
 * but a process killed mid-work (SIGKILL, out of memory) cannot, and compaction's scratch holds
 * whole segments. So the first scratch directory a process makes also removes those of
 * processes of this host that are gone. The host is part of the name because processes of
 * other hosts (containers sharing a volume) are not ours to judge by pid.
 */
export async function makeScratchDir(purpose: string, parent: string = tmpdir()): Promise<string> {
  sweeping ??= removeOrphans(parent).then(
    () => {},
    () => {},
  );
  await sweeping;
  return mkdtemp(join(parent, `${PREFIX}${purpose}-${HOST}-${process.pid}-`));
}

const PREFIX = 'lakerunner-';
/** The host in a form that cannot contain the name's separator. */
const HOST = hostname().replace(/[^A-Za-z0-9]/g, '_') || 'host';
let sweeping: Promise<void> | undefined;

/** Removes the scratch directories of this host's processes that no longer run. */
export async function removeOrphans(parent: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(parent)) {
    if (!name.startsWith(PREFIX)) continue;
    // purpose may contain '-'; host, pid and mkdtemp's suffix cannot.
    const parts = name.split('-');
    const pid = Number(parts.at(-2));
    if (parts.length < 5 || parts.at(-3) !== HOST || !Number.isInteger(pid) || pid <= 0) continue;
    if (pid === process.pid || isProcessRunning(pid)) continue;
    await rm(join(parent, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
