import { createHash, type Hash } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/**
 * An object's version is a hash of its bytes: the same bytes rewritten under a key are the same
 * object (not ingested twice), different bytes are a new one. Hashing reads the whole file, so
 * a version is remembered per file state, (device, inode, size, mtime, ctime): a rescan of
 * unchanged files stats them and hashes nothing. ctime is in the key because nobody can set it,
 * unlike mtime (`touch -d`, `cp -p`, tar), so a rewrite that restores size and mtime still
 * changes the state.
 */

/** 128 bits of SHA-256: far beyond any collision risk, and short in keys and catalog rows. */
const VERSION_HEX_CHARS = 32;
/** Read size while hashing: large enough for disk throughput, small enough to stay in cache. */
const CHUNK_BYTES = 1 << 20;
/** Remembered states (~200 bytes each); the least recently used is dropped beyond this. */
const CACHE_LIMIT = 100_000;
/**
 * A state whose ctime is this close to now is "racy" (as git calls it): a same-size rewrite in the
 * same timestamp tick would leave it unchanged, so its hash is not remembered and it is hashed
 * again until it is older. Generous, for coarse timestamps and network file systems.
 */
const RACY_MS = 2000;

/** Identifies one state of one file, as far as a stat can tell. */
export function fileState(s: BigIntStats): string {
  return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
}

export function isRacy(s: BigIntStats, now = Date.now()): boolean {
  return Math.abs(now - Number(s.ctimeMs)) < RACY_MS;
}

/** The version the store used before content hashes, to recognise state written by it. */
export function legacyVersion(s: BigIntStats): string {
  return `${s.ino}-${s.mtimeNs}-${s.size}`;
}

export function contentHash(): Hash {
  return createHash('sha256');
}

export function versionOf(hash: Hash): string {
  return hash.digest('hex').slice(0, VERSION_HEX_CHARS);
}

// Shared by every store and watcher of the process: the key is a file state, not a path.
const cache = new Map<string, string>();

function rememberVersion(s: BigIntStats, version: string): void {
  const key = fileState(s);
  cache.delete(key);
  cache.set(key, version);
  if (cache.size > CACHE_LIMIT) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
}

function cachedVersion(s: BigIntStats): string | undefined {
  const key = fileState(s);
  const version = cache.get(key);
  if (version !== undefined) {
    cache.delete(key);
    cache.set(key, version);
  }
  return version;
}

/**
 * The version of an open file whose stat is `before`: from the cache, or by streaming it through
 * SHA-256 (memory stays at one chunk whatever the size; time is one read of the file). A file
 * that changed while it was read still gets a version, but it is not remembered.
 */
export async function fileVersion(handle: FileHandle, before: BigIntStats): Promise<string> {
  const hit = cachedVersion(before);
  if (hit !== undefined) return hit;
  const hash = contentHash();
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  for (let position = 0; ; ) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) break;
    hash.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
  const version = versionOf(hash);
  const after = await handle.stat({ bigint: true });
  if (fileState(after) === fileState(before) && !isRacy(after)) rememberVersion(after, version);
  return version;
}
