import type { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { LakerunnerError } from '@lakerunner/core';

/**
 * Compression is recognised by its magic bytes, not by the key: a `.gz` that is not gzip is read
 * as it is, and a gzip without `.gz` is still unpacked.
 */
export type Compression = 'gzip' | 'zstd' | 'none';

/** Key suffixes that name a compression; codecs match the key without them. */
const COMPRESSION_SUFFIXES = ['.gz', '.gzip', '.zst', '.zstd'];

export function detectCompression(head: Uint8Array): Compression {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}

export function withoutCompressionSuffix(key: string): string {
  const suffix = COMPRESSION_SUFFIXES.find((s) => key.toLowerCase().endsWith(s));
  return suffix ? key.slice(0, -suffix.length) : key;
}

/** A stream of the decompressed bytes. zstd needs Node.js 22.15 or later (zlib gained it there). */
export function decompress(stream: Readable, compression: Compression, key: string): Readable {
  if (compression === 'none') return stream;
  if (compression === 'gzip') return stream.pipe(zlib.createGunzip());
  const createZstd = (zlib as { createZstdDecompress?: () => NodeJS.ReadWriteStream }).createZstdDecompress;
  if (!createZstd) {
    throw new LakerunnerError(
      'LR_INPUT_UNSUPPORTED',
      `${key}: zstd-compressed, which needs Node.js 22.15 or later (this is ${process.version})`,
    );
  }
  return stream.pipe(createZstd()) as unknown as Readable;
}

/** Whether an error from a decompression stream means the data is corrupt (not the store failing). */
export function isCorruptCompression(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code ?? '';
  return (
    code.startsWith('Z_') ||
    code.startsWith('ERR_ZSTD') ||
    /unexpected end of file|incorrect header/i.test(String(err))
  );
}
