import { batchRowsFor, type ColumnBatch } from '../columns/parquet-writer.js';
import type { SegmentLayout } from '../segments/layout.js';
import { compareTo } from './cursor.js';
import type { CursorHeap } from './cursor-heap.js';
import type { DayPass } from './day-pass.js';
import type { UnionColumn } from './union-columns.js';

/** Rows for one output file; the last batch of a file says so. */
export interface FileBatch extends ColumnBatch {
  endsFile: boolean;
}

/**
 * Rows handed to the writer at once: the writer gathers them into row groups, so fewer rows per
 * batch only keep fewer values alive at once.
 */
const OUTPUT_BATCH_ROWS = 4096;

export interface DedupeOptions {
  /** Keep every row, repeats too (a sorted run of aggregated rows, which fold later). */
  keepRepeats?: boolean;
  /** Append each row's origin (see origin-columns) after the union columns. */
  origins?: boolean;
}

/** Takes the rows of every day: a sorted run is split into days only by the last merge. */
export const EVERY_DAY: Pick<DayPass, 'takes'> = { takes: () => true };

/**
 * The inputs' rows of one day in sort order, each row id once, in batches of union-column values
 * cut so that no file holds more than `maxRows`.
 *
 * A row id names one record, and a record's rows have equal content, so equal sort keys: a
 * repeat can only sit in the run of rows with the current key, and only that run's ids are
 * remembered. Among equal keys the earlier input's row comes first and is the one kept, as when
 * every input was read into memory. Rows without an id are all kept.
 */
export async function* dedupedBatches(
  heap: CursorHeap,
  columns: readonly UnionColumn[],
  layout: SegmentLayout,
  maxRows: number,
  pass: Pick<DayPass, 'takes'>,
  options: DedupeOptions = {},
): AsyncGenerator<FileBatch> {
  const width = columns.length;
  const time = columns.findIndex((c) => c.name === layout.timeColumn);
  const id = options.keepRepeats ? -1 : columns.findIndex((c) => c.name === layout.idColumn);
  const outWidth = options.origins ? width + 2 : width;
  const batchRows = Math.min(OUTPUT_BATCH_ROWS, batchRowsFor(outWidth));
  const runKey: unknown[] = new Array(layout.sortColumns.length);
  let runLength = 0;
  let runFirstId: unknown;
  const runIds = new Set<unknown>();
  let out = newBatch(outWidth, batchRows);
  let fileRows = 0;
  for (let cursor = heap.top(); cursor; cursor = heap.top()) {
    const row = cursor.row;
    if (pass.takes(cursor.aligned[time]?.[row] as bigint)) {
      if (compareTo(cursor.keys, row, runKey) !== 0) {
        for (let k = 0; k < runKey.length; k++) runKey[k] = cursor.keys[k]?.[row];
        runLength = 0;
        if (runIds.size > 0) runIds.clear();
      }
      const rowId = id < 0 ? null : cursor.aligned[id]?.[row];
      if (!isRepeat(rowId)) {
        for (let c = 0; c < width; c++)
          (out.values[c] as unknown[])[out.length] = cursor.aligned[c]?.[row] ?? null;
        if (options.origins) {
          (out.values[width] as unknown[])[out.length] = cursor.originInput();
          (out.values[width + 1] as unknown[])[out.length] = cursor.originRow();
        }
        out.length++;
        fileRows++;
        if (fileRows === maxRows || out.length === batchRows) {
          out.endsFile = fileRows === maxRows;
          if (out.endsFile) fileRows = 0;
          yield out;
          out = newBatch(outWidth, batchRows);
        }
      }
    }
    if (!heap.advanceTop()) await heap.advanceTopAsync();
  }
  if (out.length > 0) {
    out.endsFile = true;
    yield out;
  }

  function isRepeat(rowId: unknown): boolean {
    if (typeof rowId !== 'string') return false;
    runLength++;
    if (runLength === 1) {
      runFirstId = rowId;
      return false;
    }
    if (runIds.size === 0) runIds.add(runFirstId);
    if (runIds.has(rowId)) return true;
    runIds.add(rowId);
    return false;
  }
}

function newBatch(width: number, rows: number): FileBatch {
  return { length: 0, endsFile: false, values: Array.from({ length: width }, () => new Array(rows)) };
}
