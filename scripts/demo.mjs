#!/usr/bin/env node
// The quick-start main job on the embedded default: a local Kafka broker, a local directory as
// the bucket, PGlite as the catalog, every service in this process, composed with one
// createLakerunner call. `--store s3|gcs|azure` puts the bucket on the matching emulator (moto,
// fake-gcs-server with pstest, Azurite) with its real notification path instead. It writes
// logs (three orgs, six services, two UTC days) as gzipped JSON lines, OTLP protobuf, OTLP/JSON
// and CSV, traces as OTLP protobuf and OTLP/JSON, and metrics of every OTLP point type as
// protobuf and JSON into the bucket; shows each stage's progress (metrics through every rollup
// tier), and ends with a summary and a DuckDB query per signal over the lake.
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { createPgliteCatalog } from '@lakerunner/catalog-postgres';
import {
  buildTopicRegistry,
  configSchema,
  createLakerunner,
  desiredTopics,
  sweepReplacedSegments,
  syncTopics,
  withKafkaAdmin,
} from '@lakerunner/core';
import { createLogsPlugin } from '@lakerunner/plugin-logs';
import { createMetricsPlugin, DEFAULT_TIERS } from '@lakerunner/plugin-metrics';
import { createTracesPlugin } from '@lakerunner/plugin-traces';
import { startDemoStore } from './demo-stores.mjs';
import { DEFAULT_KAFKA_PORT, startKafka } from './services/kafka.mjs';
import { repoRoot } from './services/process.mjs';

const { values: args } = parseArgs({ options: { store: { type: 'string', default: 'fs' } } });
const ORGS = ['acme', 'globex', 'initech'];
const SERVICES = ['checkout', 'payments', 'search', 'auth', 'inventory', 'gateway'];
const DAYS = [Date.UTC(2026, 10, 27), Date.UTC(2026, 10, 28)];
const FILES_PER_ORG_DAY = 10;
const ROWS_PER_FILE = 5000;
/** Per org and day, beside the JSON lines: one OTLP protobuf, one OTLP/JSON and one CSV object. */
const OTLP_LOGS = 3600;
const CSV_ROWS = 1000;
const TRACES = 300;
const SPANS_PER_TRACE = 5;
/** Metrics: per org and day, two requests (protobuf, JSON) of every point type for an hour. */
const METRIC_SERIES_PER_TYPE = 4;
const METRIC_STEP_MS = 10_000;
const METRIC_POINTS = 360;
const EXPECTED = {
  logs: ORGS.length * DAYS.length * (FILES_PER_ORG_DAY * ROWS_PER_FILE + 2 * OTLP_LOGS + CSV_ROWS),
  traces: ORGS.length * DAYS.length * 2 * TRACES * SPANS_PER_TRACE,
};
const SIGNALS = Object.keys(EXPECTED);
const PREFIX = 'lakerunner-demo';
// The OpenTelemetry protobuf encoder of the project's test tools writes the OTLP samples.
const otlp = createRequire(import.meta.url)('otlp-oracle/build/src/generated/root').opentelemetry.proto
  .collector;

// Where `lakerunner` looks by default (./data/bucket, ./data/catalog), so that after the demo
// `npx lakerunner segments list` and `npx lakerunner query "…"` read this lake with no config.
const dir = resolve('data');
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
for (const part of ['bucket', 'catalog']) rmSync(join(dir, part), { recursive: true, force: true });
// Small ingest units (four files) so each org and day lands in several segments, which compaction then merges.
const small = { ingest: { maxAgeMs: 2000, maxInputs: 4 }, compact: { maxAgeMs: 4000 } };
const plugins = [
  createLogsPlugin(small),
  createTracesPlugin(small),
  createMetricsPlugin({ ...small, rollup: { maxAgeMs: 2000 } }),
];
const registry = buildTopicRegistry(plugins, PREFIX);
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

