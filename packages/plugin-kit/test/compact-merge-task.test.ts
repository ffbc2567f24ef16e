import { describe, expect, it } from 'vitest';
import type { ColumnType } from '../src/columns/column.js';
import { readSegment } from '../src/columns/parquet-reader.js';
import { writeParquet } from '../src/columns/parquet-writer.js';
import { runCompactTask } from '../src/compact/merge-task.js';
import type { SegmentLayout } from '../src/segments/layout.js';

type Row = Record<string, unknown>;

const layout: SegmentLayout = { sortColumns: ['svc', 'ts'], timeColumn: 'ts', idColumn: 'id' };
/** 2024-03-01T00:00:00Z in nanoseconds. */
const T0 = BigInt(Date.UTC(2024, 2, 1)) * 1_000_000n;
const DAY = 86_400_000_000_000n;

/** A segment as ingest writes one: the given columns, plus lakerunner.columns for attribute columns. */
async function segment(
  rows: Row[],
  types: Record<string, ColumnType>,
  attributeKeys: Record<string, { namespace: string; key: string }> = {},
): Promise<Uint8Array> {
  const columns = Object.entries(types).map(([name, type]) => ({
    name,
    type,
    get: (r: Row) => r[name] ?? null,
  }));
  return writeParquet(rows, columns, { 'lakerunner.columns': JSON.stringify(attributeKeys) });
}

const BASE = { id: 'string', ts: 'timestamp', svc: 'string' } as const;

function rowsOf(parquet: Uint8Array) {
  const read = readSegment(parquet);
  return Array.from({ length: read.rows }, (_, i) =>
    Object.fromEntries([...read.columns].map(([name, c]) => [name, c.values[i]])),
  );
}

