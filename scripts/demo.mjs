#!/usr/bin/env node
// The quick-start main job on the embedded default: a local Kafka broker, a local directory as
// the bucket, PGlite as the catalog, every logs service in this process. It writes 300,000 log
// rows (three orgs, six services, two UTC days) into the bucket, shows each stage's progress,
// and ends with a summary and a DuckDB query over the lake.
import { rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createPgliteCatalog } from '@lakerunner/catalog-postgres';
import {
  buildTopicRegistry,
  configSchema,
  createKafkaClient,
  createMessageProducer,
  createServices,
  desiredTopics,
  serviceNames,
  sweepReplacedSegments,
  syncTopics,
  withKafkaAdmin,
} from '@lakerunner/core';
import { createLogsPlugin } from '@lakerunner/plugin-logs';
import { createDirectoryWatchSource, createFsStore } from '@lakerunner/storage-fs';
import { DEFAULT_KAFKA_PORT, startKafka } from './services/kafka.mjs';
import { repoRoot, stateRoot } from './services/process.mjs';

const ORGS = ['acme', 'globex', 'initech'];
const SERVICES = ['checkout', 'payments', 'search', 'auth', 'inventory', 'gateway'];
const DAYS = [Date.UTC(2026, 10, 27), Date.UTC(2026, 10, 28)];
const FILES_PER_ORG_DAY = 10;
const ROWS_PER_FILE = 5000;
const TOTAL_ROWS = ORGS.length * DAYS.length * FILES_PER_ORG_DAY * ROWS_PER_FILE;
const PREFIX = 'lakerunner-demo';

const dir = join(stateRoot, 'demo');
const bucketDir = join(dir, 'bucket');
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// --- Kafka ---------------------------------------------------------------------------------
let brokers = process.env.LAKERUNNER_KAFKA_BROKERS?.split(',');
if (!brokers) {
  const kafka = await startKafka({ port: DEFAULT_KAFKA_PORT, log: (l) => console.log(l) });
  console.log(
    `Kafka: Apache Kafka ${kafka.version} at ${kafka.brokers} (${kafka.alreadyRunning ? 'already running' : 'started'})`,
  );
  brokers = [kafka.brokers];
}
const config = configSchema.parse({ kafka: { brokers }, kafkaTopics: { topicPrefix: PREFIX } });

// --- The deployment, composed in code ------------------------------------------------------
rmSync(dir, { recursive: true, force: true });
// Small ingest units (four files) so each org and day lands in several segments, which compaction then merges.
const logs = createLogsPlugin({ ingest: { maxAgeMs: 2000, maxInputs: 4 }, compact: { maxAgeMs: 4000 } });
const registry = buildTopicRegistry([logs], PREFIX);
await withKafkaAdmin(config.kafka, async (admin) => {
  // A clean run: the demo's own topics are recreated empty.
  const old = (await admin.listTopics()).filter((t) => t.startsWith(`${PREFIX}.`));
  if (old.length > 0) await admin.deleteTopics({ topics: old, timeout: 30_000 });
  for (let i = 0; i < 60 && (await admin.listTopics()).some((t) => t.startsWith(`${PREFIX}.`)); i++)
    await sleep(500);
  const { brokers: nodes } = await admin.describeCluster();
  const desired = desiredTopics(
    registry,
    { ...config.kafkaTopics, defaults: { ...config.kafkaTopics.defaults, partitionCount: 4 } },
    {},
    nodes.length,
  );
  await syncTopics(admin, desired);
});
console.log(
  `topics: ${registry.bindings.length + registry.systemTopics.length} topics with prefix ${PREFIX}`,
);

const store = createFsStore({ root: bucketDir, bucket: 'demo-bucket' });
const catalog = await createPgliteCatalog({ dataDir: join(dir, 'catalog') });
await catalog.migrate();
const kafka = createKafkaClient(config.kafka, { retries: 8 });
const producer = await createMessageProducer(kafka);
const quiet = {
  debug() {},
  info() {},
  warn: (m, f) => console.error(`warn: ${m}`, f ?? ''),
  error: (m, f) => console.error(`error: ${m}`, f ?? ''),
};
const services = createServices(
  {
    kafka,
    registry,
    plugins: [logs],
    store,
    sources: [
      createDirectoryWatchSource({
        root: bucketDir,
        bucket: 'demo-bucket',
        pollIntervalMs: 500,
        ignorePrefixes: ['lake/'],
      }),
    ],
    catalog,
    producer,
    lakePrefix: 'lake',
    log: quiet,
    workerConcurrency: 2,
    boxerFlushIntervalMs: 250,
  },
  serviceNames(registry),
);
for (const s of services) await s.start();
console.log(`services: ${services.map((s) => s.name).join(', ')} (one process)\n`);

