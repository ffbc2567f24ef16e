// Times a signal's bare codec path in this thread: decode + rows + sort + ZSTD Parquet encode,
// no I/O, no Kafka; what one worker thread does per work unit.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
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

/**
 * The same codec path on `threads` worker threads (default: every core, as the ingest workers
 * run), the files dealt out in turn: wall time from the go to the last thread done, imports and
 * thread start-up excluded. The reference on the same cores as DuckDB's. `module`, `encoding` and
 * `codecs` name the plugin package and its exports, since each thread imports its own.
 */
export async function timeCodecOnThreads({
  module,
  encoding,
  codecs,
  codec,
  files,
  framing = 'document',
  threads = availableParallelism(),
}) {
  const shares = Array.from({ length: threads }, (_, t) => files.filter((_, i) => i % threads === t));
  const workers = shares
    .filter((share) => share.length > 0)
    .map(
      (share) =>
        new Worker(new URL('./codec-thread.mjs', import.meta.url), {
          workerData: { module, encoding, codecs, codec, files: share, framing },
        }),
    );
  const next = (worker) =>
    new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  try {
    await Promise.all(workers.map(next));
    const t = performance.now();
    const done = workers.map(next);
    for (const worker of workers) worker.postMessage('go');
    const results = await Promise.all(done);
    return {
      ms: performance.now() - t,
      rows: results.reduce((n, r) => n + r.rows, 0),
      threads: workers.length,
    };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
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
