import type { RowReducer } from '../segments/encoding.js';
import type { SegmentLayout } from '../segments/layout.js';
import type { CursorHeap } from './cursor-heap.js';
import type { DayPass } from './day-pass.js';

interface Member<Row> {
  row: Row;
  input: number;
  ordinal: number;
}

/**
 * The inputs' aggregated rows of one day in sort order, rows of one key merged, in files of at
 * most `maxRows` rows (one file's rows at a time in memory).
 *
 * Rows of one key are adjacent in the merged order when the key is a function of the sort
 * columns and `rewindow` keeps the order: metrics sort by metric name, series and time, merge by
 * series and window, and a coarser window start is a non-decreasing function of the time, so a
 * series' rows that share a coarser window follow each other. Each such group is folded in the
 * order of inputs and then of rows within an input, the order the in-memory path merged them in.
 * The day is the stored row's: a coarser window never starts on another day, since tiers divide
 * a day.
 */
export async function* reducedFiles<Row>(
  heap: CursorHeap,
  reducer: RowReducer<Row>,
  layout: SegmentLayout,
  maxRows: number,
  pass: DayPass,
  frequencyMs: number | undefined,
): AsyncGenerator<Row[]> {
  const rewindow = frequencyMs && reducer.rewindow ? reducer.rewindow.bind(reducer) : undefined;
  let file: Row[] = [];
  let group: Member<Row>[] = [];
  let groupKey: string | undefined;
  for (let cursor = heap.top(); cursor; cursor = heap.top()) {
    if (pass.takes(cursor.value(layout.timeColumn) as bigint)) {
      const read = reducer.read(cursor.batch, cursor.row);
      const row = rewindow ? rewindow(read, frequencyMs as number) : read;
      const key = reducer.key(row);
      if (key !== groupKey && group.length > 0) {
        file.push(fold(group, reducer));
        group = [];
        if (file.length === maxRows) {
          yield file;
          file = [];
        }
      }
      groupKey = key;
      group.push({ row, input: cursor.originInput(), ordinal: cursor.originRow() });
    }
    if (!heap.advanceTop()) await heap.advanceTopAsync();
  }
  if (group.length > 0) file.push(fold(group, reducer));
  if (file.length > 0) yield file;
}

function fold<Row>(group: Member<Row>[], reducer: RowReducer<Row>): Row {
  if (group.length > 1) group.sort((a, b) => a.input - b.input || a.ordinal - b.ordinal);
  let merged = (group[0] as Member<Row>).row;
  for (let i = 1; i < group.length; i++) merged = reducer.merge(merged, (group[i] as Member<Row>).row);
  return merged;
}
