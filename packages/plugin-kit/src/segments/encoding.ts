import type { InputLimits } from '@lakerunner/core';
import type { ColumnSource } from '../columns/column.js';
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
 * What a signal plugin tells the kit about its rows: how a codec's record becomes a row, the
 * row's columns, and the segment layout. Runs on the worker thread.
 */
export interface SignalEncoding<R, Row> {
  layout: SegmentLayout;
  toRow(record: R, context: RowContext): Row;
  /** Every column of these rows: fixed columns first, then the attribute columns they use. */
  columns(rows: readonly Row[]): ColumnSource<Row>[];
}
