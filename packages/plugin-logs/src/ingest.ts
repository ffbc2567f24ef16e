import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import {
  isLakerunnerError,
  LakerunnerError,
  type NewSegment,
  type ObjectInput,
  objectIdentity,
  type StageContext,
  type StageFailure,
  type StageHandler,
} from '@lakerunner/core';
import { lineChunks } from './codecs/line-chunks.js';
import { codecSuffix, unsupported } from './codecs/read-object.js';
import type { IngestPiece } from './log-files.js';
import { DEFAULT_MAX_ROWS_PER_SEGMENT, ownBytes, storeLogFiles } from './store-files.js';
import { logsThreadPool } from './thread-pool.js';

/** Decompressed bytes handed to the worker thread at once: bounds a worker's memory. */
export const DEFAULT_MAX_BATCH_BYTES = 64 * 1024 * 1024;

/** Larger `.json` objects than this are not read whole (OTLP/JSON is one document). */
const MAX_WHOLE_DOCUMENT_BYTES = 256 * 1024 * 1024;

export interface LogsIngestOptions {
  maxRowsPerSegment?: number;
  /** Decompressed bytes per worker-thread batch (default 64 MiB). */
  maxBatchBytes?: number;
}

/**
 * Ingest: raw log objects → sorted, day-split ZSTD Parquet segments. Objects are streamed from
 * the store and cut into batches of whole lines, so memory stays bounded whatever their size;
 * decoding and encoding run on a worker thread. An input that cannot be decoded is reported as
 * failed (and dead-lettered by the runtime) — if it breaks off midway, with the lines before
 * the break kept — and the other inputs proceed.
 */
export function createLogsIngestHandler(options: LogsIngestOptions = {}): StageHandler {
  const maxRows = options.maxRowsPerSegment ?? DEFAULT_MAX_ROWS_PER_SEGMENT;
  const maxBatch = options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;

  return async (context) => {
    const failures: StageFailure[] = [];
    const outputs: NewSegment[] = [];
    const nextPart = new Map<number, number>();
    let batch: { input: ObjectInput; piece: IngestPiece }[] = [];
    let batchBytes = 0;

    const flush = async () => {
      if (batch.length === 0) return;
      const pieces = batch;
      batch = [];
      batchBytes = 0;
      const result = await logsThreadPool().run(
        { kind: 'ingest', maxRows, pieces: pieces.map((p) => p.piece) },
        pieces.map((p) => p.piece.bytes.buffer as ArrayBuffer),
      );
      for (const f of result.failures) {
        failures.push({
          input: (pieces[f.index] as { input: ObjectInput }).input,
          code: f.code,
          reason: f.reason,
        });
      }
      // Part numbers continue across batches, so every file of a day has its own name.
      const numbered = result.files.map((file) => {
        const part = nextPart.get(file.dateint) ?? 0;
        nextPart.set(file.dateint, part + 1);
        return { ...file, part };
      });
      outputs.push(...(await storeLogFiles(context, numbered)));
    };
    const add = async (input: ObjectInput, piece: IngestPiece) => {
      batch.push({ input, piece });
      batchBytes += piece.bytes.byteLength;
      if (batchBytes >= maxBatch) await flush();
    };

    for (const input of context.inputs) {
      if (input.kind !== 'object') continue;
      const suffix = codecSuffix(input.key);
      if (!suffix) {
        const err = unsupported(input.key);
        failures.push({ input, code: err.code, reason: err.message });
        continue;
      }
      try {
        if (suffix === '.json') await readWhole(context, input, add);
        else await readInLines(context, input, maxBatch, add);
      } catch (err) {
        if (isLakerunnerError(err) && !err.retriable) {
          failures.push({ input, code: err.code, reason: err.message });
          continue;
        }
        throw err;
      }
    }
    await flush();
    return { outputs, failures };
  };
}

type AddPiece = (input: ObjectInput, piece: IngestPiece) => Promise<void>;

async function readWhole(context: StageContext, input: ObjectInput, add: AddPiece) {
  if (input.size > MAX_WHOLE_DOCUMENT_BYTES) {
    throw new LakerunnerError(
      'LR_INPUT_UNSUPPORTED',
      `${input.key}: ${input.size} bytes is too large for one JSON document; write JSON lines (.jsonl) instead`,
    );
  }
  const bytes = ownBytes(await getOrGone(input, () => context.store.getBytes(input.key)));
  await add(input, { identity: objectIdentity(input), key: input.key, bytes, whole: true, firstLine: 0 });
}

async function readInLines(context: StageContext, input: ObjectInput, maxBatch: number, add: AddPiece) {
  let stream: Readable = await getOrGone(input, () => context.store.get(input.key));
  if (input.key.endsWith('.gz')) stream = stream.pipe(createGunzip());
  let lines = 0;
  try {
    // Quarter-batch chunks: small objects still share a batch, large ones fill several.
    for await (const chunk of lineChunks(stream, Math.max(1, Math.floor(maxBatch / 4)))) {
      lines = chunk.firstLine;
      await add(input, {
        identity: objectIdentity(input),
        key: input.key,
        bytes: ownBytes(chunk.bytes),
        whole: false,
        firstLine: chunk.firstLine,
      });
    }
  } catch (err) {
    if (isLakerunnerError(err)) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code.startsWith('Z_') || /unexpected end of file|incorrect header/i.test(String(err))) {
      throw new LakerunnerError(
        'LR_INPUT_CORRUPT',
        `${input.key}: cannot gunzip after line ${lines}: ${(err as Error).message}`,
      );
    }
    throw new LakerunnerError(
      'LR_STORAGE_UNAVAILABLE',
      `${input.key}: reading failed: ${(err as Error).message}`,
      {
        retriable: true,
        cause: err,
      },
    );
  }
}

/** A raw object deleted before it was ingested cannot be: a permanent failure of that input. */
async function getOrGone<T>(input: ObjectInput, get: () => Promise<T>): Promise<T> {
  try {
    return await get();
  } catch (err) {
    if (isLakerunnerError(err) && err.code === 'LR_STORAGE_NOT_FOUND') {
      throw new LakerunnerError('LR_INPUT_CORRUPT', `${input.key}: the object no longer exists`);
    }
    throw err;
  }
}