// --- Sample telemetry --------------------------------------------------------------------
const TEMPLATES = [
  (i) => `GET /api/v1/items/${i % 9973} 200 ${(i * 37) % 900}ms`,
  (i) => `user ${i % 4099} logged in from 10.${i % 256}.${(i * 7) % 256}.${(i * 13) % 256}`,
  (i) => `payment ${(i * 7919) % 1000003} authorized amount=${(i % 500) + 0.99}`,
  (i) => `cache miss key=sku:${i % 50021} backend=redis-${i % 3}`,
  (i) => `timeout calling inventory after ${1000 + (i % 2000)}ms (attempt ${1 + (i % 3)})`,
  (i) => `order ${i} shipped to zone ${i % 17}`,
];
const LEVELS = ['info', 'info', 'info', 'info', 'debug', 'warn', 'error'];

function sampleFile(org, day, file) {
  const start = day + file * 2 * 3600_000;
  const rows = Array.from({ length: ROWS_PER_FILE }, (_, n) => {
    const i = file * ROWS_PER_FILE + n;
    return {
      timestamp: new Date(start + n * 1400).toISOString(),
      level: LEVELS[i % LEVELS.length],
      service: SERVICES[(i * 31) % SERVICES.length],
      message: TEMPLATES[i % TEMPLATES.length](i),
      host: `${org}-node-${i % 8}`,
      trace_id: ((i * 2654435761) % 2 ** 32).toString(16).padStart(8, '0'),
    };
  });
  return gzipSync(rows.map((r) => JSON.stringify(r)).join('\n'));
}

let filesWritten = 0;
let bytesIn = 0;
const writing = (async () => {
  for (let file = 0; file < FILES_PER_ORG_DAY; file++) {
    for (const day of DAYS) {
      for (const org of ORGS) {
        const body = sampleFile(org, day, file);
        const date = new Date(day).toISOString().slice(0, 10);
        await store.put(`otel-raw/${org}/collector-1/${date}/logs_${date}_${file}.jsonl.gz`, body);
        filesWritten++;
        bytesIn += body.length;
      }
    }
    await sleep(100);
  }
})();

// --- Progress until the lake is complete and compaction has settled ----------------------
const totalFiles = ORGS.length * DAYS.length * FILES_PER_ORG_DAY;
const pubsub = services.find((s) => s.name === 'pubsub');
let stableSince = Date.now();
let lastShape = '';
for (;;) {
  await sleep(1000);
  const all = await catalog.segments({ signal: 'logs', publishedOnly: false });
  const live = all.filter((s) => s.published);
  const rows = live.reduce((n, s) => n + s.records, 0);
  const ingested = all.filter((s) => s.createdBy === 'ingest').length;
  const compacted = all.filter((s) => s.createdBy === 'compact').length;
  const notified = Object.values(pubsub.stats().published).reduce((a, b) => a + b, 0);
  console.log(
    `[${elapsed().padStart(6)}] files ${filesWritten}/${totalFiles} | notified ${notified} | ` +
      `ingest segments ${ingested} | compaction outputs ${compacted} | live ${live.length} | rows ${rows}/${TOTAL_ROWS}`,
  );
  const shape = `${live.length}/${rows}/${compacted}`;
  if (shape !== lastShape) {
    lastShape = shape;
    stableSince = Date.now();
  }
  // Complete, and nothing has changed for longer than the compaction boxer's max age.
  if (rows === TOTAL_ROWS && Date.now() - stableSince > 6000) break;
  if (Date.now() - started > 15 * 60_000) throw new Error('the demo did not complete in 15 minutes');
}
await writing;
const seconds = (Date.now() - started) / 1000;
for (const s of [...services].reverse()) await s.stop();
await producer.close();

// --- Summary ---------------------------------------------------------------------------------
const all = await catalog.segments({ signal: 'logs', publishedOnly: false });
const live = all.filter((s) => s.published);
const swept = await sweepReplacedSegments({ catalog, store, signal: 'logs', graceMs: 0 });
const liveBytes = live.reduce((n, s) => n + s.bytes, 0);
const failures = await catalog.failures();
await catalog.close();
const lakeDir = relative(process.cwd(), join(bucketDir, 'lake', 'logs')) || '.';
console.log(`
Summary
  files in                 ${totalFiles} (${(bytesIn / 1e6).toFixed(1)} MB gzipped JSON lines)
  rows                     ${live.reduce((n, s) => n + s.records, 0)} of ${TOTAL_ROWS} written
  segments written         ${all.filter((s) => s.createdBy === 'ingest').length} by ingest, ${all.filter((s) => s.createdBy === 'compact').length} by compaction
  segments after compaction ${live.length} live (${(liveBytes / 1e6).toFixed(1)} MB ZSTD Parquet); ${swept.deleted} replaced segments swept
  failed inputs            ${failures.length}
  seconds                  ${seconds.toFixed(1)} (${Math.round(TOTAL_ROWS / seconds)} rows/s end to end, everything in one process)

Read the lake with DuckDB:
  duckdb -c "SELECT org, dateint, count(*) AS rows FROM read_parquet('${lakeDir}/*/*/*/*.parquet', hive_partitioning = true) GROUP BY ALL ORDER BY ALL"
`);
if (repoRoot !== process.cwd()) console.log(`(paths are relative to ${process.cwd()})`);
process.exit(0);
