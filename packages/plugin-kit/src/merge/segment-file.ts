import { openAsBlob } from 'node:fs';
import { tableFromIPC } from 'apache-arrow';
import { ParquetFile, type RecordBatch } from 'parquet-wasm';
import { columnTypeOf, type ReadSegment, tableColumns } from '../columns/parquet-reader.js';
import type { TypedColumn } from '../columns/parquet-writer.js';

/**
 * Rows decoded at once across all inputs of a merge, shared between them: every decoded value
 * lives until the merge has passed it, long enough for the garbage collector to move it to the
 * old generation, whose size then follows this budget (a few times over, as garbage).
 */
const DECODED_ROWS_BUDGET = 16_384;

/** Rows decoded at once per input: fewer the more inputs a merge has, at least 256. */
export function mergeBatchRows(inputs: number): number {
  return Math.max(256, Math.min(4096, Math.floor(DECODED_ROWS_BUDGET / Math.max(1, inputs))));
}

/** A segment file on disk, its footer read: what the merge needs before it reads any row. */
export interface SegmentFile {
  path: string;
  rows: number;
  columns: TypedColumn[];
  /** The file's key-value metadata. */
  metadata: Map<string, string>;
}

/** Reads a segment's footer only; throws when the file is not Parquet. */
export async function openSegmentFile(path: string): Promise<SegmentFile> {
  const file = await ParquetFile.fromFile(await openAsBlob(path));
  try {
    // Freed at once, like every wasm object here: the garbage collector would free them late.
    const metadata = file.metadata();
    const fileMetadata = metadata.fileMetadata();
    const rows = fileMetadata.numRows();
    fileMetadata.free();
    metadata.free();
    const schema = tableFromIPC(file.schema().intoIPCStream()).schema;
    return {
      path,
      rows,
      columns: schema.fields.map((f) => ({ name: f.name, type: columnTypeOf(f.type) })),
      metadata: schema.metadata,
    };
  } finally {
    file.free();
  }
}

/**
 * Rows decoded from Parquet at once per input: fewer cost a fixed overhead per batch, more cost
 * wasm memory per open input (4,096 measured 35 MB more than 1,024 at a fan-in of 16).
 */
const DECODE_ROWS = 2048;

/**
 * The segment's rows, `batchSize` at a time, as plain values (see readSegment): Parquet pages are
 * decoded as the batches are asked for, so memory holds one decoded batch of the file (at most
 * 2,048 rows in Arrow form, `batchSize` rows as plain values), however large the file.
 */
export async function* segmentBatches(segment: SegmentFile, batchSize: number): AsyncGenerator<ReadSegment> {
  const file = await ParquetFile.fromFile(await openAsBlob(segment.path));
  try {
    const reader = (
      await file.stream({ batchSize: Math.max(batchSize, DECODE_ROWS) })
    ).getReader() as ReadableStreamDefaultReader<RecordBatch>;
    try {
      for (;;) {
        const next = await reader.read();
        if (next.done) return;
        const table = tableFromIPC(next.value.intoIPCStream());
        for (let at = 0; at < table.numRows; at += batchSize) {
          const slice = at === 0 && table.numRows <= batchSize ? table : table.slice(at, at + batchSize);
          yield { rows: slice.numRows, columns: tableColumns(slice), metadata: segment.metadata };
        }
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  } finally {
    file.free();
  }
}
