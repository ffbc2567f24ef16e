import { Readable } from 'node:stream';
import {
  type Codec,
  type InputLimits,
  isLakerunnerError,
  LakerunnerError,
  type ObjectInput,
  type ObjectStore,
} from '@lakerunner/core';
import {
  decompress,
  detectCompression,
  isCorruptCompression,
  withoutCompressionSuffix,
} from '../compression.js';
import { csvPieces } from '../framing/csv.js';
import { documentPiece } from '../framing/document.js';
import { linePieces } from '../framing/lines.js';
import { otlpProtobufPieces } from '../framing/otlp-protobuf.js';
import type { Piece } from '../framing/piece.js';
import { limitExceeded } from '../limits.js';
import { selectCodec } from '../select-codec.js';

/** Bytes of the decompressed start of an object that codecs sniff. */
const SNIFF_BYTES = 64 * 1024;

export interface OpenedObject<R> {
  codec: Codec<R>;
  suffixMismatch?: string;
  /** Bounded pieces of the decompressed object, cut by the codec's framing. */
  pieces: AsyncGenerator<Piece>;
}

/**
 * Opens a raw object for decoding: streams it from the store, undoes gzip/zstd (recognised by
 * magic bytes), counts decompressed bytes against the limit, picks the codec from the key and
 * the first 64 KiB, and cuts the rest into pieces. Nothing is read whole unless the codec's
 * framing is `document`.
 */
export async function openObject<R>(
  store: ObjectStore,
  input: ObjectInput,
  codecs: readonly Codec<R>[],
  limits: InputLimits,
  pieceBytes: number,
): Promise<OpenedObject<R>> {
  const key = input.key;
  const raw = await getStream(store, key);
  // Whatever happens below, the store's stream (an open file, a socket) is released.
  try {
    const compressedHead = await peek(raw, 4);
    const compression = detectCompression(compressedHead.head);
    const decompressed = decompress(Readable.from(compressedHead.rest), compression, key);
    const counted = countBytes(decompressed, limits.maxObjectBytes, key);
    const { head, rest } = await guarded(key, () => peek(counted, SNIFF_BYTES));
    const { codec, suffixMismatch } = selectCodec(codecs, withoutCompressionSuffix(key), head);
    const framed = frame(codec, rest, limits, pieceBytes, key);
    return { codec, ...(suffixMismatch ? { suffixMismatch } : {}), pieces: guardedPieces(key, framed, raw) };
  } catch (err) {
    raw.destroy();
    throw err;
  }
}

function frame(
  codec: Codec<unknown>,
  chunks: AsyncIterable<Buffer>,
  limits: InputLimits,
  pieceBytes: number,
  key: string,
): AsyncGenerator<Piece> {
  switch (codec.framing) {
    case 'lines':
      return linePieces(chunks, pieceBytes, limits.maxRecordBytes);
    case 'csv':
      return csvPieces(chunks, pieceBytes, limits.maxRecordBytes, key);
    case 'otlp-protobuf':
      return otlpProtobufPieces(chunks, pieceBytes, limits.maxDocumentBytes);
    case 'document':
      return documentPiece(chunks, limits.maxDocumentBytes, key);
  }
}

async function getStream(store: ObjectStore, key: string): Promise<Readable> {
  try {
    return await store.get(key);
  } catch (err) {
    if (isLakerunnerError(err) && err.code === 'LR_STORAGE_NOT_FOUND') {
      throw new LakerunnerError('LR_STORAGE_NOT_FOUND', `${key}: the object no longer exists`);
    }
    throw err;
  }
}

/** Reads at least `bytes` (or all there is) and returns them with a stream that replays them. */
async function peek(
  source: AsyncIterable<Buffer>,
  bytes: number,
): Promise<{ head: Buffer; rest: AsyncIterable<Buffer> }> {
  const iterator = source[Symbol.asyncIterator]();
  const taken: Buffer[] = [];
  let total = 0;
  let done = false;
  while (total < bytes) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    taken.push(next.value);
    total += next.value.length;
  }
  const head = Buffer.concat(taken, total);
  async function* rest() {
    if (head.length > 0) yield head;
    if (done) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { head: head.subarray(0, bytes), rest: rest() };
}

async function* countBytes(source: AsyncIterable<Buffer>, max: number, key: string): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > max) throw limitExceeded(key, 'maxObjectBytes', max, 'the decompressed object');
    yield chunk;
  }
}

/** Errors while streaming: corrupt compression is the input's fault; anything else is the store's. */
function classifyStreamError(key: string, err: unknown): unknown {
  if (isLakerunnerError(err)) return err;
  if (isCorruptCompression(err)) {
    return new LakerunnerError('LR_INPUT_CORRUPT', `${key}: cannot decompress: ${(err as Error).message}`);
  }
  return new LakerunnerError('LR_STORAGE_UNAVAILABLE', `${key}: reading failed: ${(err as Error).message}`, {
    retriable: true,
    cause: err,
  });
}

async function guarded<T>(key: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw classifyStreamError(key, err);
  }
}

async function* guardedPieces(
  key: string,
  pieces: AsyncGenerator<Piece>,
  raw: Readable,
): AsyncGenerator<Piece> {
  try {
    yield* pieces;
  } catch (err) {
    throw classifyStreamError(key, err);
  } finally {
    raw.destroy();
  }
}
