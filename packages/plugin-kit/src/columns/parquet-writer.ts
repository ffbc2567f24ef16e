import { createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import type { WritableStream } from 'node:stream/web';
import { Table, tableToIPC, type Vector } from 'apache-arrow';
import {
  Compression,
  EnabledStatistics,
  transformParquetStream,
  Table as WasmTable,
  WriterPropertiesBuilder,
} from 'parquet-wasm';
import type { AnyValue } from '../values.js';
import type { ColumnSource, ColumnType } from './column.js';
import { coerce, typeOfValue, widen } from './resolve-type.js';
import { buildVector } from './vectors.js';

/** Rows per Parquet row group: small enough to stream on read, large enough to compress well. */
const ROW_GROUP_ROWS = 16_384;
/** Cells (rows × columns) built into Arrow at once: bounds memory however wide a file is. */
const CELLS_PER_BATCH = 4_000_000;

export interface ResolvedColumn<Row> {
  name: string;
  type: ColumnType;
  get(row: Row): unknown;
}

/**
 * Gives each column its type: fixed columns keep theirs, dynamic ones take the type their
 * values share in these rows; dynamic columns with no value in these rows are left out.
 */
export function resolveColumns<Row>(
  rows: readonly Row[],
  columns: readonly ColumnSource<Row>[],
): ResolvedColumn<Row>[] {
  const resolved: ResolvedColumn<Row>[] = [];
  for (const column of columns) {
    if (column.type) {
      resolved.push({ name: column.name, type: column.type, get: column.get });
      continue;
    }
    let type: ColumnType | undefined;
    for (const row of rows) type = widen(type, typeOfValue(column.get(row) as AnyValue));
    if (type) resolved.push({ name: column.name, type, get: column.get });
  }
  return resolved;
}

/**
 * Writes (at least one) rows as one ZSTD Parquet file, streaming: Arrow batches are built a bounded number of
 * cells at a time and handed to the Parquet writer as it asks for them.
 */
export async function writeParquet<Row>(
  rows: readonly Row[],
  columns: readonly ResolvedColumn<Row>[],
  metadata: Record<string, string> = {},
): Promise<Uint8Array> {
  const batchRows = batchRowsFor(columns.length);
  let next = 0;
  const batches = new ReadableStream({
    pull(controller) {
      if (next >= rows.length) {
        controller.close();
        return;
      }
      const slice = rows.slice(next, next + batchRows);
      next += batchRows;
      for (const batch of toWasmBatches(slice, columns)) controller.enqueue(batch);
    },
  });
  const out = await transformParquetStream(batches, writerProperties(metadata));
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of out as unknown as AsyncIterable<Uint8Array>) {
    chunks.push(chunk);
    total += chunk.length;
  }
  // A fresh buffer of its own (never Node's shared pool): it is transferred between threads.
  const file = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    file.set(chunk, at);
    at += chunk.length;
  }
  return file;
}

/** Rows as column values: `values[c][i]` is row i's value of column c, or null. */
export interface ColumnBatch {
  length: number;
  values: unknown[][];
}

export interface TypedColumn {
  name: string;
  type: ColumnType;
}

/**
 * Rows per batch handed to the writer: a row group's worth, fewer for wide files, so a batch
 * holds a bounded number of cells.
 */
export function batchRowsFor(columnCount: number): number {
  return Math.max(256, Math.min(ROW_GROUP_ROWS, Math.floor(CELLS_PER_BATCH / Math.max(1, columnCount))));
}

export interface ParquetFileOptions {
  /** The file's key-value metadata. */
  metadata?: Record<string, string>;
  /**
   * Columns that hold a different value in every row (row ids): written without a dictionary,
   * which for them only costs time and space.
   */
  distinct?: readonly string[];
  /**
   * A file read back once by this kit, then removed: neither dictionaries nor statistics. They
   * cost time to write, and statistics make the footer, which a reader holds in wasm memory
   * while the file is open, grow with every row group.
   */
  temporary?: boolean;
}

/**
 * Writes batches of column values as one ZSTD Parquet file at `path` while they arrive, so only
 * the batch at hand and the row group being compressed are in memory. An error thrown by the
 * batches is rethrown as it was.
 */
export async function writeParquetFile(
  path: string,
  columns: readonly TypedColumn[],
  batches: AsyncIterable<ColumnBatch>,
  options: ParquetFileOptions = {},
): Promise<void> {
  let failure: { error: unknown } | undefined;
  const source = batches[Symbol.asyncIterator]();
  const wasmBatches = new ReadableStream({
    async pull(controller) {
      try {
        const next = await source.next();
        if (next.done) controller.close();
        else for (const batch of columnBatchToWasm(next.value, columns)) controller.enqueue(batch);
      } catch (error) {
        failure = { error };
        controller.error(error);
      }
    },
    async cancel() {
      await source.return?.();
    },
  });
  try {
    const properties = writerProperties(options.metadata ?? {}, options.distinct, options.temporary);
    const out = await transformParquetStream(wasmBatches, properties);
    await (out as unknown as ReadableStream<Uint8Array>).pipeTo(
      Writable.toWeb(createWriteStream(path)) as WritableStream<Uint8Array>,
    );
  } catch (error) {
    throw failure ? failure.error : error;
  }
  if (failure) throw failure.error;
}

function writerProperties(
  metadata: Record<string, string>,
  distinct: readonly string[] = [],
  temporary = false,
) {
  let builder = new WriterPropertiesBuilder()
    .setCompression(Compression.ZSTD)
    .setMaxRowGroupSize(ROW_GROUP_ROWS)
    .setCreatedBy('lakerunner')
    .setKeyValueMetadata(new Map(Object.entries(metadata)));
  if (temporary) builder = builder.setDictionaryEnabled(false).setStatisticsEnabled(EnabledStatistics.None);
  for (const column of distinct) builder = builder.setColumnDictionaryEnabled(column, false);
  return builder.build();
}

function toWasmBatches<Row>(rows: readonly Row[], columns: readonly ResolvedColumn<Row>[]) {
  const vectors: Record<string, Vector> = {};
  for (const column of columns) {
    const values = new Array<unknown>(rows.length);
    for (let i = 0; i < rows.length; i++) values[i] = coerce(column.get(rows[i] as Row), column.type);
    vectors[column.name] = buildVector(column.type, values);
  }
  return wasmBatches(new Table(vectors));
}

function columnBatchToWasm(batch: ColumnBatch, columns: readonly TypedColumn[]) {
  const vectors: Record<string, Vector> = {};
  columns.forEach((column, c) => {
    const source = batch.values[c] ?? [];
    const values = new Array<unknown>(batch.length);
    for (let i = 0; i < batch.length; i++) values[i] = coerce(source[i], column.type);
    vectors[column.name] = buildVector(column.type, values);
  });
  return wasmBatches(new Table(vectors));
}

/**
 * The table's batches in wasm memory, for the writer. The wasm table is freed at once: its
 * batches share its buffers, and left to the garbage collector it kept every batch written
 * alive, since the JS heap stays too small to collect often (wasm memory grew by the output's
 * size and never shrinks).
 */
function wasmBatches(table: Table) {
  const wasm = WasmTable.fromIPCStream(tableToIPC(table, 'stream'));
  try {
    return wasm.recordBatches();
  } finally {
    wasm.free();
  }
}
