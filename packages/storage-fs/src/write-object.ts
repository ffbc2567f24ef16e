import { randomUUID } from 'node:crypto';
import { type FileHandle, link, open, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { CREATE_FLAGS, confirmPlaced, ensureDirectories, refuseSymlinkAt } from './confined.js';
import { contentHash, versionOf } from './content-version.js';
import { errnoCode } from './errors.js';

/** Where in-progress writes live, inside the root so that the final rename stays on one device. */
export const TEMP_DIR = '.lakerunner-tmp';

export interface Written {
  size: number;
  version: string;
  modifiedAt: Date;
}

/**
 * Writes an object: into a temporary file, hashing the bytes on the way, then renamed (or, for
 * a conditional write, linked) to its key, so readers never see half an object. No directory on
 * the way may be a symlink, nor the key itself. 'exists' when `ifNoneMatch` found the key taken.
 */
export async function writeObject(
  realRoot: string,
  names: readonly string[],
  body: Buffer | Readable,
  ifNoneMatch: boolean,
): Promise<Written | 'exists'> {
  const tempDir = await ensureDirectories(realRoot, [TEMP_DIR]);
  const target = join(await ensureDirectories(realRoot, names.slice(0, -1)), names.at(-1) as string);
  await refuseSymlinkAt(realRoot, target);
  const temp = join(tempDir, `${randomUUID()}.part`);
  const handle = await open(temp, CREATE_FLAGS, 0o666);
  try {
    const version = await writeHashed(handle, body);
    const written = await handle.stat({ bigint: true });
    if (!(await place(temp, target, ifNoneMatch))) {
      await rm(temp, { force: true });
      return 'exists';
    }
    await confirmPlaced(realRoot, target, written);
    // Not put in the version cache: the file is fresh, so a same-size rewrite within the same
    // timestamp tick could hide behind its state (see content-version.ts).
    return { size: Number(written.size), version, modifiedAt: new Date(Number(written.mtimeMs)) };
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  } finally {
    await handle.close();
  }
}

/** Writes the body to the temporary file and returns the version of what was written. */
async function writeHashed(handle: FileHandle, body: Buffer | Readable): Promise<string> {
  const hash = contentHash();
  if (Buffer.isBuffer(body)) {
    hash.update(body);
    await handle.writeFile(body);
    return versionOf(hash);
  }
  for await (const chunk of body) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    hash.update(bytes);
    // Each writeFile continues at the handle's position and writes the whole chunk.
    await handle.writeFile(bytes);
  }
  return versionOf(hash);
}

/** Moves the temporary file to its key; false when `ifNoneMatch` and the key exists. */
async function place(temp: string, target: string, ifNoneMatch: boolean): Promise<boolean> {
  if (!ifNoneMatch) {
    await rename(temp, target);
    return true;
  }
  try {
    await link(temp, target);
  } catch (err) {
    if (errnoCode(err) === 'EEXIST') return false;
    throw err;
  }
  await unlink(temp);
  return true;
}
