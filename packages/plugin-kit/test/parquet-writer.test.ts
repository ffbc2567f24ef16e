import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ColumnSource, ColumnType } from '../src/columns/column.js';
import { readSegment } from '../src/columns/parquet-reader.js';
import { type ResolvedColumn, resolveColumns, writeParquet } from '../src/columns/parquet-writer.js';
import type { AnyValue } from '../src/values.js';

type Row = Record<string, unknown>;

const fixed = (name: string, type: ColumnType): ColumnSource<Row> => ({ name, type, get: (r) => r[name] });
const dynamic = (name: string): ColumnSource<Row> => ({ name, get: (r) => r[name] });

async function roundTrip(rows: Row[], columns: ColumnSource<Row>[], metadata?: Record<string, string>) {
  return readSegment(await writeParquet(rows, resolveColumns(rows, columns), metadata));
}

function table(read: ReturnType<typeof readSegment>) {
  return Object.fromEntries([...read.columns].map(([name, c]) => [name, c]));
}

describe('writeParquet + readSegment of fixed types', () => {
  it('round-trips every column type exactly, with nulls in every column', async () => {
    const rows: Row[] = [
      {
        s: 'héllo',
        i64: 9007199254740993n,
        i32: -2147483648,
        d: Number.NaN,
        b: true,
        bin: new Uint8Array([0, 255]),
        ts: 1_700_000_000_123_456_789n,
      },
      {
        s: '',
        i64: -9223372036854775808n,
        i32: 2147483647,
        d: Number.POSITIVE_INFINITY,
        b: false,
        bin: new Uint8Array(),
        ts: 1n,
      },
      { s: null, i64: null, i32: null, d: null, b: null, bin: null, ts: null },
      {
        s: '日本語 "quoted"',
        i64: 9223372036854775807n,
        i32: 0,
        d: -1.5e-300,
        b: undefined,
        bin: new Uint8Array([7]),
        ts: 9_000_000_000_000_000_001n,
      },
    ];
    const types: [string, ColumnType][] = [
      ['s', 'string'],
      ['i64', 'int64'],
      ['i32', 'int32'],
      ['d', 'double'],
      ['b', 'bool'],
      ['bin', 'binary'],
      ['ts', 'timestamp'],
    ];
    const read = await roundTrip(
      rows,
      types.map(([n, t]) => fixed(n, t)),
    );
    expect(read.rows).toBe(4);
    expect([...read.columns.keys()]).toEqual(types.map(([n]) => n));
    expect(table(read)).toEqual({
      s: { type: 'string', values: ['héllo', '', null, '日本語 "quoted"'] },
      i64: { type: 'int64', values: [9007199254740993n, -9223372036854775808n, null, 9223372036854775807n] },
      i32: { type: 'int32', values: [-2147483648, 2147483647, null, 0] },
      d: { type: 'double', values: [Number.NaN, Number.POSITIVE_INFINITY, null, -1.5e-300] },
      b: { type: 'bool', values: [true, false, null, null] },
      bin: {
        type: 'binary',
        values: [new Uint8Array([0, 255]), new Uint8Array(), null, new Uint8Array([7])],
      },
      ts: { type: 'timestamp', values: [1_700_000_000_123_456_789n, 1n, null, 9_000_000_000_000_000_001n] },
    });
  });

  it('keeps a fixed column that holds no value at all', async () => {
    const read = await roundTrip([{}, {}], [fixed('s', 'string'), fixed('n', 'int64')]);
    expect(table(read)).toEqual({
      s: { type: 'string', values: [null, null] },
      n: { type: 'int64', values: [null, null] },
    });
  });

  it('keeps key-value metadata', async () => {
    const read = await roundTrip([{ a: 'x' }], [fixed('a', 'string')], {
      'lakerunner.columns': '{"attr_a":{"namespace":"attributes","key":"a"}}',
      other: 'é',
    });
    expect(read.metadata.get('lakerunner.columns')).toBe('{"attr_a":{"namespace":"attributes","key":"a"}}');
    expect(read.metadata.get('other')).toBe('é');
  });

  it('returns a buffer of its own, so it can be transferred to another thread', async () => {
    const file = await writeParquet([{ a: 'x' }], [{ name: 'a', type: 'string', get: (r: Row) => r.a }]);
    expect(file.byteOffset).toBe(0);
    expect(file.byteLength).toBe(file.buffer.byteLength);
    expect(Buffer.from(file.subarray(0, 4)).toString()).toBe('PAR1');
  });
});

