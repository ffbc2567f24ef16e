import { Encoding, ParquetFile } from 'parquet-wasm';
import { describe, expect, it } from 'vitest';
import { writeParquet } from '../src/columns/parquet-writer.js';
import { runCompactTask } from '../src/compact/merge-task.js';
import type { SignalEncoding } from '../src/segments/encoding.js';

type Row = { id: string; ts: bigint; svc: string };

const encoding: SignalEncoding<never, Row> = {
  layout: { sortColumns: ['svc', 'ts'], timeColumn: 'ts', idColumn: 'id' },
  toRow: () => {
    throw new Error('unused');
  },
  columns: () => [],
};
const T0 = BigInt(Date.UTC(2024, 2, 1)) * 1_000_000n;

async function encodings(parquet: Uint8Array): Promise<Map<string, Encoding[]>> {
  const file = await ParquetFile.fromFile(new Blob([parquet]));
  const metadata = file.metadata();
  const group = metadata.rowGroup(0);
  const out = new Map(group.columns().map((c) => [c.columnPath().join('.'), c.encodings()]));
  file.free();
  return out;
}

describe('compaction output encoding', () => {
  it('writes the row id, distinct in every row after the merge, without a dictionary', async () => {
    const rows = (k: number): Row[] =>
      Array.from({ length: 500 }, (_, i) => ({ id: `${k}-${i}`, ts: T0 + BigInt(i), svc: `s${i % 3}` }));
    const inputs = await Promise.all(
      [0, 1].map((k) =>
        writeParquet(
          rows(k).sort((a, b) => (a.svc < b.svc ? -1 : a.svc > b.svc ? 1 : Number(a.ts - b.ts))),
          [
            { name: 'id', type: 'string', get: (r: Row) => r.id },
            { name: 'ts', type: 'timestamp', get: (r: Row) => r.ts },
            { name: 'svc', type: 'string', get: (r: Row) => r.svc },
          ],
        ),
      ),
    );
    const result = await runCompactTask(
      {
        kind: 'compact',
        maxRows: 10_000,
        segments: inputs.map((bytes, i) => ({ objectKey: `in${i}`, bytes })),
      },
      encoding,
    );
    const found = await encodings(result.files[0]?.parquet ?? new Uint8Array());
    expect(found.get('id')).not.toContain(Encoding.RLE_DICTIONARY);
    expect(found.get('svc')).toContain(Encoding.RLE_DICTIONARY);
  });
});