const demoStore = await startDemoStore(args.store, { dir: bucketDir, log: (l) => console.log(l) });
const catalog = await createPgliteCatalog({ dataDir: join(dir, 'catalog') });
const quiet = {
  debug() {},
  info() {},
  warn: (m, f) => console.error(`warn: ${m}`, f ?? ''),
  error: (m, f) => console.error(`error: ${m}`, f ?? ''),
};
const lake = await createLakerunner({
  kafka: { brokers },
  topicPrefix: PREFIX,
  plugins,
  storage: demoStore.storage,
  catalog,
  log: quiet,
  config: { runtime: { workerConcurrency: 2, boxerFlushIntervalMs: 250 } },
});
await lake.start();
const store = lake.store;
console.log(`services: ${lake.services.map((s) => s.name).join(', ')} (one process)\n`);

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

const str = (value) => ({ stringValue: value });
const attrs = (o) =>
  Object.entries(o).map(([key, v]) => ({ key, value: typeof v === 'number' ? { intValue: v } : str(v) }));
const nanos = (ms) => `${BigInt(Math.round(ms)) * 1_000_000n}`;
const hex = (n, length) =>
  (BigInt(n) * 0x9e3779b97f4a7c15n).toString(16).padStart(length, '0').slice(-length);

/** An OTLP logs request as the collector's exporters write it, one resource per service. */
function otlpLogs(org, day, salt) {
  return {
    resourceLogs: SERVICES.map((service, s) => ({
      resource: { attributes: attrs({ 'service.name': service, 'k8s.namespace.name': org }) },
      scopeLogs: [
        {
          scope: { name: 'io.opentelemetry.demo', version: '1.4.0' },
          logRecords: Array.from({ length: OTLP_LOGS / SERVICES.length }, (_, n) => {
            const i = salt + s * 10_000 + n;
            return {
              timeUnixNano: nanos(day + 20 * 3600_000 + n * 2000),
              severityNumber: [9, 9, 9, 5, 13, 17][i % 6],
              severityText: ['INFO', 'INFO', 'INFO', 'DEBUG', 'WARN', 'ERROR'][i % 6],
              body: str(TEMPLATES[i % TEMPLATES.length](i)),
              attributes: attrs({ 'http.response.status_code': 200 + (i % 5), 'user.id': `u-${i % 997}` }),
              traceId: hex(i + 1, 32),
              spanId: hex(i + 7, 16),
            };
          }),
        },
      ],
    })),
  };
}

/** An OTLP traces request: TRACES traces of SPANS_PER_TRACE spans each (a root and its children). */
function otlpTraces(org, day, salt) {
  const spans = [];
  for (let t = 0; t < TRACES; t++) {
    const traceId = hex(salt + t + 1, 32);
    const start = day + 21 * 3600_000 + t * 1000;
    const rootId = hex(salt + t * 100 + 1, 16);
    for (let k = 0; k < SPANS_PER_TRACE; k++) {
      spans.push({
        traceId,
        spanId: k === 0 ? rootId : hex(salt + t * 100 + k + 1, 16),
        ...(k === 0 ? {} : { parentSpanId: rootId }),
        name: k === 0 ? `GET /api/${SERVICES[t % SERVICES.length]}` : `SELECT items ${k}`,
        kind: k === 0 ? 2 : 3,
        startTimeUnixNano: nanos(start + k * 3),
        endTimeUnixNano: nanos(start + k * 3 + 2 + (t % 40)),
        attributes: attrs({ 'db.system': 'postgresql', 'org.id': org }),
        status: { code: t % 23 === 0 ? 2 : 1 },
      });
    }
  }
  return {
    resourceSpans: [
      {
        resource: { attributes: attrs({ 'service.name': 'storefront' }) },
        scopeSpans: [{ scope: { name: 'io.opentelemetry.demo', version: '1.4.0' }, spans }],
      },
    ],
  };
}

/** OTLP/JSON writes ids as hex, protobuf as bytes: the encoder gets the bytes. */
const idsAsBytes = (value) =>
  Array.isArray(value)
    ? value.map(idsAsBytes)
    : value && typeof value === 'object'
      ? Object.fromEntries(
          Object.entries(value).map(([k, v]) => [
            k,
            /^(trace|span|parentSpan)Id$/.test(k) ? Buffer.from(v, 'hex') : idsAsBytes(v),
          ]),
        )
      : value;
