import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { Logger } from '@lakerunner/core';
import { CREATE_FLAGS, ensureDirectories } from './confined.js';
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

export async function loadDelivered(file: string, log: Logger): Promise<Map<string, Delivered>> {
  let text: string;
  try {
    // O_NOFOLLOW: a symlink planted in place of the state file is not read.
    const handle = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    try {
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') {
      log.warn('cannot read the watch state; every object is announced again', { file, error: String(err) });
    }
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

/**
 * Writes the state atomically (temporary file, then rename). Inside the bucket its directory is
 * created without following symlinks, so a planted link cannot redirect the write.
 */
export async function saveDelivered(file: string, realRoot: string, delivered: Map<string, Delivered>) {
  const dir = dirname(file);
  const inside = relative(realRoot, dir);
  if (inside !== '' && !inside.startsWith('..') && !inside.startsWith(sep)) {
    await ensureDirectories(realRoot, inside.split(sep));
  } else if (inside !== '') {
    await mkdir(dir, { recursive: true });
  }
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
