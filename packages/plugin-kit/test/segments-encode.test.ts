import { describe, expect, it } from 'vitest';
import { type AttributeNamespace, attributeColumns } from '../src/columns/attribute-columns.js';
import type { ColumnSource } from '../src/columns/column.js';
import { readSegment } from '../src/columns/parquet-reader.js';
import { encodeSegments, sortIndices } from '../src/segments/encode.js';
import type { SegmentLayout } from '../src/segments/layout.js';
import type { Attributes } from '../src/values.js';

interface Row {
  id: string;
  ts: bigint;
  svc: string | null;
  attrs?: Attributes;
}

const DAY = 86_400_000_000_000n;
/** 2024-03-01T00:00:00Z in nanoseconds. */
const MARCH_1 = BigInt(Date.UTC(2024, 2, 1)) * 1_000_000n;

const NAMESPACES: AttributeNamespace<Row>[] = [{ prefix: 'attr_', name: 'attributes', get: (r) => r.attrs }];

const fixedColumns: ColumnSource<Row>[] = [
  { name: 'id', type: 'string', get: (r) => r.id },
  { name: 'ts', type: 'timestamp', get: (r) => r.ts },
  { name: 'svc', type: 'string', get: (r) => r.svc },
];
const columnsOf = (rows: readonly Row[]) => [...fixedColumns, ...attributeColumns(rows, NAMESPACES, 100)];

const layout: SegmentLayout = {
  sortColumns: ['svc', 'ts'],
  timeColumn: 'ts',
  idColumn: 'id',
  metadataColumns: { services: 'svc' },
};

const row = (id: string, ts: bigint, svc: string | null, attrs?: Record<string, string>): Row => ({
  id,
  ts,
  svc,
  ...(attrs ? { attrs: new Map(Object.entries(attrs)) } : {}),
});

const ids = (parquet: Uint8Array) => readSegment(parquet).columns.get('id')?.values;

