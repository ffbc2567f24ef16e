import type { ObjectStore } from '../../packages/core/src/index.js';
import { readSegment } from '../../packages/plugin-kit/src/index.js';

/** The rows of segments as plain objects (column → value), read back with the kit's reader. */
export async function segmentRows(
  store: ObjectStore,
  keys: readonly string[],
): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (const key of keys) {
    const segment = readSegment(await store.getBytes(key));
    for (let i = 0; i < segment.rows; i++) {
      const row: Record<string, unknown> = {};
      for (const [name, column] of segment.columns) row[name] = column.values[i];
      rows.push(row);
    }
  }
  return rows;
}
