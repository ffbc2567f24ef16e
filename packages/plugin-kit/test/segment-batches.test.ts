import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ColumnType } from '../src/columns/column.js';
import { readSegment } from '../src/columns/parquet-reader.js';
import { writeParquet } from '../src/columns/parquet-writer.js';
import { openSegmentFile, segmentBatches } from '../src/merge/segment-file.js';

type Row = Record<string, unknown>;

describe('segment batches', () => {
  it('give back every row of the file in order, in batches cut from larger decoded batches', async () => {
    const rows: Row[] = Array.from({ length: 10_000 }, (_, i) => ({
      s: i % 7 === 0 ? null : i % 5 === 0 ? '' : `v${Math.floor(i / 3)}`,
      b: i % 11 === 0 ? null : i % 2 === 0,
      n: i % 13 === 0 ? null : BigInt(i) * 1_000_000_007n,
      t: BigInt(i),
      d: i % 17 === 0 ? null : i / 7,
      k: i % 19 === 0 ? null : i,
    }));
    const types: Record<string, ColumnType> = {
      s: 'string',
      b: 'bool',
      n: 'int64',
      t: 'timestamp',
      d: 'double',
      k: 'int32',
    };
    const bytes = await writeParquet(
      rows,
      Object.entries(types).map(([name, type]) => ({ name, type, get: (r: Row) => r[name] ?? null })),
    );
    const dir = await mkdtemp(join(tmpdir(), 'segment-batches-'));
    try {
      const path = join(dir, 'a.parquet');
      await writeFile(path, bytes);
      const expected = readSegment(bytes);
      for (const size of [700, 4096, 5000]) {
        const got: Record<string, unknown[]> = Object.fromEntries(Object.keys(types).map((n) => [n, []]));
        let count = 0;
        for await (const batch of segmentBatches(await openSegmentFile(path), size)) {
          expect(batch.rows).toBeLessThanOrEqual(size);
          count += batch.rows;
          for (const name of Object.keys(types)) got[name]?.push(...(batch.columns.get(name)?.values ?? []));
        }
        expect(count).toBe(10_000);
        for (const name of Object.keys(types)) {
          expect(got[name]).toEqual(rows.map((r) => r[name] ?? null));
          expect(got[name]).toEqual(expected.columns.get(name)?.values);
        }
        expect(got.s?.slice(0, 6)).toEqual([null, 'v0', 'v0', 'v1', 'v1', '']);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