describe('encodeSegments', () => {
  it('splits rows by UTC day, in day order, whatever order they come in', async () => {
    const rows = [
      row('late', MARCH_1 + DAY, 'a'),
      row('last-ns', MARCH_1 - 1n, 'a'),
      row('first-ns', MARCH_1, 'a'),
      row('mid', MARCH_1 + DAY / 2n, 'a'),
    ];
    const files = await encodeSegments(rows, columnsOf(rows), layout, 100);
    expect(files.map((f) => [f.dateint, f.part, f.records, ids(f.parquet)])).toEqual([
      [20240229, 0, 1, ['last-ns']],
      [20240301, 0, 2, ['first-ns', 'mid']],
      [20240302, 0, 1, ['late']],
    ]);
  });

  it('sorts each day by the layout’s sort columns, nulls first, keeping input order for ties', async () => {
    const rows = [
      row('b2', MARCH_1 + 2n, 'b'),
      row('a3', MARCH_1 + 3n, 'a'),
      row('n5', MARCH_1 + 5n, null),
      row('a1', MARCH_1 + 1n, 'a'),
      row('b1', MARCH_1 + 1n, 'b'),
      row('n4', MARCH_1 + 4n, null),
      row('a1-again', MARCH_1 + 1n, 'a'),
    ];
    const [file] = await encodeSegments(rows, columnsOf(rows), layout, 100);
    expect(ids(file?.parquet ?? new Uint8Array())).toEqual(['n4', 'n5', 'a1', 'a1-again', 'a3', 'b1', 'b2']);
  });

  it('cuts a day into parts of at most maxRows, continuing the sort across them', async () => {
    const rows = [5, 3, 1, 4, 2].map((n) => row(`r${n}`, MARCH_1 + BigInt(n) * 1_000_000n, 'a'));
    const files = await encodeSegments(rows, columnsOf(rows), layout, 2);
    expect(files.map((f) => [f.part, f.records, f.minTs, f.maxTs, ids(f.parquet)])).toEqual([
      [0, 2, Date.UTC(2024, 2, 1) + 1, Date.UTC(2024, 2, 1) + 2, ['r1', 'r2']],
      [1, 2, Date.UTC(2024, 2, 1) + 3, Date.UTC(2024, 2, 1) + 4, ['r3', 'r4']],
      [2, 1, Date.UTC(2024, 2, 1) + 5, Date.UTC(2024, 2, 1) + 5, ['r5']],
    ]);
  });

  it('gives min and max times in whole milliseconds, truncated', async () => {
    const rows = [row('x', MARCH_1 + DAY - 1n, 'b'), row('y', MARCH_1 + 999_999n, 'a')];
    const [file] = await encodeSegments(rows, columnsOf(rows), layout, 100);
    expect([file?.minTs, file?.maxTs]).toEqual([Date.UTC(2024, 2, 1), Date.UTC(2024, 2, 1, 23, 59, 59, 999)]);
  });

  it('lists the distinct values of metadata columns, sorted, without nulls', async () => {
    const rows = [
      row('1', MARCH_1, 'web'),
      row('2', MARCH_1, null),
      row('3', MARCH_1, 'api'),
      row('4', MARCH_1, 'web'),
      row('5', MARCH_1 + DAY, 'db'),
    ];
    const files = await encodeSegments(rows, columnsOf(rows), layout, 100);
    expect(files.map((f) => f.metadata)).toEqual([{ services: ['api', 'web'] }, { services: ['db'] }]);
    const plain = await encodeSegments(rows, columnsOf(rows), { ...layout, metadataColumns: undefined }, 100);
    expect(plain[0]?.metadata).toEqual({});
  });

  it('lists at most 1,000 metadata values', async () => {
    const rows = Array.from({ length: 1500 }, (_, i) =>
      row(String(i), MARCH_1, `s${String(i).padStart(4, '0')}`),
    );
    const [file] = await encodeSegments(rows, columnsOf(rows), layout, 10_000);
    const services = file?.metadata.services as string[];
    expect(services).toHaveLength(1000);
    expect(services).toEqual([...services].sort());
  });

  it('writes the attribute columns each file uses and maps them to namespace and key in lakerunner.columns', async () => {
    const rows = [
      row('1', MARCH_1, 'a', { 'http.method': 'GET', 'only.day1': 'x' }),
      row('2', MARCH_1 + DAY, 'a', { 'http.method': 'PUT' }),
    ];
    const files = await encodeSegments(rows, columnsOf(rows), layout, 100);
    const read = files.map((f) => readSegment(f.parquet));
    expect(read.map((r) => [...r.columns.keys()])).toEqual([
      ['id', 'ts', 'svc', 'attr_http_method', 'attr_only_day1'],
      ['id', 'ts', 'svc', 'attr_http_method'],
    ]);
    expect(read.map((r) => JSON.parse(r.metadata.get('lakerunner.columns') ?? 'null'))).toEqual([
      {
        attr_http_method: { namespace: 'attributes', key: 'http.method' },
        attr_only_day1: { namespace: 'attributes', key: 'only.day1' },
      },
      { attr_http_method: { namespace: 'attributes', key: 'http.method' } },
    ]);
    expect(read[0]?.columns.get('ts')).toEqual({ type: 'timestamp', values: [MARCH_1] });
  });

  it('gives no files for no rows', async () => {
    expect(await encodeSegments([], fixedColumns, layout, 10)).toEqual([]);
  });

  it('fails clearly when the layout names a column the signal does not define', async () => {
    await expect(encodeSegments([], fixedColumns, { ...layout, sortColumns: ['nope'] }, 10)).rejects.toThrow(
      'segment layout names column nope, which the signal does not define',
    );
    await expect(encodeSegments([], fixedColumns, { ...layout, timeColumn: 'when' }, 10)).rejects.toThrow(
      /column when/,
    );
  });
});

describe('sortIndices', () => {
  it('orders by each key in turn, nulls first, then by value', () => {
    const keys: unknown[][] = [
      ['b', 2n],
      [null, 9n],
      ['a', 3n],
      ['a', 1n],
      [null, 1n],
      ['b', null],
    ];
    const indices = keys.map((_, i) => i);
    sortIndices(indices, [keys.map((k) => k[0]), keys.map((k) => k[1])]);
    expect(indices.map((i) => keys[i])).toEqual([
      [null, 1n],
      [null, 9n],
      ['a', 1n],
      ['a', 3n],
      ['b', null],
      ['b', 2n],
    ]);
  });
});
