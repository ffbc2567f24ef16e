// Times a signal's bare codec path in this thread: decode + rows + sort + ZSTD Parquet encode,
// no I/O, no Kafka; what one worker thread does per work unit.
import { DEFAULT_INPUT_LIMITS } from '@lakerunner/core';
import { runIngestTask } from '@lakerunner/plugin-kit';

/** files: [{ key, bytes }] of one codec's input (decompressed). Returns { ms, rows } (and the encoded files with `keep`). */
export async function timeCodec({ encoding, codecs, codec, files, framing = 'document', keep = false }) {
  const task = {
    kind: 'ingest',
    sources: files.map((f, i) => ({
      bucket: 'bench',
      key: f.key,
      version: String(i),
      identity: `bench/${f.key}@${i}`,
    })),
    pieces: files.map((f, i) => ({ source: i, codec, bytes: f.bytes, first: 0 })),
    codecModules: [],
    limits: { ...DEFAULT_INPUT_LIMITS, futureToleranceMs: 10 * 365 * 24 * 3600_000 },
    ingestTimeNs: BigInt(Date.now()) * 1_000_000n,
    recordsBefore: files.map(() => 0),
    maxRows: 250_000,
  };
  const t = performance.now();
  const result = await runIngestTask(task, encoding, codecs);
  const ms = performance.now() - t;
  if (result.failures.length > 0) throw new Error(`codec ${codec} failed: ${result.failures[0].reason}`);
  return {
    ms,
    rows: result.files.reduce((n, f) => n + f.records, 0),
    framing,
    ...(keep ? { files: result.files } : {}),
  };
}

export const rate = (rows, ms) => Math.round(rows / (ms / 1000));

export function report(rows, reference) {
  console.log('');
  for (const [name, ms, count] of rows) {
    console.log(
      `${name.padEnd(66)} ${String(rate(count, ms)).padStart(9)} rows/s  ${(ms / 1000).toFixed(2).padStart(6)} s` +
        (reference ? `  ${(reference / ms).toFixed(2)}× DuckDB` : ''),
    );
  }
}
