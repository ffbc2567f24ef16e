import type { WrittenSegment } from '../segments/encode.js';
import type { SignalEncoding } from '../segments/encoding.js';
import { dateintOfNanos } from '../timestamps.js';
import { InputCursor } from './cursor.js';
import { CursorHeap } from './cursor-heap.js';
import { DayPass } from './day-pass.js';
import { dedupedBatches } from './dedupe-merge.js';
import { reducedFiles } from './reduce-merge.js';
import { mergeBatchRows, type SegmentFile } from './segment-file.js';
import { unionColumns } from './union-columns.js';
import { writeBatchFiles, writeRowFiles } from './write-files.js';

export interface MergeOptions {
  maxRows: number;
  /** A rollup: aggregated rows move to windows of this frequency. */
  frequencyMs?: number;
}

/**
 * Merges the sorted inputs (undefined: left out) into files in `dir`, listed in `written` as
 * they are finished, one UTC day per pass. Throws InputError for an input that turns out
 * unreadable or unsorted.
 */
export async function mergeInputs<R, Row>(
  inputs: readonly (SegmentFile | undefined)[],
  encoding: SignalEncoding<R, Row>,
  options: MergeOptions,
  dir: string,
  written: WrittenSegment[],
): Promise<void> {
  const present = inputs.flatMap((input, index) => (input ? [{ input, index }] : []));
  if (present.length === 0) return;
  const layout = encoding.layout;
  const columns = unionColumns(present.map((p) => p.input));
  const names = encoding.reducer ? [layout.timeColumn] : columns.map((c) => c.name);
  const done = new Set<number>();
  const batchRows = mergeBatchRows(present.length);
  let next: number | undefined;
  for (;;) {
    const cursors = present.map(
      (p) => new InputCursor(p.index, p.input, layout.sortColumns, names, batchRows),
    );
    try {
      const heap = await CursorHeap.of(cursors);
      const top = heap.top();
      if (!top) return;
      next ??= dateintOfNanos(top.aligned[names.indexOf(layout.timeColumn)]?.[top.row] as bigint);
      const pass = new DayPass(next);
      if (encoding.reducer) {
        const files = reducedFiles(
          heap,
          encoding.reducer,
          layout,
          options.maxRows,
          pass,
          options.frequencyMs,
        );
        await writeRowFiles(files, encoding.columns, layout, dir, pass.dateint, written);
      } else {
        const batches = dedupedBatches(heap, columns, layout, options.maxRows, pass);
        await writeBatchFiles(batches, columns, layout, dir, pass.dateint, written);
      }
      done.add(pass.dateint);
      next = [...pass.otherDays].filter((d) => !done.has(d)).sort((a, b) => a - b)[0];
      if (next === undefined) return;
    } finally {
      await Promise.all(cursors.map((c) => c.close()));
    }
  }
}
