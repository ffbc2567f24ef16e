import type { AttributeColumn } from '../columns/attribute-columns.js';
import type { ColumnSource, ColumnType } from '../columns/column.js';
import { attributeKeysOf, type ReadSegment, readSegment } from '../columns/parquet-reader.js';
import { widen } from '../columns/resolve-type.js';
import { encodeSegments } from '../segments/encode.js';
import type { RowReducer, SignalEncoding } from '../segments/encoding.js';
import { reduceRows } from '../segments/reduce.js';
import type { CompactTask, TaskResult } from '../thread/tasks.js';

/**
 * The worker-thread half of compaction (and rollup): reads the segments and writes them again,
 * re-sorted by the layout. Records are kept once per row id (replays upstream may have written a
 * record twice), with the union of the inputs' columns; a column whose type differs between
 * inputs widens (int64 and double to double, anything else to string), as on ingest. Aggregated
 * rows (a signal with a reducer) are read back, moved to the task's coarser window for a rollup,
 * and merged by key.
 */
export async function runCompactTask<R, Row>(
  task: CompactTask,
  encoding: SignalEncoding<R, Row>,
): Promise<TaskResult> {
  const layout = encoding.layout;
  const result: TaskResult = { files: [], failures: [], rejects: [], counts: [] };
  const segments: ReadSegment[] = [];
  task.segments.forEach((segment, index) => {
    try {
      segments.push(readSegment(segment.bytes));
      result.counts.push({ records: segments.at(-1)?.rows ?? 0, rejected: 0, timeReplaced: 0 });
    } catch (err) {
      result.failures.push({
        source: index,
        code: 'LR_INPUT_CORRUPT',
        reason: `${segment.objectKey}: not a readable segment: ${(err as Error).message}`,
      });
      result.counts.push({ records: 0, rejected: 0, timeReplaced: 0 });
    }
  });
  if (segments.length === 0) return result;
  if (encoding.reducer) {
    result.files = await mergeAggregates(segments, encoding, encoding.reducer, task);
    return result;
  }

  // A row is (segment, index) packed into one number: segment * 2^32 + index.
  const rows: number[] = [];
  const seen = new Set<string>();
  segments.forEach((segment, s) => {
    const ids = segment.columns.get(layout.idColumn)?.values;
    for (let i = 0; i < segment.rows; i++) {
      const id = ids?.[i];
      if (typeof id === 'string') {
        if (seen.has(id)) continue;
        seen.add(id);
      }
      rows.push(s * 2 ** 32 + i);
    }
  });
  result.files = await encodeSegments(rows, unionColumns(segments), layout, task.maxRows);
  return result;
}

function unionColumns(segments: readonly ReadSegment[]): ColumnSource<number>[] {
  const types = new Map<string, ColumnType | undefined>();
  const keys = new Map<string, { namespace: string; key: string }>();
  for (const segment of segments) {
    for (const [name, column] of segment.columns) types.set(name, widen(types.get(name), column.type));
    for (const [name, ref] of attributeKeysOf(segment)) keys.set(name, ref);
  }
  return [...types].map(([name, type]) => {
    const values = segments.map((s) => s.columns.get(name)?.values);
    const column: ColumnSource<number> = {
      name,
      type: type ?? 'string',
      get: (row) => values[Math.floor(row / 2 ** 32)]?.[row % 2 ** 32] ?? null,
    };
    const ref = keys.get(name);
    return ref ? ({ ...column, ...ref } satisfies AttributeColumn<number>) : column;
  });
}

async function mergeAggregates<R, Row>(
  segments: readonly ReadSegment[],
  encoding: SignalEncoding<R, Row>,
  reducer: RowReducer<Row>,
  task: CompactTask,
) {
  const rewindow = task.frequencyMs && reducer.rewindow ? reducer.rewindow.bind(reducer) : undefined;
  function* rows() {
    for (const segment of segments) {
      for (let i = 0; i < segment.rows; i++) {
        const row = reducer.read(segment, i);
        yield rewindow ? rewindow(row, task.frequencyMs as number) : row;
      }
    }
  }
  const merged = reduceRows(rows(), reducer);
  return encodeSegments(merged, encoding.columns(merged), encoding.layout, task.maxRows);
}
