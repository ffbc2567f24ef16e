import { openAsBlob } from 'node:fs';
import { tableFromIPC } from 'apache-arrow';
import { ParquetFile, type RecordBatch } from 'parquet-wasm';
import type { ColumnType } from '../columns/column.js';
import { columnTypeOf, type ReadSegment, tableColumns } from '../columns/parquet-reader.js';

/** Rows decoded at once per input: small, so many inputs merge in little memory. */
export const MERGE_BATCH_ROWS = 4096;

/** A segment file on disk, its footer read: what the merge needs before it reads any row. */
export interface SegmentFile {
  path: string;
  rows: number;
  columns: { name: string; type: ColumnType }[];
  /** The file's key-value metadata. */
  metadata: Map<string, string>;
}

/** Reads a segment's footer only; throws when the file is not Parquet. */
export async function openSegmentFile(path: string): Promise<SegmentFile> {
  const file = await ParquetFile.fromFile(await openAsBlob(path));
  try {
    const rows = file.metadata().fileMetadata().numRows();
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
 * The segment's rows, a few thousand at a time, as plain values (see readSegment): memory holds
 * one row group's compressed bytes and one decoded batch, however large the file.
 */
export async function* segmentBatches(
  segment: SegmentFile,
  batchSize = MERGE_BATCH_ROWS,
): AsyncGenerator<ReadSegment> {
  const file = await ParquetFile.fromFile(await openAsBlob(segment.path));
  try {
    const stream = (await file.stream({ batchSize })) as unknown as AsyncIterable<RecordBatch>;
    for await (const batch of stream) {
      const table = tableFromIPC(batch.intoIPCStream());
      yield { rows: table.numRows, columns: tableColumns(table), metadata: segment.metadata };
    }
  } finally {
    file.free();
  }
}
