import { readFile, writeFile } from 'node:fs/promises';
import { readSegment } from '../columns/parquet-reader.js';
import { writeParquet } from '../columns/parquet-writer.js';
import { sortIndices } from '../segments/encode.js';
import type { SegmentLayout } from '../segments/layout.js';

/**
 * Writes a sorted copy of a segment that is not sorted by the layout (written by something other
 * than this kit): read whole, so only such an input costs its size in memory.
 */
export async function writeSortedCopy(from: string, to: string, layout: SegmentLayout): Promise<void> {
  const segment = readSegment(await readFile(from));
  const order = Array.from({ length: segment.rows }, (_, i) => i);
  const keys = layout.sortColumns.map((name) => segment.columns.get(name)?.values ?? []);
  sortIndices(order, keys);
  const columns = [...segment.columns].map(([name, column]) => ({
    name,
    type: column.type,
    get: (i: number) => column.values[i] ?? null,
  }));
  await writeFile(to, await writeParquet(order, columns, Object.fromEntries(segment.metadata)));
}
