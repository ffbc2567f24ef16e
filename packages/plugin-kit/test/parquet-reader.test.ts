import { Float32, Int16, makeData, makeVector, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { Table as WasmTable, writeParquet as wasmWriteParquet } from 'parquet-wasm';
import { describe, expect, it } from 'vitest';
import { readSegment } from '../src/columns/parquet-reader.js';
import { writeParquet } from '../src/columns/parquet-writer.js';

describe('readSegment', () => {
  it('reads int64 and timestamps exactly across several record batches, nulls in place', async () => {
    // More rows than one read batch (65,536), so values come in several Arrow chunks.
    const rows = Array.from({ length: 140_000 }, (_, i) => i);
    const big = (r: number) => (r % 7 === 0 ? null : 9_007_199_254_740_993n + BigInt(r));
    const file = await writeParquet(rows, [
      { name: 'n', type: 'int64', get: big },
      {
        name: 't',
        type: 'timestamp',
        get: (r: number) => (r % 5 === 0 ? null : 1_700_000_000_000_000_001n + BigInt(r)),
      },
    ]);
    const read = readSegment(file);
    expect(read.rows).toBe(140_000);
    const n = read.columns.get('n')?.values ?? [];
    const t = read.columns.get('t')?.values ?? [];
    for (const r of [0, 1, 6, 7, 65_535, 65_536, 65_537, 131_071, 131_072, 139_999]) {
      expect([r, n[r]]).toEqual([r, big(r)]);
      expect([r, t[r]]).toEqual([r, r % 5 === 0 ? null : 1_700_000_000_000_000_001n + BigInt(r)]);
    }
    expect(n.filter((v) => v === null)).toHaveLength(20_000);
  });

  it('maps other Arrow types of foreign files to the nearest column type', () => {
    const table = new Table({
      small: makeVector(makeData({ type: new Int16(), length: 2, data: new Int16Array([-3, 4]) })),
      single: makeVector(makeData({ type: new Float32(), length: 2, data: new Float32Array([0.5, 2]) })),
      text: vectorFromArray(['a', null], new Utf8()),
    });
    const file = wasmWriteParquet(WasmTable.fromIPCStream(tableToIPC(table, 'stream')));
    const read = readSegment(file);
    expect(Object.fromEntries(read.columns)).toEqual({
      small: { type: 'int32', values: [-3, 4] },
      single: { type: 'double', values: [0.5, 2] },
      text: { type: 'string', values: ['a', null] },
    });
  });

  it('throws on bytes that are not Parquet', () => {
    expect(() => readSegment(Buffer.from('not a parquet file at all'))).toThrow();
    expect(() => readSegment(new Uint8Array())).toThrow();
  });
});
