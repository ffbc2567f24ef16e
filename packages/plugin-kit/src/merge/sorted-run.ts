import { writeParquetFile } from '../columns/parquet-writer.js';
import type { SignalEncoding } from '../segments/encoding.js';
import { InputCursor } from './cursor.js';
import { CursorHeap } from './cursor-heap.js';
import { dedupedBatches, EVERY_DAY } from './dedupe-merge.js';
import { ORIGIN_COLUMNS } from './origin-columns.js';
import { mergeBatchRows, openSegmentFile, type SegmentFile } from './segment-file.js';
import { attributeColumnsJson, type UnionColumn } from './union-columns.js';

/** An input of a merge and its position: the order rows of equal key keep, and what an error names. */
export interface MergeSource {
  input: SegmentFile;
  index: number;
}

/**
 * Merges a few sorted inputs into one sorted file at `path`, a run the next merge reads like an
 * input; undefined when the inputs hold no rows. Rows of every day, sorted by the layout, rows
 * of equal key in input order. Records keep one row per id (the first, as the final merge
 * would); aggregated rows are all kept with their origin, since they fold only in the final
 * merge, after any rewindowing, in input order. Columns are the union of all the unit's inputs,
 * so widening happens once, as in a single merge. (A single merge reads aggregated rows in each
 * input's own column types; from a run, a column whose type differs between inputs is read
 * widened, so an output file may hold it widened where a single merge kept the narrower type.)
 */
export async function writeSortedRun<R, Row>(
  sources: readonly MergeSource[],
  columns: readonly UnionColumn[],
  encoding: SignalEncoding<R, Row>,
  path: string,
): Promise<SegmentFile | undefined> {
  const layout = encoding.layout;
  const aggregated = encoding.reducer !== undefined;
  const names = columns.map((c) => c.name);
  const batchRows = mergeBatchRows(sources.length);
  const cursors = sources.map((s) => new InputCursor(s.index, s.input, layout.sortColumns, names, batchRows));
  try {
    const heap = await CursorHeap.of(cursors);
    if (heap.size === 0) return undefined;
    const batches = dedupedBatches(heap, columns, layout, Number.POSITIVE_INFINITY, EVERY_DAY, {
      keepRepeats: aggregated,
      origins: aggregated,
    });
    await writeParquetFile(path, aggregated ? [...columns, ...ORIGIN_COLUMNS] : columns, batches, {
      metadata: { 'lakerunner.columns': attributeColumnsJson(columns) },
      temporary: true,
    });
  } finally {
    await Promise.all(cursors.map((c) => c.close()));
  }
  return openSegmentFile(path);
}
