import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ColumnSource } from '../src/columns/column.js';
import { readSegment } from '../src/columns/parquet-reader.js';
import { writeParquet } from '../src/columns/parquet-writer.js';
import { runCompactTask } from '../src/compact/merge-task.js';
import { compareKeys } from '../src/segments/compare.js';
import type { RowReducer, SignalEncoding } from '../src/segments/encoding.js';
import {
  BASE,
  columnsOf,
  inMemoryReference,
  type Row,
  recordsEncoding,
  rowsOf,
  segment,
  T0,
} from './merge-support.js';

// More inputs than the merge's fan-in: merged in passes through sorted runs, the result must be
// the one a single merge of all inputs gives.

const DAY = 86_400_000_000_000n;

async function compact(
  inputs: Uint8Array[],
  fanIn: number,
  encoding = recordsEncoding,
  extra: { frequencyMs?: number; maxRows?: number } = {},
) {
  const result = await runCompactTask(
    {
      kind: 'compact',
      maxRows: extra.maxRows ?? 1_000_000,
      segments: inputs.map((bytes, i) => ({ objectKey: `in${i}`, bytes })),
      fanIn,
      ...(extra.frequencyMs ? { frequencyMs: extra.frequencyMs } : {}),
    },
    encoding,
  );
  return {
    ...result,
    files: result.files.map((f) => ({
      dateint: f.dateint,
      records: f.records,
      rows: rowsOf(readSegment(f.parquet)),
    })),
  };
}

type Agg = {
  svc: string;
  ts: bigint;
  count: bigint;
  sum: number;
  first: number;
  firstTs: bigint;
  last: number;
};

/** A reducer whose fold depends on order: floating-point sums, and the first and last values met. */
const aggregates: SignalEncoding<never, Agg> = {
  layout: { sortColumns: ['svc', 'ts'], timeColumn: 'ts', idColumn: 'svc' },
  toRow: () => {
    throw new Error('unused');
  },
  columns: (): ColumnSource<Agg>[] => [
    { name: 'svc', type: 'string', get: (r) => r.svc },
    { name: 'ts', type: 'timestamp', get: (r) => r.ts },
    { name: 'count', type: 'int64', get: (r) => r.count },
    { name: 'sum', type: 'double', get: (r) => r.sum },
    { name: 'first', type: 'double', get: (r) => r.first },
    { name: 'first_ts', type: 'timestamp', get: (r) => r.firstTs },
    { name: 'last', type: 'double', get: (r) => r.last },
  ],
  reducer: {
    key: (r) => `${r.svc}:${r.ts}`,
    merge: (into, other) => ({
      ...into,
      count: into.count + other.count,
      sum: into.sum + other.sum,
      // Ties keep the value folded in first: the order of the fold shows.
      ...(other.firstTs < into.firstTs ? { first: other.first, firstTs: other.firstTs } : {}),
      last: other.last,
    }),
    read: (s, i) => {
      const v = (name: string) => s.columns.get(name)?.values[i];
      return {
        svc: v('svc') as string,
        ts: v('ts') as bigint,
        count: v('count') as bigint,
        sum: v('sum') as number,
        first: v('first') as number,
        firstTs: v('first_ts') as bigint,
        last: v('last') as number,
      };
    },
    rewindow: (r, ms) => ({ ...r, ts: r.ts - (r.ts % (BigInt(ms) * 1_000_000n)) }),
  } satisfies RowReducer<Agg>,
};
const AGG_TYPES = {
  svc: 'string',
  ts: 'timestamp',
  count: 'int64',
  sum: 'double',
  first: 'double',
  first_ts: 'timestamp',
  last: 'double',
} as const;

