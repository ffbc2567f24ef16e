import { DEFAULT_INPUT_LIMITS } from '@lakerunner/core';
import { readSegment, runIngestTask } from '@lakerunner/plugin-kit';
import { describe, expect, it } from 'vitest';
import { LOG_CODECS } from '../src/codecs/index.js';
import { MAX_ATTRIBUTE_COLUMNS } from '../src/schema/columns.js';
import { logsEncoding } from '../src/schema/encoding.js';

describe('a file with 10,000 distinct attribute keys', () => {
  it('keeps the most frequent keys as columns and every other value in attributes_overflow', async () => {
    const KEYS = 10_000;
    const lines = Array.from({ length: 20_000 }, (_, i) =>
      JSON.stringify({ ts: 1_795_000_000 + i, msg: `m${i}`, common: i, [`key.${i % KEYS}`]: `v${i}` }),
    );
    const result = await runIngestTask(
      {
        kind: 'ingest',
        sources: [{ bucket: 'b', key: 'wide.jsonl', version: '1', identity: 'b/wide.jsonl@1' }],
        pieces: [{ source: 0, codec: 'json-lines', bytes: Buffer.from(lines.join('\n')), first: 0 }],
        codecModules: [],
        limits: DEFAULT_INPUT_LIMITS,
        ingestTimeNs: 1_800_000_000_000_000_000n,
        recordsBefore: [0],
        maxRows: 250_000,
      },
      logsEncoding,
      LOG_CODECS,
    );
    expect(result.failures).toEqual([]);
    const [file] = result.files;
    const segment = readSegment(file?.parquet ?? new Uint8Array());
    const attributeColumns = [...segment.columns.keys()].filter((c) => c.startsWith('attr_'));
    expect(attributeColumns).toHaveLength(MAX_ATTRIBUTE_COLUMNS);
    expect(attributeColumns).toContain('attr_common');
    // Every key's value is somewhere: in its column or in the overflow JSON.
    const overflow = segment.columns.get('attributes_overflow')?.values ?? [];
    const ids = segment.columns.get('body')?.values ?? [];
    let found = 0;
    for (let row = 0; row < segment.rows; row++) {
      const i = Number(String(ids[row]).slice(1));
      const column = segment.columns.get(`attr_key_${i % KEYS}`);
      const value = column
        ? column.values[row]
        : JSON.parse(String(overflow[row])).attributes[`key.${i % KEYS}`];
      if (value === `v${i}`) found++;
    }
    expect(found).toBe(20_000);
  }, 60_000);
});
