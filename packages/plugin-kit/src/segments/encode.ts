import { type ColumnSource, isAttributeColumn } from '../columns/index.js';
import { resolveColumns, writeParquet } from '../columns/parquet-writer.js';
import { dateintOfNanos } from '../timestamps.js';
import { DistinctValues } from './catalog-metadata.js';
import { compareValues } from './compare.js';
import type { SegmentLayout } from './layout.js';

/** One Parquet file of a signal's rows: one UTC day, sorted, at most maxRows rows. */
export interface EncodedSegment {
  dateint: number;
  /** Position among the day's files of this task. */
  part: number;
  records: number;
  /** Milliseconds since the epoch. */
  minTs: number;
  maxTs: number;
  parquet: Uint8Array;
  metadata: Record<string, unknown>;
}

/**
 * Splits rows by UTC day, sorts each day by the layout's sort columns, cuts it into files of at
 * most `maxRows` and writes each as ZSTD Parquet with the columns its rows use.
 */
export async function encodeSegments<Row>(
  rows: readonly Row[],
  columns: readonly ColumnSource<Row>[],
  layout: SegmentLayout,
  maxRows: number,
): Promise<EncodedSegment[]> {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const column = (name: string) => {
    const found = byName.get(name);
    if (!found) throw new Error(`segment layout names column ${name}, which the signal does not define`);
    return found;
  };
  const time = column(layout.timeColumn);
  const days = new Map<number, number[]>();
  const times: bigint[] = new Array(rows.length);
  rows.forEach((row, i) => {
    const ns = time.get(row) as bigint;
    times[i] = ns;
    const day = dateintOfNanos(ns);
    const list = days.get(day);
    if (list) list.push(i);
    else days.set(day, [i]);
  });
  // Each sort column's values read once, indexed like the rows: the sort compares indices.
  const keyColumns = layout.sortColumns.map((name) => {
    const source = column(name);
    return rows.map((row) => source.get(row));
  });
  const files: EncodedSegment[] = [];
  for (const [dateint, indices] of [...days].sort((a, b) => a[0] - b[0])) {
    sortIndices(indices, keyColumns);
    for (let part = 0; part * maxRows < indices.length; part++) {
      const slice = indices.slice(part * maxRows, (part + 1) * maxRows);
      const fileRows = slice.map((i) => rows[i] as Row);
      let min = times[slice[0] as number] as bigint;
      let max = min;
      for (const i of slice) {
        const t = times[i] as bigint;
        if (t < min) min = t;
        if (t > max) max = t;
      }
      const resolved = resolveColumns(fileRows, columns);
      files.push({
        dateint,
        part,
        records: slice.length,
        minTs: Number(min / 1_000_000n),
        maxTs: Number(max / 1_000_000n),
        parquet: await writeParquet(fileRows, resolved, {
          'lakerunner.columns': columnKeys(resolved, columns),
        }),
        metadata: catalogMetadata(fileRows, layout, column),
      });
    }
  }
  return files;
}

/**
 * Sorts row indices by key columns (`keyColumns[k][i]` is row i's k-th key), compared column by
 * column: no per-row key objects, and each value read once, before the sort.
 */
export function sortIndices(indices: number[], keyColumns: readonly (readonly unknown[])[]): void {
  indices.sort((a, b) => {
    for (const values of keyColumns) {
      const order = compareValues(values[a], values[b]);
      if (order !== 0) return order;
    }
    return 0;
  });
}

/** JSON of attribute column → { namespace, key }, so readers can find an attribute by its key. */
function columnKeys<Row>(
  resolved: readonly { name: string }[],
  columns: readonly ColumnSource<Row>[],
): string {
  const present = new Set(resolved.map((c) => c.name));
  const out: Record<string, { namespace: string; key: string }> = {};
  for (const c of columns)
    if (present.has(c.name) && isAttributeColumn(c)) out[c.name] = { namespace: c.namespace, key: c.key };
  return JSON.stringify(out);
}

function catalogMetadata<Row>(
  rows: readonly Row[],
  layout: SegmentLayout,
  column: (name: string) => ColumnSource<Row>,
): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(layout.metadataColumns ?? {})) {
    const source = column(name);
    const values = new DistinctValues();
    for (let i = 0; i < rows.length && values.open; i++) values.add(source.get(rows[i] as Row));
    metadata[key] = values.list();
  }
  return metadata;
}

/** A segment written to a local file rather than held in memory (compaction's outputs). */
export interface WrittenSegment extends Omit<EncodedSegment, 'parquet'> {
  path: string;
  bytes: number;
}
