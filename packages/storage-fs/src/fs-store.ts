import { stat, unlink } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import {
  isLakerunnerError,
  LakerunnerError,
  type ListOptions,
  type Logger,
  type ObjectInfo,
  type ObjectStore,
  type PutOptions,
  type RuntimeMetrics,
  silentLogger,
  validateObjectKey,
} from '@lakerunner/core';
import { missing, openObject, refuseSymlinkAbove, refuseSymlinkAt } from './confined.js';
import { fileVersion } from './content-version.js';
import { notFound, SymlinkRefusal, unavailable } from './errors.js';
import { createOnce } from './once.js';
import { realRootOf } from './root-dir.js';
import { type WalkEntry, walkTree } from './walk.js';
import { writeObject } from './write-object.js';

/**
 * Root-level names starting with `.lakerunner-` are lakerunner's own (temporary writes, watch
 * state): hidden like any dot-name, but skipped without a word since they are skipped on purpose.
 */
export function isOwnEntry(key: string): boolean {
  return key.startsWith('.lakerunner-') && !key.includes('/');
}

export interface FsStoreOptions {
  /** The directory that plays the bucket. Created if missing. */
  root: string;
  /** Name used as the bucket in notifications and catalog rows; default: the directory name. */
  bucket?: string;
  /** Where refused operations and skipped entries are reported. */
  log?: Logger;
  /** `storageRefused` counts operations refused because of a symlink. */
  metrics?: RuntimeMetrics;
}

/**
 * A local directory as an object store, the embedded default. Writes go to a temporary file and
 * are renamed into place, so readers never see half an object; a conditional write links the
 * temporary file to its key, which the kernel refuses atomically when the key exists. Symlinks
 * inside the root are never followed (see confined.ts), and an object's version is a hash of
 * its bytes (see content-version.ts).
 */
export function createFsStore(options: FsStoreOptions): ObjectStore {
  const root = resolve(options.root);
  const bucket = options.bucket ?? basename(root);
  const log = options.log ?? silentLogger;
  const realRoot = realRootOf(root);
  const listSkips = createOnce();

  function refused(op: string, key: string, refusal: SymlinkRefusal): LakerunnerError {
    log.warn('refused a storage operation through a symlink', { store: 'fs', op, key, at: refusal.at, root });
    options.metrics?.storageRefused.inc({ store: 'fs', reason: 'symlink' });
    return new LakerunnerError(
      'LR_STORAGE_KEY_INVALID',
      `object key ${JSON.stringify(key)}: refused a symlink at ${refusal.at} (this store does not follow symlinks inside its bucket)`,
    );
  }

  /** Runs one operation on a key: refusals are reported, other failures become retriable. */
  async function guarded<T>(op: string, key: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof SymlinkRefusal) throw refused(op, key, err);
      if (isLakerunnerError(err)) throw err;
      throw unavailable(`${op} ${key}`, err);
    }
  }

  /**
   * The bucket directory itself missing (unmounted, moved away for a moment) says nothing about
   * the object: that is the store being unavailable, retried, never "the object is gone".
   */
  async function existingRoot(): Promise<string> {
    const real = await realRoot(false);
    const isDirectory =
      real !== undefined &&
      (await stat(real).then(
        (s) => s.isDirectory(),
        () => false,
      ));
    if (!isDirectory) throw unavailable('open the bucket', new Error(`the directory ${root} is not there`));
    return real;
  }

  async function openExisting(key: string, names: string[]) {
    const opened = await openObject(await existingRoot(), names);
    if (!opened) throw notFound(key);
    return opened;
  }

  async function describe(key: string, names: string[], versions = true): Promise<ObjectInfo | undefined> {
    const opened = await openObject(await existingRoot(), names);
    if (!opened) return undefined;
    try {
      const version = versions ? await fileVersion(opened.handle, opened.stat) : '';
      return {
        key,
        size: Number(opened.stat.size),
        version,
        modifiedAt: new Date(Number(opened.stat.mtimeMs)),
      };
    } finally {
      await opened.handle.close();
    }
  }

  /** Listing skips what is not an object; it says so once per path, and fails on what it cannot read. */
  function reportListSkip(prefix: string, entry: Extract<WalkEntry, { kind: 'skip' }>) {
    if (entry.reason === 'unreadable') throw unavailable(`list ${prefix}`, entry.error);
    if (!listSkips.first(`${entry.key}\0${entry.reason}`)) return;
    log.warn('listing skipped an entry that is not an object', {
      store: 'fs',
      key: entry.key,
      reason: entry.reason,
      root,
    });
    if (entry.reason === 'symlink') options.metrics?.storageRefused.inc({ store: 'fs', reason: 'symlink' });
  }

  return {
    bucket,

    async get(key) {
      const names = validateObjectKey(key).split('/');
      return guarded('get', key, async () => {
        const { handle } = await openExisting(key, names);
        return handle.createReadStream({ start: 0 });
      });
    },

    async getBytes(key) {
      const names = validateObjectKey(key).split('/');
      return guarded('get', key, async () => {
        const { handle } = await openExisting(key, names);
        try {
          return await handle.readFile();
        } finally {
          await handle.close();
        }
      });
    },

    async put(key, body, putOptions: PutOptions = {}) {
      const names = validateObjectKey(key).split('/');
      return guarded('put', key, async () => {
        const real = await realRoot(true);
        if (real === undefined) throw new Error('the root directory could not be created');
        const written = await writeObject(real, names, body, putOptions.ifNoneMatch === true);
        if (written === 'exists') {
          throw new LakerunnerError('LR_STORAGE_PRECONDITION', `object ${key} already exists in ${bucket}`);
        }
        return { key, ...written };
      });
    },

    async head(key) {
      const names = validateObjectKey(key).split('/');
      return guarded('head', key, () => describe(key, names));
    },

    async *list(prefix = '', listOptions: ListOptions = {}) {
      // Start the walk at the deepest directory the prefix names; filter the rest by prefix.
      const dirPart = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
      if (dirPart) validateObjectKey(dirPart);
      const real = await guarded('list', prefix, () => realRoot(false));
      if (real === undefined) return;
      const include = (key: string, isDirectory: boolean) =>
        !isOwnEntry(key) &&
        (isDirectory ? `${key}/`.startsWith(prefix) || prefix.startsWith(`${key}/`) : key.startsWith(prefix));
      const walk = walkTree(real, dirPart, { include });
      for (;;) {
        const next = await guarded('list', prefix, () => walk.next());
        if (next.done) return;
        const entry = next.value;
        if (entry.kind === 'skip') {
          reportListSkip(prefix, entry);
          continue;
        }
        try {
          const found = await describe(entry.key, entry.key.split('/'), listOptions.versions ?? true);
          if (found) yield found;
        } catch (err) {
          // Swapped for a symlink since the directory was read: skip it like the walk would.
          if (isLakerunnerError(err)) throw err;
          if (!(err instanceof SymlinkRefusal)) throw unavailable(`list ${prefix}`, err);
          reportListSkip(prefix, { kind: 'skip', key: entry.key, path: entry.path, reason: 'symlink' });
        }
      }
    },

    async delete(key) {
      const names = validateObjectKey(key).split('/');
      return guarded('delete', key, async () => {
        const real = await realRoot(false);
        if (real === undefined) return;
        const path = join(real, ...names);
        const found = await refuseSymlinkAt(real, path);
        // A directory or a FIFO is not an object: deleting "it" deletes nothing.
        if (!found?.isFile()) return;
        await refuseSymlinkAbove(real, path);
        await unlink(path).catch(missing);
      });
    },
  };
}
