import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { link, mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  isLakerunnerError,
  LakerunnerError,
  type ObjectInfo,
  type ObjectStore,
  type PutOptions,
  validateObjectKey,
} from '@lakerunner/core';

/** Where in-progress writes live, inside the root so that the final rename stays on one device. */
export const TEMP_DIR = '.lakerunner-tmp';

export interface FsStoreOptions {
  /** The directory that plays the bucket. Created if missing. */
  root: string;
  /** Name used as the bucket in notifications and catalog rows; default: the directory name. */
  bucket?: string;
}

/**
 * A local directory as an object store, the embedded default. Writes go to a temporary file and
 * are renamed into place, so readers never see half an object; a conditional write links the
 * temporary file to its key, which the kernel refuses atomically when the key exists.
 */
export function createFsStore(options: FsStoreOptions): ObjectStore {
  const root = resolve(options.root);
  const bucket = options.bucket ?? basename(root);
  const pathOf = (key: string) => join(root, ...validateObjectKey(key).split('/'));

  async function info(key: string, path: string): Promise<ObjectInfo | undefined> {
    try {
      const s = await stat(path, { bigint: true });
      if (!s.isFile()) return undefined;
      return {
        key,
        size: Number(s.size),
        // A rename gives a new inode, so replacing an object always changes its version.
        version: `${s.ino}-${s.mtimeNs}-${s.size}`,
        modifiedAt: new Date(Number(s.mtimeMs)),
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw unavailable(`stat ${key}`, err);
    }
  }

  return {
    bucket,

    async get(key) {
      try {
        const handle = await open(pathOf(key), 'r');
        return handle.createReadStream();
      } catch (err) {
        throw notFoundOr(key, err);
      }
    },

    async getBytes(key) {
      try {
        return await readFile(pathOf(key));
      } catch (err) {
        throw notFoundOr(key, err);
      }
    },

    async put(key, body, putOptions: PutOptions = {}) {
      const target = pathOf(key);
      const temp = join(root, TEMP_DIR, `${randomUUID()}.part`);
      try {
        await mkdir(dirname(temp), { recursive: true });
        await mkdir(dirname(target), { recursive: true });
        const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
        await pipeline(source, createWriteStream(temp, { flags: 'wx' }));
        if (putOptions.ifNoneMatch) {
          try {
            await link(temp, target);
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
              throw new LakerunnerError(
                'LR_STORAGE_PRECONDITION',
                `object ${key} already exists in ${bucket}`,
              );
            }
            throw err;
          }
          await unlink(temp);
        } else {
          await rename(temp, target);
        }
      } catch (err) {
        await rm(temp, { force: true });
        if (isLakerunnerError(err)) throw err;
        throw unavailable(`put ${key}`, err);
      }
      const written = await info(key, target);
      if (!written) throw unavailable(`put ${key}`, new Error('object vanished right after the write'));
      return written;
    },

    head: (key) => info(key, pathOf(key)),

    async *list(prefix = '') {
      // Start the walk at the deepest directory the prefix names; filter the rest by prefix.
      const dirPart = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
      const start = dirPart ? join(root, ...dirPart.split('/')) : root;
      for await (const key of walk(root, start)) {
        if (!key.startsWith(prefix)) continue;
        const found = await info(key, join(root, ...key.split('/')));
        if (found) yield found;
      }
    },

    async delete(key) {
      try {
        await rm(pathOf(key), { force: true });
      } catch (err) {
        throw unavailable(`delete ${key}`, err);
      }
    },
  };
}

/** Keys under `dir`, in key order, skipping the temporary-write directory and hidden entries. */
async function* walk(root: string, dir: string): AsyncGenerator<string> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw unavailable(`list ${dir}`, err);
  }
  // Sorting by name with '/' appended to directories gives the same order as sorting full keys.
  const named = entries
    .filter((e) => !e.name.startsWith('.'))
    .map((e) => ({ e, sortKey: e.isDirectory() ? `${e.name}/` : e.name }))
    .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  for (const { e } of named) {
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* walk(root, path);
    else if (e.isFile())
      yield path
        .slice(root.length + 1)
        .split(sep)
        .join('/');
  }
}

function notFoundOr(key: string, err: unknown): LakerunnerError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'EISDIR') {
    return new LakerunnerError('LR_STORAGE_NOT_FOUND', `object ${key} does not exist`);
  }
  if (isLakerunnerError(err)) return err;
  return unavailable(`get ${key}`, err);
}

function unavailable(what: string, err: unknown): LakerunnerError {
  return new LakerunnerError('LR_STORAGE_UNAVAILABLE', `${what} failed: ${(err as Error).message}`, {
    retriable: true,
    cause: err,
  });
}
