import type { InputLimits } from '@lakerunner/core';
import type { ColumnSource } from '../columns/column.js';
import type { ReadSegment } from '../columns/parquet-reader.js';
import type { TimeBounds } from '../timestamps.js';
import type { SegmentLayout } from './layout.js';

/** The object a record came from: written with every row, so a row can be traced to its source. */
export interface RecordSource {
  bucket: string;
  key: string;
  version: string;
  /** objectIdentity() of the object version. */
  identity: string;
}

export interface RowContext {
  source: RecordSource;
  /**
   * The row's id from its position in the object (line, and index within the line or request):
   * the same record of the same object version always gets the same id, however it was batched.
   */
  rowId(position: string): string;
  /** The first of `candidates` that is a valid time in bounds, else the ingest time (counted). */
  resolveTime(...candidates: unknown[]): bigint;
  /** The value as a time in bounds, or undefined (numbers by magnitude, date strings, ns bigints). */
  validTime(value: unknown): bigint | undefined;
  ingestTimeNs: bigint;
  bounds: TimeBounds;
  limits: InputLimits;
}

/**
 * Rows that aggregate (metrics: one row per series and time window) rather than being records:
 * rows with the same key merge into one, at ingest, in compaction (a late row folds into its
 * window) and in rollup (after `rewindow` moved them to a coarser window).
 */
export interface RowReducer<Row> {
  key(row: Row): string;
  /** Folds `other` into `into` and returns the result (it may be `into`, changed). */
  merge(into: Row, other: Row): Row;
  /** A row of a stored segment, read back for compaction and rollup. */
  read(segment: ReadSegment, index: number): Row;
  /** The row moved to the window of `frequencyMs` that holds it, at that frequency. */
  rewindow?(row: Row, frequencyMs: number): Row;
}

/**
 * What a signal plugin tells the kit about its rows: how a codec's record becomes a row, the
 * row's columns, and the segment layout. Runs on the worker thread.
 */
export interface SignalEncoding<R, Row> {
  layout: SegmentLayout;
  toRow(record: R, context: RowContext): Row;
  /** Every column of these rows: fixed columns first, then the attribute columns they use. */
  columns(rows: readonly Row[]): ColumnSource<Row>[];
  /** Present for aggregating signals: rows merge by key instead of being deduplicated by id. */
  reducer?: RowReducer<Row>;
}
