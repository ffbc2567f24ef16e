import type { RowReducer } from './encoding.js';

/** Merges rows with the same key, keeping the first-seen order of keys. */
export function reduceRows<Row>(rows: Iterable<Row>, reducer: RowReducer<Row>): Row[] {
  const byKey = new Map<string, Row>();
  for (const row of rows) {
    const key = reducer.key(row);
    const found = byKey.get(key);
    byKey.set(key, found === undefined ? row : reducer.merge(found, row));
  }
  return [...byKey.values()];
}