/** OTLP metrics of every point type: gauges, cumulative and delta sums, histograms, exponential histograms and summaries. */
function otlpMetrics(org, day, salt) {
  const start = day + 23 * 3600_000 - (salt % 2) * 3600_000;
  const points = (make) =>
    Array.from({ length: METRIC_POINTS }, (_, n) => ({
      timeUnixNano: nanos(start + n * METRIC_STEP_MS),
      ...make(n),
    }));
  const series = (name, unit, data) =>
    Array.from({ length: METRIC_SERIES_PER_TYPE }, (_, s) => ({
      name,
      unit,
      ...data(s),
    }));
  const route = (s) => [{ key: 'http.route', value: str(`/api/${SERVICES[s]}`) }];
  const metrics = [
    ...series('system.cpu.utilization', '1', (s) => ({
      gauge: {
        dataPoints: points((n) => ({ asDouble: ((n * 37 + s * 11) % 100) / 100, attributes: route(s) })),
      },
    })),
    ...series('http.server.requests', '{request}', (s) => ({
      sum: {
        aggregationTemporality: 2,
        isMonotonic: true,
        dataPoints: points((n) => ({ asInt: n * (s + 1) * 3, attributes: route(s) })),
      },
    })),
    ...series('queue.messages.processed', '{message}', (s) => ({
      sum: {
        aggregationTemporality: 1,
        isMonotonic: true,
        dataPoints: points((n) => ({ asInt: (n * 7 + s) % 50, attributes: route(s) })),
      },
    })),
    ...series('http.server.duration', 'ms', (s) => ({
      histogram: {
        aggregationTemporality: 1,
        dataPoints: points((n) => ({
          count: 20,
          sum: 20 * (50 + (n % 40)),
          min: 2,
          max: 900,
          explicitBounds: [10, 50, 100, 500],
          bucketCounts: [2, 8 + (n % 3), 6 - (n % 3), 3, 1],
          attributes: route(s),
        })),
      },
    })),
    ...series('rpc.server.duration', 'ms', (s) => ({
      exponentialHistogram: {
        aggregationTemporality: 1,
        dataPoints: points((n) => ({
          count: 12,
          sum: 600 + n,
          scale: 3,
          zeroCount: 1,
          positive: { offset: 20 + (n % 5), bucketCounts: [3, 4, 2, 2] },
          attributes: route(s),
        })),
      },
    })),
    ...series('gc.pause', 'ms', (s) => ({
      summary: {
        dataPoints: points((n) => ({
          count: 100 + n,
          sum: 1000 + n * 9,
          quantileValues: [
            { quantile: 0, value: 1 },
            { quantile: 0.5, value: 8 + (n % 4) },
            { quantile: 1, value: 40 },
          ],
          attributes: route(s),
        })),
      },
    })),
  ];
  return {
    resourceMetrics: [
      {
        resource: { attributes: attrs({ 'service.name': 'storefront', 'k8s.namespace.name': org }) },
        scopeMetrics: [{ scope: { name: 'io.opentelemetry.demo', version: '1.4.0' }, metrics }],
      },
    ],
  };
}

const protobuf = (type, request) => Buffer.from(type.encode(type.fromObject(idsAsBytes(request))).finish());