describe('dynamic columns', () => {
  it('take the type their values share, widening int64 and double to double', async () => {
    const rows: Row[] = [
      { n: 1n, f: 1.5, i: 7n, b: true, bin: new Uint8Array([1]) },
      { n: 2.5 },
      { n: null },
    ];
    const read = await roundTrip(rows, ['n', 'f', 'i', 'b', 'bin'].map(dynamic));
    expect(table(read)).toEqual({
      n: { type: 'double', values: [1, 2.5, null] },
      f: { type: 'double', values: [1.5, null, null] },
      i: { type: 'int64', values: [7n, null, null] },
      b: { type: 'bool', values: [true, null, null] },
      bin: { type: 'binary', values: [new Uint8Array([1]), null, null] },
    });
  });

  it('widen any other mix to string, every value kept as text', async () => {
    const rows: Row[] = [
      { m: 'x', k: true },
      { m: 9007199254740993n, k: 2n },
      { m: 1.5, k: new Uint8Array([0, 255]) },
      { m: false, k: null },
    ];
    const read = await roundTrip(rows, [dynamic('m'), dynamic('k')]);
    expect(table(read)).toEqual({
      m: { type: 'string', values: ['x', '9007199254740993', '1.5', 'false'] },
      k: { type: 'string', values: ['true', '2', 'AP8=', null] },
    });
  });

  it('store arrays and kvlists as JSON text', async () => {
    const rows: Row[] = [
      { v: [1n, 'a', null] as AnyValue },
      { v: new Map<string, AnyValue>([['k', new Map([['n', 9007199254740993n]])]]) },
      { v: 'plain' },
    ];
    const read = await roundTrip(rows, [dynamic('v')]);
    expect(table(read)).toEqual({
      v: { type: 'string', values: ['[1,"a",null]', '{"k":{"n":9007199254740993}}', 'plain'] },
    });
  });

  it('are left out when they hold no value in these rows', async () => {
    const columns = [dynamic('empty'), dynamic('a'), fixed('f', 'string')];
    const rows: Row[] = [{ a: 'x', empty: null }, { a: 'y' }];
    expect(resolveColumns(rows, columns).map((c) => [c.name, c.type])).toEqual([
      ['a', 'string'],
      ['f', 'string'],
    ]);
    expect([...(await roundTrip(rows, columns)).columns.keys()]).toEqual(['a', 'f']);
  });
});

describe('wide files', () => {
  it('writes and reads back a file wider than one batch of cells (2,000 columns × 3,000 rows)', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => i);
    const columns: ResolvedColumn<number>[] = Array.from({ length: 2000 }, (_, c) => ({
      name: `c${c}`,
      type: 'bool',
      get: (r: number) => (r + c) % 3 === 0,
    }));
    // A column with nulls only in the second batch, and one whose values all differ.
    columns.push(
      { name: 'late_nulls', type: 'string', get: (r) => (r >= 2500 ? null : `v${r}`) },
      { name: 'n', type: 'int64', get: (r) => BigInt(r) * 1_000_000_007n },
    );
    const read = readSegment(await writeParquet(rows, columns));
    expect(read.rows).toBe(3000);
    expect(read.columns.size).toBe(2002);
    for (const c of [0, 1, 999, 1999]) {
      expect(read.columns.get(`c${c}`)?.values).toEqual(rows.map((r) => (r + c) % 3 === 0));
    }
    expect(read.columns.get('late_nulls')?.values).toEqual(rows.map((r) => (r >= 2500 ? null : `v${r}`)));
    expect(read.columns.get('n')?.values).toEqual(rows.map((r) => BigInt(r) * 1_000_000_007n));
  }, 30_000); // Seconds of work; slower when the machine is busy.

  it('keeps row order across row groups', async () => {
    const rows = Array.from({ length: 70_000 }, (_, i) => i);
    const read = readSegment(await writeParquet(rows, [{ name: 'i', type: 'int32', get: (r: number) => r }]));
    expect(read.columns.get('i')?.values).toEqual(rows);
  });
});

describe('random typed tables (property)', () => {
  const typeValues: Record<ColumnType, fc.Arbitrary<unknown>> = {
    string: fc.string({ unit: 'grapheme', maxLength: 8 }),
    int64: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    int32: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    double: fc.double(),
    bool: fc.boolean(),
    binary: fc.uint8Array({ maxLength: 8 }),
    timestamp: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }),
  };
  const types = Object.keys(typeValues) as ColumnType[];
  const tableArb = fc.array(fc.constantFrom(...types), { minLength: 1, maxLength: 6 }).chain((columnTypes) =>
    fc.tuple(
      fc.constant(columnTypes),
      fc.array(fc.tuple(...columnTypes.map((t) => fc.option(typeValues[t], { freq: 4 }))), {
        minLength: 1,
        maxLength: 40,
      }),
    ),
  );

  it('reads back every value of every type', async () => {
    await fc.assert(
      fc.asyncProperty(tableArb, async ([columnTypes, rows]) => {
        const columns = columnTypes.map((type, i) => ({ name: `c${i}`, type, get: (r: unknown[]) => r[i] }));
        const read = readSegment(await writeParquet(rows, columns));
        expect(read.rows).toBe(rows.length);
        columnTypes.forEach((type, i) => {
          expect(read.columns.get(`c${i}`)).toEqual({ type, values: rows.map((r) => r[i] ?? null) });
        });
      }),
      { numRuns: 40 },
    );
  });
});
