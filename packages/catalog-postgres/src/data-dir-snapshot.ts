import {
  type BigIntStats,
  closeSync,
  constants,
  copyFileSync,
  type Dirent,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  rmSync,
  statSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LakerunnerError, makeScratchDir } from '@lakerunner/core';

/**
 * A consistent copy of a PGlite data directory that another process may be writing.
 *
 * PGlite writes its files with plain write() calls (Emscripten's NODEFS), so at any instant the
 * directory holds what a killed PostgreSQL leaves behind, and opening a copy of that state runs
 * ordinary crash recovery. A file-by-file copy is no such instant: the writer can change one file
 * after it was copied and another before, and the copy then opens fine holding a state that
 * never existed. So every copy is checked once all files are copied: a file that is the same at
 * the check as when it was copied did not change in between, and all those spans contain the
 * moment the check began, so the copy is the directory as it was at that moment. Files that
 * changed are copied again and the check repeats, until one finds nothing or the time allowed runs out.
 *
 * The check must be quick, since it only passes when the writer pauses for its length. A file
 * whose last change was well before it was copied is checked by its status alone: a later write
 * would give it a later modification time. Only files changed just before their copy (the
 * write-ahead log, a page or two) are compared byte by byte. Synchronous calls on purpose: the
 * thread pool's round trips would stretch the check several times over.
 */
export interface SnapshotOptions {
  /** How long to keep trying for a check that finds nothing changed, in ms (default 10 s). */
  timeoutMs?: number;
  /** Pause after a failed check, in ms (default 25), for the writer to finish what it does. */
  pauseMs?: number;
}

/** Held by the process that has PostgreSQL open; a copy must not claim to be that process. */
const PROCESS_FILES = new Set(['postmaster.pid', 'postmaster.opts']);
/**
 * A file modified less than this before its copy is compared by content: timestamps come from a
 * coarse clock (a few ms), so a second write soon after the first may leave the same time.
 */
const HOT_NS = 1_000_000_000n;
const CHUNK = 1 << 20;

interface Copied {
  directory: boolean;
  /** Status before the copy; a change since shows in it. */
  stat: BigIntStats;
  /** Compare the bytes too: the status alone cannot tell. */
  hot: boolean;
}

export async function snapshotDataDir(
  dataDir: string,
  options: SnapshotOptions = {},
): Promise<{ dir: string; remove(): Promise<void> }> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  const dir = await makeScratchDir('catalog-snapshot');
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const copied = new Map<string, Copied>();
    let pending = listTree(dataDir);
    for (let attempts = 1; ; attempts++) {
      for (const [path, directory] of pending) copyEntry(dataDir, dir, path, directory, copied);
      const { changed, gone } = check(dataDir, dir, copied);
      if (changed.size === 0 && !gone) return { dir, remove };
      if (Date.now() >= deadline) throw busy(dataDir, timeoutMs, attempts);
      pending = changed;
      await sleep(options.pauseMs ?? 25);
    }
  } catch (err) {
    await remove();
    throw err;
  }
}

function busy(dataDir: string, timeoutMs: number, attempts: number): LakerunnerError {
  return new LakerunnerError(
    'LR_CATALOG_BUSY',
    `the PGlite catalog ${dataDir} kept changing while it was copied (${attempts} checks in ` +
      `${Math.round(timeoutMs / 1000)} s): ` +
      'the process that has it open writes without a pause. Retry when it is quieter, or use ' +
      'PostgreSQL (catalog.options.connectionString), which serves any number of readers.',
    { retriable: true },
  );
}