function csvFile(org, day) {
  const lines = ['time,level,service,message,duration_ms'];
  for (let n = 0; n < CSV_ROWS; n++) {
    lines.push(
      `${new Date(day + 22 * 3600_000 + n * 1000).toISOString()},${LEVELS[n % LEVELS.length]},batch,"job ${n} for ${org}, finished",${n % 300}`,
    );
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

/** The objects of one org and day besides the JSON lines: [key suffix, signal, bytes]. */
function mixedFiles(org, day, d) {
  const salt = (ORGS.indexOf(org) * 2 + d) * 1_000_000;
  return [
    [
      'logs_otlp.binpb.gz',
      gzipSync(protobuf(otlp.logs.v1.ExportLogsServiceRequest, otlpLogs(org, day, salt))),
    ],
    ['logs_otlp.json', Buffer.from(JSON.stringify(otlpLogs(org, day, salt + 500_000)))],
    ['logs_batch.csv', csvFile(org, day)],
    ['traces_otlp.binpb', protobuf(otlp.trace.v1.ExportTraceServiceRequest, otlpTraces(org, day, salt))],
    ['traces_otlp.json.gz', gzipSync(JSON.stringify(otlpTraces(org, day, salt + 500_000)))],
    ['metrics_otlp.binpb', protobuf(otlp.metrics.v1.ExportMetricsServiceRequest, otlpMetrics(org, day, 0))],
    ['metrics_otlp.json.gz', gzipSync(JSON.stringify(otlpMetrics(org, day, 1)))],
  ];
}

let filesWritten = 0;
let bytesIn = 0;
const writing = (async () => {
  for (const [d, day] of DAYS.entries()) {
    for (const org of ORGS) {
      const date = new Date(day).toISOString().slice(0, 10);
      for (const [name, body] of mixedFiles(org, day, d)) {
        await demoStore.put(store, `otel-raw/${org}/collector-1/${date}/${name}`, body);
        filesWritten++;
        bytesIn += body.length;
      }
    }
  }
  for (let file = 0; file < FILES_PER_ORG_DAY; file++) {
    for (const day of DAYS) {
      for (const org of ORGS) {
        const body = sampleFile(org, day, file);
        const date = new Date(day).toISOString().slice(0, 10);
        await demoStore.put(store, `otel-raw/${org}/collector-1/${date}/logs_${date}_${file}.jsonl.gz`, body);
        filesWritten++;
        bytesIn += body.length;
      }
    }
    await sleep(100);
  }
})();

// --- Progress until the lake is complete and compaction has settled ----------------------
const totalFiles = ORGS.length * DAYS.length * (FILES_PER_ORG_DAY + mixedFiles(ORGS[0], DAYS[0], 0).length);
const pubsub = lake.services.find((s) => s.name === 'pubsub');
let stableSince = Date.now();
let lastShape = '';
for (;;) {
  await sleep(1000);
  const progress = [];
  let complete = true;
  let shape = '';
  for (const signal of SIGNALS) {
    const all = await catalog.segments({ signal, publishedOnly: false });
    const live = all.filter((s) => s.published);
    const rows = live.reduce((n, s) => n + s.records, 0);
    const ingested = all.filter((s) => s.createdBy === 'ingest').length;
    const compacted = all.filter((s) => s.createdBy === 'compact').length;
    progress.push(
      `${signal}: segments ${ingested}+${compacted} live ${live.length} rows ${rows}/${EXPECTED[signal]}`,
    );
    complete &&= rows === EXPECTED[signal];
    shape += `${live.length}/${rows}/${compacted};`;
  }
  // Metrics: rows per tier; done once the last tier has rows and nothing moves any more.
  const tiers = [];
  for (const frequencyMs of DEFAULT_TIERS) {
    const live = await catalog.segments({ signal: 'metrics', frequencyMs });
    tiers.push(live.reduce((n, s) => n + s.records, 0));
  }
  progress.push(`metrics: rows per tier ${tiers.join('/')}`);
  complete &&= (tiers.at(-1) ?? 0) > 0;
  shape += tiers.join('/');
  const notified = Object.values(pubsub.stats().published).reduce((a, b) => a + b, 0);
  console.log(
    `[${elapsed().padStart(6)}] files ${filesWritten}/${totalFiles} notified ${notified} | ${progress.join(' | ')}`,
  );
  if (shape !== lastShape) {
    lastShape = shape;
    stableSince = Date.now();
  }
  // Complete, and nothing has changed for longer than the compaction boxer's max age.
  if (complete && Date.now() - stableSince > 6000) break;
  if (Date.now() - started > 15 * 60_000) throw new Error('the demo did not complete in 15 minutes');
}
await writing;
const seconds = (Date.now() - started) / 1000;

// --- Summary ---------------------------------------------------------------------------------
const lines = [];
let swept = 0;
for (const signal of SIGNALS) {
  const all = await catalog.segments({ signal, publishedOnly: false });
  const live = all.filter((s) => s.published);
  swept += (await sweepReplacedSegments({ catalog, store, signal, graceMs: 0 })).deleted;
  const mb = (live.reduce((n, s) => n + s.bytes, 0) / 1e6).toFixed(1);
  lines.push(
    `  ${signal.padEnd(24)} ${live.reduce((n, s) => n + s.records, 0)} of ${EXPECTED[signal]} rows; ` +
      `${all.filter((s) => s.createdBy === 'ingest').length} segments by ingest, ${all.filter((s) => s.createdBy === 'compact').length} by compaction, ${live.length} live (${mb} MB)`,
  );
}
const tierLines = [];
for (const frequencyMs of DEFAULT_TIERS) {
  const all = await catalog.segments({ signal: 'metrics', frequencyMs, publishedOnly: false });
  const live = all.filter((s) => s.published);
  tierLines.push(
    `${String(frequencyMs / 1000).padStart(5)} s: ${String(live.reduce((n, s) => n + s.records, 0)).padStart(6)} rows in ${live.length} live segments (${all.filter((s) => s.createdBy !== 'compact').length} written by ${frequencyMs === DEFAULT_TIERS[0] ? 'ingest' : 'rollup'}, ${all.filter((s) => s.createdBy === 'compact').length} by compaction)`,
  );
}
swept += (await sweepReplacedSegments({ catalog, store, signal: 'metrics', graceMs: 0 })).deleted;
const failures = await catalog.failures();
// What the store itself holds under the lake's prefix, listed through its API.
let lakeObjects = 0;
let lakeBytes = 0;
for await (const o of store.list('lake/', { versions: false })) {
  lakeObjects++;
  lakeBytes += o.size;
}
await lake.stop();
await catalog.close();
const total = Object.values(EXPECTED).reduce((a, b) => a + b, 0);
console.log(`
Summary
  files in                 ${totalFiles} (${(bytesIn / 1e6).toFixed(1)} MB: JSON lines, OTLP protobuf and JSON, CSV; gzipped or not)
${lines.join('\n')}
  metrics                  ${ORGS.length * DAYS.length * 2 * 6 * METRIC_SERIES_PER_TYPE * METRIC_POINTS} points of every OTLP type, per tier:
${tierLines.map((l) => `    ${l}`).join('\n')}
  replaced segments swept  ${swept}
  failed inputs            ${failures.length}
  seconds                  ${seconds.toFixed(1)} (${Math.round(total / seconds)} rows/s end to end, everything in one process)
  bucket                   ${demoStore.description}: ${lakeObjects} lake objects (${(lakeBytes / 1e6).toFixed(1)} MB)${demoStore.lakeUrl ? ` under ${demoStore.lakeUrl}` : ''}
`);
// Every input here is valid: a failed one is a bug, and the demo says so with its exit status.
if (failures.length > 0) {
  console.error(
    `${failures.length} inputs failed: ${failures.map((f) => `${f.code} ${f.reason}`).join('; ')}`,
  );
  process.exit(1);
}
if (demoStore.lakeUrl) {
  console.log(`The live segments, from the catalog (./data/catalog, the CLI's default):
  npx lakerunner segments list --signal logs
The emulators keep running for another look (npm run moto|gcs|azurite -- stop ends them).`);
  process.exit(0);
}
// The lake as the CLI reads it: exactly the live segments, through the catalog.
console.log(`Read the lake (only live segments; ./data/bucket and ./data/catalog are the CLI's defaults):
  npx lakerunner segments list --signal metrics --org acme
  npx lakerunner query "SELECT count(*) AS rows FROM logs"
  npx lakerunner query "SELECT level, count(*) AS rows FROM logs GROUP BY ALL ORDER BY ALL"
  npx lakerunner query "SELECT trace_id, count(*) AS spans, max(duration_ns) / 1e6 AS slowest_ms FROM traces GROUP BY ALL ORDER BY slowest_ms DESC LIMIT 5"
  npx lakerunner query "SELECT frequency_ms, min(timestamp) AS first_window, count(*) AS windows, sum(count) AS points, sum(increase) AS increase FROM metrics WHERE org = 'acme' AND metric_name = 'http.server.requests' AND attr_http_route = '/api/checkout' GROUP BY ALL ORDER BY ALL"
`);
if (repoRoot !== process.cwd()) console.log(`(paths are relative to ${process.cwd()})`);
process.exit(0);
