import type { Dirent } from 'node:fs';
import { readdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { validateObjectKey } from '@lakerunner/core';
import { errnoCode } from './errors.js';

/**
 * Why an entry of the tree is not an object: a hidden name (starts with '.'), a symlink (never
 * followed), a FIFO/socket/device, a name that is not a valid key (a backslash, too long), or a
 * directory that could not be read.
 */
export type SkipReason = 'hidden' | 'symlink' | 'special' | 'invalid-key' | 'unreadable';

export type WalkEntry =
  | { kind: 'file'; key: string; path: string }
  | { kind: 'skip'; key: string; path: string; reason: SkipReason; error?: unknown };

export interface WalkOptions {
  /** Entries for which this is false are passed over silently: not yielded, not descended into. */
  include?: (key: string, isDirectory: boolean) => boolean;
  /**
   * A start directory that is missing, not a directory or a symlink throws (a watched root must
   * be there); otherwise it is an empty listing (a prefix naming nothing, or a skip).
   */
  strict?: boolean;
}

/** How the directory is reached: as a strict or lenient start, or while descending. */
type Reach = 'strict' | 'lenient' | 'nested';

/**
 * The files under `startKey` (a directory key, '' for the root), in key order, and every entry
 * that is not an object, as a 'skip' with its reason, for the caller to report. Lazy: a
 * directory is read when the walk gets to it. A start directory that cannot be read throws;
 * any other unreadable directory is a skip and the walk goes on.
 */
export async function* walkTree(
  realRoot: string,
  startKey: string,
  options: WalkOptions = {},
): AsyncGenerator<WalkEntry> {
  const start = startKey ? join(realRoot, ...startKey.split('/')) : realRoot;
  yield* walkDirectory(
    start,
    startKey,
    options.include ?? (() => true),
    options.strict ? 'strict' : 'lenient',
  );
}

async function* walkDirectory(
  dir: string,
  dirKey: string,
  include: (key: string, isDirectory: boolean) => boolean,
  reach: Reach,
): AsyncGenerator<WalkEntry> {
  let entries: Dirent[];
  try {
    // Entries are classified without following links, but a directory could have been swapped
    // for a symlink since its parent was read: readdir would follow it, realpath notices.
    if ((await realpath(dir)) !== dir) {
      if (reach === 'strict') throw new Error(`${dir} is now a symlink, which is not followed`);
      yield { kind: 'skip', key: dirKey, path: dir, reason: 'symlink' };
      return;
    }
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    const code = errnoCode(err);
    if (reach === 'strict') throw err;
    if (code === 'ENOENT' || (reach === 'lenient' && code === 'ENOTDIR')) return;
    if (reach === 'lenient') throw err;
    yield { kind: 'skip', key: dirKey, path: dir, reason: 'unreadable', error: err };
    return;
  }
  // Sorting by name with '/' appended to directories gives the same order as sorting full keys.
  const sorted = entries
    .map((e) => ({ e, sortKey: e.isDirectory() ? `${e.name}/` : e.name }))
    .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  for (const { e } of sorted) {
    const key = dirKey ? `${dirKey}/${e.name}` : e.name;
    const path = join(dir, e.name);
    const isDirectory = e.isDirectory();
    if (!include(key, isDirectory)) continue;
    const reason = skipReason(e, key);
    if (reason) yield { kind: 'skip', key, path, reason };
    else if (isDirectory) yield* walkDirectory(path, key, include, 'nested');
    else yield { kind: 'file', key, path };
  }
}

function skipReason(e: Dirent, key: string): SkipReason | undefined {
  if (e.name.startsWith('.')) return 'hidden';
  if (e.isSymbolicLink()) return 'symlink';
  if (!e.isDirectory() && !e.isFile()) return 'special';
  // A directory's own name must leave room for the keys below it.
  if (!isValidKey(e.isDirectory() ? `${key}/x` : key)) return 'invalid-key';
  return undefined;
}

function isValidKey(key: string): boolean {
  try {
    validateObjectKey(key);
    return true;
  } catch {
    return false;
  }
}
