import { type BigIntStats, constants } from 'node:fs';
import { type FileHandle, lstat, mkdir, open, readlink, realpath, unlink } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { errnoCode, SymlinkRefusal, unavailable } from './errors.js';

/**
 * Path operations that never follow a symlink inside the bucket. The root itself may be a
 * symlink (it is resolved once, by `realpath`); below it, a symlinked file is not an object and
 * a symlinked directory is not a way in. Every function takes the root's real path and works on
 * lexical paths under it, so "no symlink on the way" is the same as "the real path is the
 * lexical path".
 */

// O_NOFOLLOW refuses a symlink as the last component; O_NONBLOCK keeps a planted FIFO from
// blocking the open (it is then found not to be a regular file).
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
export const CREATE_FLAGS =
  constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
/** Attempts at opening an object that is being replaced while we look at it. */
const OPEN_ATTEMPTS = 3;

const rel = (realRoot: string, path: string) => relative(realRoot, path).split(sep).join('/') || '.';

export interface OpenedObject {
  handle: FileHandle;
  stat: BigIntStats;
}

/**
 * Opens the regular file at `names` for reading. undefined when there is none (missing, a
 * directory, a FIFO or device); throws SymlinkRefusal when the file or a directory on its path
 * is a symlink. The check runs on the open descriptor, so swapping a directory for a symlink
 * between a check and the open does not get a file from elsewhere read.
 */
export async function openObject(
  realRoot: string,
  names: readonly string[],
): Promise<OpenedObject | undefined> {
  const path = join(realRoot, ...names);
  for (let attempt = 1; ; attempt++) {
    let handle: FileHandle;
    try {
      handle = await open(path, READ_FLAGS);
    } catch (err) {
      const code = errnoCode(err);
      // ELOOP is Linux's and macOS's answer to O_NOFOLLOW on a symlink, EMLINK FreeBSD's.
      if (code === 'ELOOP' || code === 'EMLINK') throw new SymlinkRefusal(rel(realRoot, path));
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw err;
    }
    let keep = false;
    try {
      const stat = await handle.stat({ bigint: true });
      if (!stat.isFile()) return undefined;
      const where = await locate(realRoot, path, handle, stat);
      if (where === 'symlink') throw new SymlinkRefusal(rel(realRoot, dirname(path)));
      if (where === 'here') {
        keep = true;
        return { handle, stat };
      }
      if (attempt >= OPEN_ATTEMPTS) {
        throw unavailable(
          `open ${rel(realRoot, path)}`,
          new Error('the object kept changing while it was opened'),
        );
      }
    } finally {
      if (!keep) await handle.close();
    }
  }
}

/**
 * Where the opened file is. 'here': at `path`, reached through real directories. 'symlink': a
 * directory on the way is a symlink, or the file is outside the root. 'changed': replaced or
 * moved inside the root while we looked (try again). On Linux /proc/self/fd names the file the
 * descriptor holds, whatever happened to the path; elsewhere the parent's real path and the
 * inode at the path now stand in for it.
 */
async function locate(
  realRoot: string,
  path: string,
  handle: FileHandle,
  stat: BigIntStats,
): Promise<'here' | 'symlink' | 'changed'> {
  const held = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => undefined);
  if (held === path) return 'here';
  const parent = dirname(path);
  const realParent = await realpath(parent).catch(() => undefined);
  if (realParent !== undefined && realParent !== parent) return 'symlink';
  if (held !== undefined) return held.startsWith(realRoot + sep) ? 'changed' : 'symlink';
  const now = await lstat(path, { bigint: true }).catch(() => undefined);
  const same = now !== undefined && now.ino === stat.ino && now.dev === stat.dev;
  return same && realParent === parent ? 'here' : 'changed';
}

/**
 * Creates the directories `names` under the root as needed and returns the last one's path;
 * refuses to go through a symlink. (Between this check and the caller's write a directory could
 * still be swapped for a symlink; `confirmPlaced` catches that after the fact.)
 */
export async function ensureDirectories(realRoot: string, names: readonly string[]): Promise<string> {
  let dir = realRoot;
  for (const name of names) {
    dir = join(dir, name);
    let s = await lstat(dir).catch(missing);
    if (s === undefined) {
      await mkdir(dir).catch((err) => {
        if (errnoCode(err) !== 'EEXIST') throw err;
      });
      s = await lstat(dir);
    }
    if (s.isSymbolicLink()) throw new SymlinkRefusal(rel(realRoot, dir));
    if (!s.isDirectory()) throw new Error(`${rel(realRoot, dir)} exists and is not a directory`);
  }
  return dir;
}

/** Refuses when `path` itself is a symlink (a write would replace it, a delete remove it). */
export async function refuseSymlinkAt(realRoot: string, path: string): Promise<BigIntStats | undefined> {
  const s = await lstat(path, { bigint: true }).catch(missing);
  if (s?.isSymbolicLink()) throw new SymlinkRefusal(rel(realRoot, path));
  return s;
}

/** Refuses when a directory between the root and `path` is a symlink. */
export async function refuseSymlinkAbove(realRoot: string, path: string): Promise<void> {
  const parent = dirname(path);
  if ((await realpath(parent)) !== parent) throw new SymlinkRefusal(rel(realRoot, parent));
}

/**
 * After a rename or link into `target`: if a directory on the way was swapped for a symlink
 * during the write, the file landed outside; take it back out (when it is still ours) and refuse.
 */
export async function confirmPlaced(realRoot: string, target: string, written: BigIntStats): Promise<void> {
  const parent = dirname(target);
  const realParent = await realpath(parent);
  if (realParent === parent) return;
  const landed = join(realParent, relative(parent, target));
  const s = await lstat(landed, { bigint: true }).catch(missing);
  if (s !== undefined && s.ino === written.ino && s.dev === written.dev) await unlink(landed).catch(() => {});
  throw new SymlinkRefusal(rel(realRoot, parent));
}

/** undefined for a path that does not exist (or runs through a non-directory); rethrows the rest. */
export function missing(err: unknown): undefined {
  const code = errnoCode(err);
  if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
  throw err;
}
