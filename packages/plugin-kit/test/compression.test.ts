import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { isLakerunnerError } from '@lakerunner/core';
import { describe, expect, it } from 'vitest';
import {
  decompress,
  detectCompression,
  isCorruptCompression,
  withoutCompressionSuffix,
} from '../src/compression.js';
import { collect } from './support.js';

const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

describe('detectCompression', () => {
  it('recognises gzip by its magic bytes', () => {
    expect(detectCompression(zlib.gzipSync('hello'))).toBe('gzip');
    expect(detectCompression(new Uint8Array([0x1f, 0x8b]))).toBe('gzip');
  });

  it('recognises zstd by its 4-byte magic number', () => {
    expect(detectCompression(new Uint8Array([...ZSTD_MAGIC, 0x00]))).toBe('zstd');
    expect(detectCompression(new Uint8Array(ZSTD_MAGIC.slice(0, 3)))).toBe('none');
  });

  it('treats anything else as uncompressed, whatever its key says', () => {
    expect(detectCompression(Buffer.from('{"a":1}\n'))).toBe('none');
    expect(detectCompression(new Uint8Array([]))).toBe('none');
    expect(detectCompression(new Uint8Array([0x1f]))).toBe('none');
    expect(detectCompression(new Uint8Array([0x8b, 0x1f]))).toBe('none');
    expect(detectCompression(zlib.deflateSync('hello'))).toBe('none');
  });
});

describe('withoutCompressionSuffix', () => {
  it.each([
    ['logs/a.json.gz', 'logs/a.json'],
    ['logs/a.json.gzip', 'logs/a.json'],
    ['logs/a.binpb.zst', 'logs/a.binpb'],
    ['logs/a.binpb.zstd', 'logs/a.binpb'],
    ['LOGS/A.JSON.GZ', 'LOGS/A.JSON'],
    ['a.Json.Zst', 'a.Json'],
    ['a.gz.gz', 'a.gz'],
    ['.gz', ''],
    ['a.json', 'a.json'],
    ['a.tgz', 'a.tgz'],
    ['a.gz.json', 'a.gz.json'],
    ['agz', 'agz'],
  ])('%s → %s', (key, want) => {
    expect(withoutCompressionSuffix(key)).toBe(want);
  });
});

describe('decompress', () => {
  it('returns the stream itself when it is not compressed', () => {
    const stream = Readable.from([Buffer.from('x')]);
    expect(decompress(stream, 'none', 'k')).toBe(stream);
  });

  it('unpacks gzip', async () => {
    const out = await collect(decompress(Readable.from([zlib.gzipSync('a\nb\n')]), 'gzip', 'k'));
    expect(Buffer.concat(out as Buffer[]).toString()).toBe('a\nb\n');
  });

  it('reports truncated gzip as corrupt compression', async () => {
    const truncated = zlib.gzipSync('x'.repeat(1000)).subarray(0, 12);
    const err = await collect(decompress(Readable.from([truncated]), 'gzip', 'k')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(isCorruptCompression(err)).toBe(true);
  });

  it('unpacks zstd where Node.js can, and says which version it needs where it cannot', async () => {
    const z = zlib as unknown as { zstdCompressSync?: (b: Buffer) => Buffer };
    if (z.zstdCompressSync) {
      const out = await collect(
        decompress(Readable.from([z.zstdCompressSync(Buffer.from('zz'))]), 'zstd', 'k'),
      );
      expect(Buffer.concat(out as Buffer[]).toString()).toBe('zz');
      return;
    }
    let err: unknown;
    try {
      decompress(Readable.from([Buffer.from(ZSTD_MAGIC)]), 'zstd', 'logs/a.zst');
    } catch (e) {
      err = e;
    }
    expect(isLakerunnerError(err) && err.code).toBe('LR_INPUT_UNSUPPORTED');
    expect((err as Error).message).toBe(
      `logs/a.zst: zstd-compressed, which needs Node.js 22.15 or later (this is ${process.version})`,
    );
  });
});

describe('isCorruptCompression', () => {
  it('tells data errors from other failures', () => {
    expect(isCorruptCompression(Object.assign(new Error('x'), { code: 'Z_DATA_ERROR' }))).toBe(true);
    expect(isCorruptCompression(Object.assign(new Error('x'), { code: 'ERR_ZSTD_INVALID' }))).toBe(true);
    expect(isCorruptCompression(new Error('unexpected end of file'))).toBe(true);
    expect(isCorruptCompression(new Error('incorrect header check'))).toBe(true);
    expect(isCorruptCompression(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(
      false,
    );
    expect(isCorruptCompression(new Error('timeout'))).toBe(false);
  });
});
