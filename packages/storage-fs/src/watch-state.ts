import { randomUUID } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { Logger } from '@lakerunner/core';
import { CREATE_FLAGS, ensureDirectories, openObject } from './confined.js';
import { errnoCode } from './errors.js';

/**
 * What the watcher has announced, kept between runs: per key the version, and the file state
 * it was computed from, so that after a restart an unchanged file is recognised by a stat
 * instead of being hashed again. Older state files map keys to bare versions (then in the
 * store's former inode-mtime-size form); they are still read.
 */
export interface Delivered {
  version: string;
  /** fileState() of the announced file; absent when it was too fresh to vouch for. */
  state?: string;
}

interface StateFileV2 {
  v: 2;
  delivered: Record<string, Delivered>;
}

export async function loadDelivered(
  file: string,
  realRoot: string,
  log: Logger,
): Promise<Map<string, Delivered>> {
  let text: string;
  try {
    const handle = await openState(file, realRoot);
    if (!handle) return new Map();
    try {
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (err) {
    log.warn('cannot read the watch state; every object is announced again', { file, error: String(err) });
    return new Map();
  }
  try {
    const parsed = JSON.parse(text) as StateFileV2 | Record<string, string>;
    if (parsed.v === 2) return new Map(Object.entries((parsed as StateFileV2).delivered));
    return new Map(Object.entries(parsed as Record<string, string>).map(([k, version]) => [k, { version }]));
  } catch (err) {
    log.warn('the watch state is not valid JSON; every object is announced again', {
      file,
      error: String(err),
    });
    return new Map();
  }
}

/** Inside the bucket, the state is read like an object: no symlink on the way is followed. */
async function openState(file: string, realRoot: string): Promise<FileHandle | undefined> {
  const inside = insideRoot(realRoot, file);
  if (inside) return (await openObject(realRoot, inside))?.handle;
  try {
    return await open(file, 'r');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}

/** The path's names below the root, or undefined when it is not inside it. */
function insideRoot(realRoot: string, path: string): string[] | undefined {
  const rel = relative(realRoot, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? undefined : rel.split(sep);
}

/**
 * Writes the state atomically (temporary file, then rename). Inside the bucket its directory is
 * created without following symlinks, so a planted link cannot redirect the write.
 */
export async function saveDelivered(file: string, realRoot: string, delivered: Map<string, Delivered>) {
  const dir = dirname(file);
  const inside = insideRoot(realRoot, dir);
  if (inside) await ensureDirectories(realRoot, inside);
  else await mkdir(dir, { recursive: true });
  const temp = join(dir, `${basename(file)}.${randomUUID()}.tmp`);
  const body: StateFileV2 = { v: 2, delivered: Object.fromEntries(delivered) };
  try {
    const handle = await open(temp, CREATE_FLAGS, 0o666);
    try {
      await handle.writeFile(JSON.stringify(body));
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