describe('compaction merge of more inputs than its fan-in', () => {
  it('equals a single merge and the in-memory reference, repeats across groups and passes dropped', async () => {
    const record = fc.record({ id: fc.integer({ min: 0, max: 60 }), day: fc.integer({ min: 0, max: 4 }) });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(record, { minLength: 1, maxLength: 12 }), { minLength: 4, maxLength: 14 }),
        fc.integer({ min: 2, max: 4 }),
        async (sets, fanIn) => {
          // A row id is one record everywhere: its content follows from the id; a few days.
          const content = (id: number) => ({
            id: `r${id}`,
            svc: ['a', 'b', null][id % 3],
            ts: T0 + BigInt(id % 7) + (id % 5 === 0 ? DAY : 0n),
          });
          const inputs = await Promise.all(sets.map((set) => segment(set.map((r) => content(r.id)))));
          const single = await compact(inputs, 1000);
          const bounded = await compact(inputs, fanIn);
          expect(bounded.files).toEqual(single.files);
          expect(bounded.failures).toEqual([]);
          expect(bounded.files.flatMap((f) => f.rows)).toEqual(
            inMemoryReference(inputs.map(readSegment)).sort((a, b) =>
              Number((a.ts as bigint) / DAY - (b.ts as bigint) / DAY),
            ),
          );
        },
      ),
      { numRuns: 25 },
    );
  }, 60_000);

  it('keeps the earliest input’s row of a repeated id and orders equal keys by input across runs', async () => {
    const inputs = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        segment(
          [
            { id: `own${i}`, ts: T0 + 5n, svc: 'a', n: BigInt(i) },
            { id: 'shared', ts: T0 + 5n, svc: 'a', n: BigInt(100 + i) },
          ],
          { ...BASE, n: 'int64' },
        ),
      ),
    );
    const [file] = (await compact(inputs, 3)).files;
    expect(file?.rows.map((r) => r.id)).toEqual([
      'own0',
      'shared',
      ...Array.from({ length: 9 }, (_, i) => `own${i + 1}`),
    ]);
    expect(file?.rows.find((r) => r.id === 'shared')?.n).toBe(100n);
  });

  it('widens a column across inputs merged in different runs as a single merge does', async () => {
    const inputs = await Promise.all([
      segment([{ id: '1', ts: T0, svc: 'a', v: 9007199254740993n }], { ...BASE, v: 'int64' }),
      segment([{ id: '2', ts: T0 + 1n, svc: 'a', v: 2.5 }], { ...BASE, v: 'double' }),
      segment([{ id: '3', ts: T0 + 2n, svc: 'a', v: 'x' }], { ...BASE, v: 'string' }),
      segment([{ id: '4', ts: T0 + 3n, svc: 'a', w: true }], { ...BASE, w: 'bool' }),
      segment([{ id: '5', ts: T0 + 4n, svc: 'a', v: 7n }], { ...BASE, v: 'int64' }),
    ]);
    const bounded = await compact(inputs, 2);
    expect(bounded.files).toEqual((await compact(inputs, 100)).files);
    expect(bounded.files[0]?.rows.map((r) => r.v)).toEqual(['9007199254740993', '2.5', 'x', null, '7']);
  });

  it('folds aggregated rows across passes in input order, exactly as a single merge', async () => {
    const SECOND = 1_000_000_000n;
    const inputRows: Agg[][] = Array.from({ length: 11 }, (_, k) =>
      Array.from({ length: 40 }, (_, i) => {
        const ts = T0 + BigInt((i * 7 + k * 3) % 180) * SECOND + (k % 4 === 0 ? DAY : 0n);
        // Values whose float sums differ by grouping, and firsts and lasts that tie on time.
        return {
          svc: `s${i % 3}`,
          ts,
          count: 1n,
          sum: 0.1 * (k + 1) + i / 3,
          first: k,
          firstTs: T0,
          last: k * 10 + i,
        };
      }),
    );
    const row = (r: Agg) => ({ ...r, first_ts: r.firstTs });
    const inputs = await Promise.all(inputRows.map((rows) => segment(rows.map(row), AGG_TYPES)));
    const encoding = aggregates as unknown as SignalEncoding<never, Row>;
    for (const frequencyMs of [undefined, 60_000]) {
      const single = await compact(inputs, 1000, encoding, { frequencyMs });
      for (const fanIn of [2, 3, 5]) {
        const bounded = await compact(inputs, fanIn, encoding, { frequencyMs });
        expect(bounded.files).toEqual(single.files);
      }
      const counts = single.files.flatMap((f) => f.rows).reduce((n, r) => n + (r.count as bigint), 0n);
      expect(counts).toBe(440n);
    }
    // The fold order shows in the result: a different grouping of the sums would differ.
    const rolled = (await compact(inputs, 3, encoding, { frequencyMs: 3_600_000 })).files.flatMap(
      (f) => f.rows,
    );
    const sums = new Map<string, number>();
    // Each input's rows in its stored order (sorted), the order they fold in.
    const stored = (rows: Agg[]) => [...rows].sort((a, b) => compareKeys([a.svc, a.ts], [b.svc, b.ts]));
    for (const rows of inputRows)
      for (const r of stored(rows)) {
        const key = `${r.svc}:${r.ts / DAY}`;
        sums.set(key, (sums.get(key) ?? 0) + r.sum);
      }
    expect(rolled.map((r) => r.sum)).toEqual(
      rolled.map((r) => sums.get(`${r.svc}:${(r.ts as bigint) / DAY}`)),
    );
  });

  it('sorts an unsorted input found in a pass and fails only a corrupt one', async () => {
    const rows = (tag: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({ id: `${tag}${i}`, ts: T0 + BigInt(i), svc: i % 2 ? 'b' : 'a' }));
    const sorted = await Promise.all(Array.from({ length: 7 }, (_, i) => segment(rows(`g${i}-`, 30))));
    const unsorted = await writeParquet(rows('u-', 30).reverse(), columnsOf(BASE), {
      'lakerunner.columns': '{}',
    });
    // A damaged footer (damaged pages trap inside parquet-wasm, see streaming-merge.test.ts).
    const corrupt = new Uint8Array(sorted[0] ?? []);
    corrupt.fill(0x5a, corrupt.length - 64, corrupt.length - 4);
    const inputs = [...sorted.slice(0, 3), unsorted, ...sorted.slice(3), corrupt];
    const result = await compact(inputs, 3);
    expect(result.failures.map((f) => [f.source, f.code])).toEqual([[8, 'LR_INPUT_CORRUPT']]);
    const reference = await compact(inputs.slice(0, 8), 100);
    expect(result.files).toEqual(reference.files);
    expect(result.files.flatMap((f) => f.rows)).toHaveLength(240);
  });

  it('removes its sorted runs from the unit’s directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bounded-merge-'));
    try {
      const inputs = await Promise.all(
        Array.from({ length: 9 }, (_, k) =>
          segment(Array.from({ length: 20 }, (_, i) => ({ id: `${k}-${i}`, ts: T0 + BigInt(i), svc: 'a' }))),
        ),
      );
      const segments = await Promise.all(
        inputs.map(async (bytes, i) => {
          const path = join(dir, `input-${i}.parquet`);
          await writeFile(path, bytes);
          return { objectKey: `in${i}`, path };
        }),
      );
      const result = await runCompactTask(
        { kind: 'compact', maxRows: 50, segments, outputDir: dir, fanIn: 2 },
        recordsEncoding,
      );
      expect(result.written?.map((w) => w.records)).toEqual([50, 50, 50, 30]);
      const files = (await readdir(dir)).sort();
      expect(files.filter((f) => !f.startsWith('input-'))).toEqual(
        result.written?.map((w) => w.path.slice(dir.length + 1)).sort(),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
