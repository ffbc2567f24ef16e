import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_INPUT_LIMITS,
  makeWorkUnit,
  type ObjectInput,
  type ObjectStore,
  silentLogger,
} from '../../packages/core/src/index.js';
import { createLogsIngestHandler } from '../../packages/plugin-logs/src/index.js';
import { createFsStore } from '../../packages/storage-fs/src/index.js';
import { segmentRows } from '../support/segments.js';

const LINES = 20_000;

async function fixture(): Promise<{
  store: ObjectStore;
  input: ObjectInput;
  bad: ObjectInput;
  odd: ObjectInput;
}> {
  const store = createFsStore({ root: mkdtempSync(join(tmpdir(), 'lakerunner-ingest-')), bucket: 'b' });
  const lines = Array.from({ length: LINES }, (_, i) =>
    JSON.stringify({
      ts: Date.UTC(2026, 10, 28, 23, 30) + i * 500,
      service: `s${i % 5}`,
      message: `line ${i}`,
    }),
  );
  const big = await store.put('otel-raw/acme/c/logs_big.jsonl.gz', gzipSync(lines.join('\n')));
  const full = gzipSync(lines.slice(0, 3000).join('\n'));
  const broken = await store.put(
    'otel-raw/acme/c/logs_broken.jsonl.gz',
    full.subarray(0, Math.floor(full.length * 0.7)),
  );
  const strange = await store.put('otel-raw/acme/c/logs_x.bin', Buffer.from([0, 1, 2, 3]));
  const asInput = (o: { key: string; size: number; version: string }): ObjectInput => ({
    kind: 'object',
    bucket: 'b',
    ...o,
  });
  return { store, input: asInput(big), bad: asInput(broken), odd: asInput(strange) };
}

async function ingest(store: ObjectStore, inputs: ObjectInput[], maxBatchBytes?: number) {
  const unit = makeWorkUnit({ org: 'acme', signal: 'logs', stage: 'ingest', groupKey: 'acme/c', inputs });
  const handler = createLogsIngestHandler({ maxRowsPerSegment: 4000, maxBatchBytes });
  return handler({
    unit,
    inputs,
    store,
    storeFor: () => store,
    lakePrefix: 'lake',
    log: silentLogger,
    codecs: [],
    limits: DEFAULT_INPUT_LIMITS,
    threads: 2,
  });
}

async function rowIds(store: ObjectStore, keys: string[]) {
  return (await segmentRows(store, keys)).map((r) => r.id as string);
}

describe('logs ingest handler', () => {
  it('streams a large object in bounded batches; rows and ids do not depend on the batch size', async () => {
    const { store, input } = await fixture();
    const small = await ingest(store, [input], 64 * 1024);
    const large = await ingest(store, [input]);
    expect(small.failures).toEqual([]);
    expect(small.outputs.reduce((n, s) => n + s.records, 0)).toBe(LINES);
    expect(large.outputs.reduce((n, s) => n + s.records, 0)).toBe(LINES);
    expect(small.outputs.length).toBeGreaterThan(large.outputs.length);
    // Records straddle two UTC days: each output holds one day, at most maxRowsPerSegment rows.
    expect(new Set(small.outputs.map((s) => s.dateint))).toEqual(new Set([20261128, 20261129]));
    expect(Math.max(...small.outputs.map((s) => s.records))).toBeLessThanOrEqual(4000);
    const smallIds = await rowIds(
      store,
      small.outputs.map((s) => s.objectKey),
    );
    const largeIds = await rowIds(
      store,
      large.outputs.map((s) => s.objectKey),
    );
    expect(new Set(smallIds).size).toBe(LINES);
    expect(new Set(smallIds)).toEqual(new Set(largeIds));
  });

  it('reports a truncated gzip and an unsupported format as failed inputs, and keeps the rest', async () => {
    const { store, input, bad, odd } = await fixture();
    const result = await ingest(store, [bad, input, odd], 16 * 1024);
    expect(result.failures.map((f) => [f.input.kind === 'object' ? f.input.key : '', f.code])).toEqual([
      [bad.key, 'LR_INPUT_CORRUPT'],
      [odd.key, 'LR_INPUT_UNSUPPORTED'],
    ]);
    expect(result.failures[0]?.reason).toMatch(
      /cannot decompress: .* \(\d+ records before it were ingested\)/,
    );
    const records = result.outputs.reduce((n, s) => n + s.records, 0);
    expect(records).toBeGreaterThanOrEqual(LINES);
    expect(records).toBeLessThan(LINES + 3000);
  });
});