/** Relative path ('/'-separated) → is a directory; directories before what they hold. */
function listTree(root: string, prefix = ''): Map<string, boolean> {
  const out = new Map<string, boolean>();
  let found: Dirent[];
  try {
    found = readdirSync(join(root, prefix), { withFileTypes: true });
  } catch (err) {
    // Removed while we walk: the check reports what the copy holds of it as gone.
    if (isMissing(err)) return out;
    throw err;
  }
  for (const d of found) {
    if (!prefix && PROCESS_FILES.has(d.name)) continue;
    const path = prefix ? `${prefix}/${d.name}` : d.name;
    if (d.isDirectory()) {
      out.set(path, true);
      for (const [p, isDir] of listTree(root, path)) out.set(p, isDir);
    } else if (d.isFile()) out.set(path, false);
  }
  return out;
}

function copyEntry(
  from: string,
  to: string,
  path: string,
  directory: boolean,
  copied: Map<string, Copied>,
): void {
  try {
    const now = BigInt(Date.now()) * 1_000_000n;
    const stat = statSync(join(from, path), { bigint: true });
    if (directory) mkdirSync(join(to, path), { recursive: true });
    // A clone where the file system can make one (copy-on-write, instant); a plain copy elsewhere.
    else copyFileSync(join(from, path), join(to, path), constants.COPYFILE_FICLONE);
    const hot = now - stat.mtimeNs < HOT_NS || now - stat.ctimeNs < HOT_NS;
    copied.set(path, { directory, stat, hot });
  } catch (err) {
    // Deleted since it was listed: the check finds it gone, or not there to begin with.
    if (!isMissing(err)) throw err;
    copied.delete(path);
    rmSync(join(to, path), { recursive: true, force: true });
  }
}

/**
 * What differs between the source and the copy: entries new or changed (to be copied again),
 * and whether any went away (removed from the copy here).
 */
function check(
  from: string,
  to: string,
  copied: Map<string, Copied>,
): { changed: Map<string, boolean>; gone: boolean } {
  const changed = new Map<string, boolean>();
  // The files likeliest to change first: the sooner they are checked, the shorter the pause needed.
  const order = [...copied].sort(([, a], [, b]) => Number(b.hot) - Number(a.hot));
  for (const [path, entry] of order) {
    if (!unchanged(from, to, path, entry)) changed.set(path, entry.directory);
  }
  const now = listTree(from);
  for (const [path, directory] of now) if (!copied.has(path)) changed.set(path, directory);
  let gone = false;
  for (const path of [...copied.keys()]) {
    if (now.has(path)) continue;
    gone = true;
    changed.delete(path);
    copied.delete(path);
    rmSync(join(to, path), { recursive: true, force: true });
  }
  return { changed, gone };
}

function unchanged(from: string, to: string, path: string, entry: Copied): boolean {
  let stat: BigIntStats;
  try {
    stat = statSync(join(from, path), { bigint: true });
  } catch (err) {
    if (isMissing(err)) return false;
    throw err;
  }
  const same =
    stat.ino === entry.stat.ino &&
    stat.size === entry.stat.size &&
    stat.mtimeNs === entry.stat.mtimeNs &&
    stat.ctimeNs === entry.stat.ctimeNs;
  if (!same || entry.directory || !entry.hot) return same;
  return sameBytes(join(from, path), join(to, path));
}

function sameBytes(a: string, b: string): boolean {
  let fa: number | undefined;
  let fb: number | undefined;
  try {
    fa = openSync(a, 'r');
    fb = openSync(b, 'r');
    const ba = Buffer.allocUnsafe(CHUNK);
    const bb = Buffer.allocUnsafe(CHUNK);
    for (let at = 0; ; at += CHUNK) {
      const na = readSync(fa, ba, 0, CHUNK, at);
      const nb = readSync(fb, bb, 0, CHUNK, at);
      if (na !== nb || !ba.subarray(0, na).equals(bb.subarray(0, nb))) return false;
      if (na === 0) return true;
    }
  } catch (err) {
    if (isMissing(err)) return false;
    throw err;
  } finally {
    if (fa !== undefined) closeSync(fa);
    if (fb !== undefined) closeSync(fb);
  }
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