describe('runCompactTask', () => {
  it('merges segments into one sorted file, keeping the first row of each id', async () => {
    const a = await segment(
      [
        { id: 'x1', ts: T0 + 3n, svc: 'b', n: 1n },
        { id: 'dup', ts: T0 + 2n, svc: 'a', n: 2n },
      ],
      { ...BASE, n: 'int64' },
    );
    const b = await segment(
      [
        { id: 'dup', ts: T0 + 2n, svc: 'a', n: 99n },
        { id: 'y1', ts: T0 + 1n, svc: 'b', n: 3n },
        { id: 'y0', ts: T0 + 9n, svc: null, n: 4n },
      ],
      { ...BASE, n: 'int64' },
    );
    const result = await runCompactTask(
      {
        kind: 'compact',
        maxRows: 100,
        segments: [
          { objectKey: 'a', bytes: a },
          { objectKey: 'b', bytes: b },
        ],
      },
      {
        layout,
        toRow: () => {
          throw new Error('unused');
        },
        columns: () => [],
      },
    );
    expect(result.failures).toEqual([]);
    expect(result.rejects).toEqual([]);
    expect(result.counts).toEqual([
      { records: 2, rejected: 0, timeReplaced: 0 },
      { records: 3, rejected: 0, timeReplaced: 0 },
    ]);
    expect(result.files.map((f) => [f.dateint, f.part, f.records])).toEqual([[20240301, 0, 4]]);
    expect(rowsOf(result.files[0]?.parquet ?? new Uint8Array())).toEqual([
      { id: 'y0', ts: T0 + 9n, svc: null, n: 4n },
      { id: 'dup', ts: T0 + 2n, svc: 'a', n: 2n },
      { id: 'y1', ts: T0 + 1n, svc: 'b', n: 3n },
      { id: 'x1', ts: T0 + 3n, svc: 'b', n: 1n },
    ]);
  });

  it('dedupes within one segment too, and keeps rows that have no id', async () => {
    const a = await segment(
      [
        { id: 'same', ts: T0 + 1n, svc: 'a' },
        // A row id names one record: its repeats have the same content.
        { id: 'same', ts: T0 + 1n, svc: 'a' },
        { id: null, ts: T0 + 3n, svc: 'a' },
        { id: null, ts: T0 + 4n, svc: 'a' },
      ],
      BASE,
    );
    const result = await runCompactTask(
      { kind: 'compact', maxRows: 100, segments: [{ objectKey: 'a', bytes: a }] },
      {
        layout,
        toRow: () => {
          throw new Error('unused');
        },
        columns: () => [],
      },
    );
    expect(rowsOf(result.files[0]?.parquet ?? new Uint8Array()).map((r) => [r.id, r.ts])).toEqual([
      ['same', T0 + 1n],
      [null, T0 + 3n],
      [null, T0 + 4n],
    ]);
  });

  it('writes the union of the inputs’ columns, widening types that differ between files', async () => {
    const a = await segment(
      [{ id: 'a', ts: T0 + 1n, svc: 's', num: 1n, mixed: 5n, small: 7, attr_k: 'x' }],
      { ...BASE, num: 'int64', mixed: 'int64', small: 'int32', attr_k: 'string' },
      { attr_k: { namespace: 'attributes', key: 'k' } },
    );
    const b = await segment(
      [{ id: 'b', ts: T0 + 2n, svc: 's', num: 2.5, mixed: 'text', small: 9n, only_b: true }],
      { ...BASE, num: 'double', mixed: 'string', small: 'int64', only_b: 'bool' },
      {},
    );
    const result = await runCompactTask(
      {
        kind: 'compact',
        maxRows: 100,
        segments: [
          { objectKey: 'a', bytes: a },
          { objectKey: 'b', bytes: b },
        ],
      },
      {
        layout,
        toRow: () => {
          throw new Error('unused');
        },
        columns: () => [],
      },
    );
    const read = readSegment(result.files[0]?.parquet ?? new Uint8Array());
    expect(Object.fromEntries([...read.columns].map(([name, c]) => [name, c]))).toEqual({
      id: { type: 'string', values: ['a', 'b'] },
      ts: { type: 'timestamp', values: [T0 + 1n, T0 + 2n] },
      svc: { type: 'string', values: ['s', 's'] },
      num: { type: 'double', values: [1, 2.5] },
      mixed: { type: 'string', values: ['5', 'text'] },
      small: { type: 'int64', values: [7n, 9n] },
      attr_k: { type: 'string', values: ['x', null] },
      only_b: { type: 'bool', values: [null, true] },
    });
    expect(JSON.parse(read.metadata.get('lakerunner.columns') ?? 'null')).toEqual({
      attr_k: { namespace: 'attributes', key: 'k' },
    });
  });

  it('reports an unreadable input as a failure of its index and merges the others', async () => {
    const good = await segment([{ id: 'g', ts: T0, svc: 'a' }], BASE);
    const other = await segment([{ id: 'h', ts: T0 + 1n, svc: 'a' }], BASE);
    const result = await runCompactTask(
      {
        kind: 'compact',
        maxRows: 100,
        segments: [
          { objectKey: 'lake/good.parquet', bytes: good },
          { objectKey: 'lake/broken.parquet', bytes: Buffer.from('this is not parquet') },
          { objectKey: 'lake/other.parquet', bytes: other },
        ],
      },
      {
        layout,
        toRow: () => {
          throw new Error('unused');
        },
        columns: () => [],
      },
    );
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatchObject({ source: 1, code: 'LR_INPUT_CORRUPT' });
    expect(result.failures[0]?.reason).toMatch(/^lake\/broken\.parquet: not a readable segment: /);
    expect(result.counts.map((c) => c.records)).toEqual([1, 0, 1]);
    expect(rowsOf(result.files[0]?.parquet ?? new Uint8Array()).map((r) => r.id)).toEqual(['g', 'h']);
  });

  it('writes nothing when no input is readable', async () => {
    const result = await runCompactTask(
      { kind: 'compact', maxRows: 100, segments: [{ objectKey: 'x', bytes: new Uint8Array([1, 2, 3]) }] },
      {
        layout,
        toRow: () => {
          throw new Error('unused');
        },
        columns: () => [],
      },
    );
    expect(result.files).toEqual([]);
    expect(result.failures.map((f) => f.source)).toEqual([0]);
  });

  it('splits the merged rows by day and by maxRows', async () => {
    const a = await segment(
      [
        { id: '1', ts: T0 + 1n, svc: 'a' },
        { id: '2', ts: T0 + DAY, svc: 'a' },
        { id: '3', ts: T0 + 2n, svc: 'a' },
      ],
      BASE,
    );
    const b = await segment([{ id: '4', ts: T0 + 3n, svc: 'a' }], BASE);
    const result = await runCompactTask(
      {
        kind: 'compact',
        maxRows: 2,
        segments: [
          { objectKey: 'a', bytes: a },
          { objectKey: 'b', bytes: b },
        ],
      },
      {
        layout,
        toRow: () => {
          throw new Error('unused');
        },
        columns: () => [],
      },
    );
    expect(
      result.files.map((f) => [f.dateint, f.part, f.records, rowsOf(f.parquet).map((r) => r.id)]),
    ).toEqual([
      [20240301, 0, 2, ['1', '3']],
      [20240301, 1, 1, ['4']],
      [20240302, 0, 1, ['2']],
    ]);
  });
});
