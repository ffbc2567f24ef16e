import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ColumnSource } from '../columns/column.js';
import { writeParquetFile } from '../columns/parquet-writer.js';
import { DistinctValues } from '../segments/catalog-metadata.js';
import { encodeSegments, type WrittenSegment } from '../segments/encode.js';
import type { SegmentLayout } from '../segments/layout.js';
import type { FileBatch } from './dedupe-merge.js';
import { attributeColumnsJson, type UnionColumn } from './union-columns.js';

/** Where output `part` of a day goes. */
function outputPath(dir: string, dateint: number, part: number): string {
  return join(dir, `output-${dateint}-${part}.parquet`);
}

/**
 * Writes merged batches as files of the union columns, one file at a time, each file's rows as
 * they arrive; collects per file what the catalog records (time range, listed values).
 */
export async function writeBatchFiles(
  batches: AsyncIterable<FileBatch>,
  columns: readonly UnionColumn[],
  layout: SegmentLayout,
  dir: string,
  dateint: number,
  written: WrittenSegment[],
): Promise<void> {
  const time = columns.findIndex((c) => c.name === layout.timeColumn);
  const listed = Object.entries(layout.metadataColumns ?? {}).map(([key, name]) => ({
    key,
    column: columns.findIndex((c) => c.name === name),
  }));
  const metadata = { 'lakerunner.columns': attributeColumnsJson(columns) };
  // Each id once in a merge's output.
  const ids = columns.some((c) => c.name === layout.idColumn) ? [layout.idColumn] : [];
  const source = batches[Symbol.asyncIterator]();
  for (let part = 0; ; part++) {
    const first = await source.next();
    if (first.done) return;
    let records = 0;
    let min: bigint | undefined;
    let max: bigint | undefined;
    const values = listed.map(() => new DistinctValues());
    async function* fileBatches(): AsyncGenerator<FileBatch> {
      for (let next = first; !next.done; next = await source.next()) {
        const batch = next.value;
        const times = batch.values[time] ?? [];
        for (let i = 0; i < batch.length; i++) {
          const t = times[i] as bigint;
          if (min === undefined || t < min) min = t;
          if (max === undefined || t > max) max = t;
        }
        listed.forEach(({ column }, j) => {
          const distinct = values[j] as DistinctValues;
          const list = batch.values[column] ?? [];
          for (let i = 0; i < batch.length && distinct.open; i++) distinct.add(list[i]);
        });
        records += batch.length;
        yield batch;
        if (batch.endsFile) return;
      }
    }
    const path = outputPath(dir, dateint, part);
    await writeParquetFile(path, columns, fileBatches(), { metadata, distinct: ids });
    written.push({
      dateint,
      part,
      records,
      minTs: Number((min ?? 0n) / 1_000_000n),
      maxTs: Number((max ?? 0n) / 1_000_000n),
      metadata: Object.fromEntries(listed.map(({ key }, j) => [key, (values[j] as DistinctValues).list()])),
      path,
      bytes: (await stat(path)).size,
    });
  }
}

/**
 * Writes aggregated rows, one file's rows at a time, with the columns the signal gives those
 * rows (as ingest does).
 */
export async function writeRowFiles<Row>(
  files: AsyncIterable<Row[]>,
  columns: (rows: readonly Row[]) => ColumnSource<Row>[],
  layout: SegmentLayout,
  dir: string,
  dateint: number,
  written: WrittenSegment[],
): Promise<void> {
  let part = 0;
  for await (const rows of files) {
    for (const encoded of await encodeSegments(rows, columns(rows), layout, rows.length)) {
      const { parquet, ...facts } = encoded;
      const path = outputPath(dir, dateint, part);
      await writeFile(path, parquet);
      written.push({ ...facts, dateint, part, path, bytes: parquet.byteLength });
      part++;
    }
  }
}
