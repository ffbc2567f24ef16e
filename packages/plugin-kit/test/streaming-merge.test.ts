import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ColumnSource } from '../src/columns/column.js';
import { readSegment } from '../src/columns/parquet-reader.js';
import { runCompactTask } from '../src/compact/merge-task.js';
import { compareKeys } from '../src/segments/compare.js';
import type { RowReducer, SignalEncoding } from '../src/segments/encoding.js';
import { reduceRows } from '../src/segments/reduce.js';
import { BASE, inMemoryReference, type Row, recordsEncoding, rowsOf, segment, T0 } from './merge-support.js';

async function compact(
  inputs: Uint8Array[],
  encoding = recordsEncoding,
  extra: { frequencyMs?: number } = {},
) {
  return runCompactTask(
    {
      kind: 'compact',
      maxRows: 1_000_000,
      segments: inputs.map((bytes, i) => ({ objectKey: `in${i}`, bytes })),
      ...extra,
    },
    encoding,
  );
}

describe('streaming compaction merge', () => {
  it('equals the in-memory sort and dedupe of the union for random sorted inputs', async () => {
    const record = fc.record({
      id: fc.integer({ min: 0, max: 40 }),
      svc: fc.constantFrom('a', 'b', null),
      dt: fc.integer({ min: 0, max: 5 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(record, { minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 6 }),
        async (sets) => {
          // A row id is one record everywhere: its content follows from the id.
          const content = (id: number) => ({
            id: `r${id}`,
            svc: ['a', 'b', null][id % 3],
            ts: T0 + BigInt(id % 6),
          });
          const inputs = await Promise.all(sets.map((set) => segment(set.map((r) => content(r.id)))));
          const result = await compact(inputs);
          const expected = inMemoryReference(inputs.map(readSegment));
          const got = result.files.flatMap((f) => rowsOf(readSegment(f.parquet)));
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('keeps the first input’s row among rows of equal key and orders them by input', async () => {
    const inputs = await Promise.all(
      [0, 1, 2, 3].map((i) =>
        segment(
          [
            { id: `own${i}`, ts: T0 + 5n, svc: 'a', n: BigInt(i) },
            { id: 'shared', ts: T0 + 5n, svc: 'a', n: 7n },
          ],
          { ...BASE, n: 'int64' },
        ),
      ),
    );
    const got = rowsOf(readSegment((await compact(inputs)).files[0]?.parquet ?? new Uint8Array()));
    expect(got.map((r) => r.id)).toEqual(['own0', 'shared', 'own1', 'own2', 'own3']);
  });

  it('widens a column whose type differs between many inputs', async () => {
    const a = await segment([{ id: '1', ts: T0, svc: 'a', v: 1n }], { ...BASE, v: 'int64' });
    const b = await segment([{ id: '2', ts: T0 + 1n, svc: 'a', v: 2.5 }], { ...BASE, v: 'double' });
    const c = await segment([{ id: '3', ts: T0 + 2n, svc: 'a', w: true }], { ...BASE, w: 'bool' });
    const read = readSegment((await compact([a, b, c])).files[0]?.parquet ?? new Uint8Array());
    expect(read.columns.get('v')).toEqual({ type: 'double', values: [1, 2.5, null] });
    expect(read.columns.get('w')).toEqual({ type: 'bool', values: [null, null, true] });
  });

  // Skipped: parquet-wasm traps (RuntimeError: unreachable) on some corrupt pages inside an async
  // read, outside any promise the caller holds, and the module's state is unusable afterwards.
  it.skip('fails only an input whose second row group is corrupt, found part way through the merge', async () => {
    const rows = (tag: string) =>
      Array.from({ length: 40_000 }, (_, i) => ({ id: `${tag}${i}`, ts: T0 + BigInt(i), svc: 'a' }));
    const good = await segment(rows('g'));
    const bad = await segment(rows('b'));
    expect(readSegment(bad).rows).toBe(40_000);
    const corrupt = new Uint8Array(bad);
    // Garbage over the middle of the file: past the first row group, before the footer.
    corrupt.fill(0x5a, Math.floor(corrupt.length * 0.55), Math.floor(corrupt.length * 0.75));
    const result = await compact([good, corrupt]);
    expect(result.failures.map((f) => [f.source, f.code])).toEqual([[1, 'LR_INPUT_CORRUPT']]);
    expect(result.failures[0]?.reason).toMatch(/^in1: not a readable segment: /);
    expect(result.counts.map((c) => c.records)).toEqual([40_000, 0]);
    const ids = result.files.flatMap((f) => readSegment(f.parquet).columns.get('id')?.values ?? []);
    expect(ids).toHaveLength(40_000);
    expect(ids.every((id) => String(id).startsWith('g'))).toBe(true);
  });

  it('rolls up windows of one series across inputs as the in-memory reduce did', async () => {
    type Agg = { svc: string; ts: bigint; count: bigint; sum: number };
    const windowOf = (ts: bigint, ms: number) => ts - (ts % (BigInt(ms) * 1_000_000n));
    const reducer: RowReducer<Agg> = {
      key: (r) => `${r.svc}:${r.ts}`,
      merge: (into, other) => ({ ...into, count: into.count + other.count, sum: into.sum + other.sum }),
      read: (s, i) => ({
        svc: s.columns.get('svc')?.values[i] as string,
        ts: s.columns.get('ts')?.values[i] as bigint,
        count: s.columns.get('count')?.values[i] as bigint,
        sum: s.columns.get('sum')?.values[i] as number,
      }),
      rewindow: (r, ms) => ({ ...r, ts: windowOf(r.ts, ms) }),
    };
    const columns: ColumnSource<Agg>[] = [
      { name: 'svc', type: 'string', get: (r) => r.svc },
      { name: 'ts', type: 'timestamp', get: (r) => r.ts },
      { name: 'count', type: 'int64', get: (r) => r.count },
      { name: 'sum', type: 'double', get: (r) => r.sum },
    ];
    const encoding: SignalEncoding<never, Agg> = {
      layout: { sortColumns: ['svc', 'ts'], timeColumn: 'ts', idColumn: 'svc' },
      toRow: () => {
        throw new Error('unused');
      },
      columns: () => columns,
      reducer,
    };
    const SECOND = 1_000_000_000n;
    const inputRows: Agg[][] = [0, 1, 2].map((k) =>
      Array.from({ length: 120 }, (_, i) => ({
        svc: `s${i % 3}`,
        ts: T0 + BigInt(i * 10 + k) * SECOND,
        count: 1n,
        sum: i * 0.1 + k,
      })),
    );
    const types = { svc: 'string', ts: 'timestamp', count: 'int64', sum: 'double' } as const;
    const inputs = await Promise.all(inputRows.map((rows) => segment(rows as unknown as Row[], types)));
    const result = await compact(inputs, encoding as unknown as SignalEncoding<never, Row>, {
      frequencyMs: 60_000,
    });
    const got = result.files.flatMap((f) => rowsOf(readSegment(f.parquet)));
    const read = inputs.map(readSegment);
    const reference = reduceRows(
      read.flatMap((s) =>
        Array.from({ length: s.rows }, (_, i) => reducer.rewindow?.(reducer.read(s, i), 60_000) as Agg),
      ),
      reducer,
    ).sort((a, b) => compareKeys([a.svc, a.ts], [b.svc, b.ts]));
    expect(got).toEqual(reference.map((r) => ({ svc: r.svc, ts: r.ts, count: r.count, sum: r.sum })));
    expect(got.reduce((n, r) => n + (r.count as bigint), 0n)).toBe(360n);
  });
});
