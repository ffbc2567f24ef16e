#!/usr/bin/env node
// bench/ingest-logs: the same gzipped JSON-lines input through
//   (a) our bare codec: decode + sort + ZSTD Parquet encode, one thread, no I/O, and (a') the same
//       on one thread per core (the like-for-like reference for (b) and (c))
//   (b) the whole pipeline: local store → pubsub → Kafka → boxer → Kafka → ingest worker → catalog
//   (c) DuckDB: read_json → ORDER BY → COPY to ZSTD Parquet on every core (the reference)
// and reports rows/s of each and their ratios to DuckDB, measured in the same run.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { createPgliteCatalog } from '@lakerunner/catalog-postgres';
import { createLakerunner, withKafkaAdmin } from '@lakerunner/core';
import { createLogsPlugin, LOG_CODECS, logsEncoding } from '@lakerunner/plugin-logs';
import { createDirectoryWatchSource, createFsStore } from '@lakerunner/storage-fs';
import { benchBroker, deleteTopics } from './broker.mjs';
import { report, timeCodec, timeCodecOnThreads } from './codec.mjs';
import { logLines } from './log-lines.mjs';

const ROWS = Number(process.env.BENCH_ROWS ?? 300_000);
const ROWS_PER_FILE = 10_000;
const FILES = Math.ceil(ROWS / ROWS_PER_FILE);
const THREADS = availableParallelism();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const work = mkdtempSync(join(tmpdir(), 'lakerunner-bench-'));
const inputDir = join(work, 'input');
const store = createFsStore({ root: inputDir, bucket: 'bench' });
const keys = [];
for (let f = 0; f < FILES; f++) {
  const key = `otel-raw/bench/c1/logs_${String(f).padStart(4, '0')}.jsonl.gz`;
  await store.put(key, gzipSync(logLines(f * ROWS_PER_FILE, ROWS_PER_FILE)));
  keys.push(key);
}
console.log(`input: ${FILES} gzipped JSON-lines files, ${ROWS} rows`);

// (a) bare codec (the objects decompressed first, as the pipeline streams them)
const codec = await timeCodec({
  encoding: logsEncoding,
  codecs: LOG_CODECS,
  codec: 'json-lines',
  files: keys.map((key) => ({ key, bytes: gunzipSync(readFileSync(join(inputDir, key))) })),
});
const codecMs = codec.ms;
if (codec.rows !== ROWS) throw new Error(`codec wrote ${codec.rows} rows, expected ${ROWS}`);
// (a') the same on every core, as the pipeline's ingest threads run: the like-for-like reference
const onThreads = await timeCodecOnThreads({
  module: '@lakerunner/plugin-logs',
  encoding: 'logsEncoding',
  codecs: 'LOG_CODECS',
  codec: 'json-lines',
  files: keys.map((key) => ({ key, bytes: gunzipSync(readFileSync(join(inputDir, key))) })),
  threads: THREADS,
});
if (onThreads.rows !== ROWS)
  throw new Error(`codec on threads wrote ${onThreads.rows} rows, expected ${ROWS}`);

// (c) DuckDB reference
const duck = await (await DuckDBInstance.create(':memory:', { threads: String(THREADS) })).connect();
let t = performance.now();
await duck.run(
  `COPY (SELECT * FROM read_json('${inputDir}/otel-raw/bench/c1/*.jsonl.gz', format = 'newline_delimited') ORDER BY service, timestamp)
   TO '${join(work, 'duckdb.parquet')}' (FORMAT parquet, COMPRESSION zstd)`,
);
const duckMs = performance.now() - t;

// (b) the whole pipeline, one process, on a real broker
const broker = await benchBroker();
const prefix = `bench-${Date.now().toString(36)}`;
const logs = createLogsPlugin({ ingest: { maxAgeMs: 300, maxInputs: 10 }, compact: { maxAgeMs: 60_000 } });
const pipelineDir = join(work, 'pipeline');
const pipelineStore = createFsStore({ root: pipelineDir, bucket: 'bench' });
const catalog = await createPgliteCatalog();
const silent = { debug() {}, info() {}, warn() {}, error: (m, f) => console.error(m, f) };
const lake = await createLakerunner({
  kafka: broker.kafka,
  topicPrefix: prefix,
  plugins: [logs],
  storage: {
    store: pipelineStore,
    sources: [
      createDirectoryWatchSource({ root: pipelineDir, bucket: 'bench', pollIntervalMs: 100, settleMs: 10 }),
    ],
  },
  catalog,
  services: ['pubsub', 'boxer-ingest-logs', 'ingest-logs'],
  log: silent,
  config: {
    kafkaTopics: { defaults: { partitionCount: 4 } },
    runtime: { workerConcurrency: 2, boxerFlushIntervalMs: 100 },
  },
});
await lake.syncTopics();
await lake.start();
t = performance.now();
for (const key of keys) await pipelineStore.put(key, readFileSync(join(inputDir, key)));
for (;;) {
  const rows = (await catalog.segments({ signal: 'logs' })).reduce((n, s) => n + s.records, 0);
  if (rows === ROWS) break;
  await sleep(20);
}
const pipelineMs = performance.now() - t;
await lake.stop();
await catalog.close();
await withKafkaAdmin(lake.config.kafka, (admin) => deleteTopics(admin, prefix));
rmSync(work, { recursive: true, force: true });
await broker.stop();

report(
  [
    ['(a) lakerunner codec (decode + sort + ZSTD Parquet, 1 thread)', codecMs, ROWS],
    [`(a') lakerunner codec on ${onThreads.threads} threads`, onThreads.ms, ROWS],
    ['(b) lakerunner pipeline (every Kafka hop, catalog commit)', pipelineMs, ROWS],
    [`(c) DuckDB read_json → ORDER BY → COPY zstd (${THREADS} threads)`, duckMs, ROWS],
  ],
  duckMs,
);
console.log(
  `\npipeline / codec: ${(codecMs / pipelineMs).toFixed(2)}× of one thread, ` +
    `${(onThreads.ms / pipelineMs).toFixed(2)}× of ${onThreads.threads} threads (target ≥ 0.9×)`,
);
process.exit(0);
