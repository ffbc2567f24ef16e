import type { ColumnType } from '../src/columns/column.js';
import type { ReadSegment } from '../src/columns/parquet-reader.js';
import { writeParquet } from '../src/columns/parquet-writer.js';
import { compareKeys } from '../src/segments/compare.js';
import type { SignalEncoding } from '../src/segments/encoding.js';
import type { SegmentLayout } from '../src/segments/layout.js';

export type Row = Record<string, unknown>;

export const layout: SegmentLayout = { sortColumns: ['svc', 'ts'], timeColumn: 'ts', idColumn: 'id' };
/** 2024-03-01T00:00:00Z in nanoseconds. */
export const T0 = BigInt(Date.UTC(2024, 2, 1)) * 1_000_000n;
export const BASE = { id: 'string', ts: 'timestamp', svc: 'string' } as const;
export const recordsEncoding: SignalEncoding<never, Row> = {
  layout,
  toRow: () => {
    throw new Error('unused');
  },
  columns: () => [],
};

const sortKey = (r: Row) => layout.sortColumns.map((c) => r[c] ?? null);

/** Columns of the given types, each reading the row's field of its name. */
export function columnsOf(types: Record<string, ColumnType>) {
  return Object.entries(types).map(([name, type]) => ({ name, type, get: (r: Row) => r[name] ?? null }));
}

/** A segment as ingest writes one: sorted by the layout, with the given column types. */
export async function segment(rows: Row[], types: Record<string, ColumnType> = BASE): Promise<Uint8Array> {
  const sorted = [...rows].sort((a, b) => compareKeys(sortKey(a), sortKey(b)));
  return writeParquet(sorted, columnsOf(types), { 'lakerunner.columns': '{}' });
}

export function rowsOf(read: ReadSegment): Row[] {
  return Array.from({ length: read.rows }, (_, i) =>
    Object.fromEntries([...read.columns].map(([name, c]) => [name, c.values[i]])),
  );
}

/** What compaction wrote before it streamed: every row in input order, first of each id, stably sorted. */
export function inMemoryReference(inputs: ReadSegment[]): Row[] {
  const seen = new Set<unknown>();
  const rows = inputs.flatMap(rowsOf).filter((r) => {
    if (typeof r.id !== 'string') return true;
    if (seen.has(r.id)) return false;
    seen.add(r.id);
    return true;
  });
  return rows.sort((a, b) => compareKeys(sortKey(a), sortKey(b)));
}
