#!/usr/bin/env node
// bench/boxer: the ingest boxer on a real broker.
//   (a) throughput: BENCH_NOTIFICATIONS object notifications (default 200,000, from 200 collectors;
//       whole groups of 50) already in the topic, through one `boxer-ingest-logs` (grouped into
//       work units and committed; joining the group included), against (b) a bare kafkajs
//       consumer reading the same messages, measured in the same run; the target is ≥ 50,000
//       notifications/s.
//   (c) latency: objects written one at a time into the bucket of a whole logs deployment
//       (pubsub → boxer → ingest worker → catalog), from the write to its rows being live; the
//       target is p99 ≤ the ingest boxer's maxAgeMs + 2 s.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgliteCatalog } from '@lakerunner/catalog-postgres';
import { createKafkaClient, createLakerunner, objectIdentity, withKafkaAdmin } from '@lakerunner/core';
import { createLogsPlugin } from '@lakerunner/plugin-logs';
import { createDirectoryWatchSource, createFsStore } from '@lakerunner/storage-fs';
import { benchBroker, deleteTopics } from './broker.mjs';

const COLLECTORS = 200;
const MAX_INPUTS = 50;
/** Whole groups only (every collector's group fills up), so no group waits out its window. */
const NOTIFICATIONS =
  Math.ceil(
    Number(process.env.BENCH_NOTIFICATIONS ?? (process.env.BENCH_ROWS ? 20_000 : 200_000)) /
      (COLLECTORS * MAX_INPUTS),
  ) *
  COLLECTORS *
  MAX_INPUTS;
const LATENCY_OBJECTS = Number(process.env.BENCH_LATENCY_OBJECTS ?? (process.env.BENCH_ROWS ? 8 : 40));
const MAX_AGE_MS = 2000;
const TARGET_RATE = 50_000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const silent = { debug() {}, info() {}, warn() {}, error: (m, f) => console.error(m, f) };

const broker = await benchBroker();
const kafkaConfig = broker.kafka;
const prefix = `bench-boxer-${Date.now().toString(36)}`;
const work = mkdtempSync(join(tmpdir(), 'lakerunner-bench-boxer-'));
let exitCode = 0;
try {
  const throughput = await measureThroughput();
  const latency = await measureLatency();
  const line = (label, value) => console.log(`${label.padEnd(66)} ${value}`);
  console.log('');
  line(
    '(a) boxer-ingest-logs: notifications grouped and committed',
    `${rate(throughput.boxer)} notifications/s`,
  );
  line('(b) bare kafkajs consumer reading the same messages', `${rate(throughput.bare)} notifications/s`);
  line('    boxer / bare consumer', `${(throughput.boxer.perS / throughput.bare.perS).toFixed(2)}×`);
  line(
    `    target ≥ ${TARGET_RATE} notifications/s`,
    throughput.boxer.perS >= TARGET_RATE ? 'met' : 'missed',
  );
  line(
    `(c) object written → rows live (${LATENCY_OBJECTS} objects, maxAgeMs ${MAX_AGE_MS})`,
    `p50 ${latency.p50} ms, p99 ${latency.p99} ms`,
  );
  line(
    `    target p99 ≤ maxAgeMs + 2 s = ${MAX_AGE_MS + 2000} ms`,
    latency.p99 <= MAX_AGE_MS + 2000 ? 'met' : 'missed',
  );
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  await withKafkaAdmin(kafkaConfig, (admin) => deleteTopics(admin, prefix)).catch(() => {});
  rmSync(work, { recursive: true, force: true });
  await broker.stop();
}
process.exit(exitCode);

function rate(m) {
  return `${Math.round(m.perS).toString().padStart(8)} (${(m.ms / 1000).toFixed(2)} s)`;
}

/** Notifications as pubsub writes them, spread over the collectors' keys. */
async function produceNotifications(topic) {
  const kafka = createKafkaClient(kafkaConfig, { clientIdSuffix: 'bench' });
  const producer = kafka.producer();
  await producer.connect();
  const receivedAt = new Date().toISOString();
  for (let start = 0; start < NOTIFICATIONS; start += 10_000) {
    const messages = [];
    for (let i = start; i < Math.min(NOTIFICATIONS, start + 10_000); i++) {
      const collector = `c${i % COLLECTORS}`;
      const n = {
        v: 1,
        type: 'object',
        org: 'bench',
        signal: 'logs',
        collector,
        bucket: 'bench',
        key: `otel-raw/bench/${collector}/logs_${i}.jsonl.gz`,
        size: 4096,
        version: `v${i}`,
        receivedAt,
      };
      messages.push({ key: `bench/${collector}`, value: JSON.stringify(n) });
    }
    await producer.send({ topic, acks: -1, messages });
  }
  await producer.disconnect();
}

/** Until the group has committed every partition of `topic` to its end. */
async function drained(groupId, topic) {
  await withKafkaAdmin(kafkaConfig, async (admin) => {
    const ends = await admin.fetchTopicOffsets(topic);
    for (;;) {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const done = ends.every(
        (e) => committed?.partitions.find((p) => p.partition === e.partition)?.offset === e.high,
      );
      if (done) return;
      await sleep(20);
    }
  });
}

async function measureThroughput() {
  const plugin = createLogsPlugin({ ingest: { maxAgeMs: 60_000, maxInputs: MAX_INPUTS } });
  const lake = await createLakerunner({
    kafka: kafkaConfig,
    topicPrefix: prefix,
    plugins: [plugin],
    storage: { store: createFsStore({ root: join(work, 'throughput'), bucket: 'bench' }), sources: [] },
    catalog: await createPgliteCatalog(),
    services: ['boxer-ingest-logs'],
    log: silent,
    config: { runtime: { boxerFlushIntervalMs: 100 } },
  });
  await lake.syncTopics();
  const topic = `${prefix}.objstore.ingest.logs`;
  await produceNotifications(topic);

  let t = performance.now();
  await lake.start();
  await drained(`${prefix}.ingest.logs`, topic);
  const boxerMs = performance.now() - t;
  await lake.stop();
  await lake.catalog.close();

  const kafka = createKafkaClient(kafkaConfig, { clientIdSuffix: 'bench' });
  const consumer = kafka.consumer({ groupId: `${prefix}.bare` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let seen = 0;
  t = performance.now();
  await new Promise((resolve) => {
    consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) JSON.parse(m.value.toString());
        seen += batch.messages.length;
        if (seen >= NOTIFICATIONS) resolve();
      },
    });
  });
  const bareMs = performance.now() - t;
  await consumer.disconnect();
  return {
    boxer: { ms: boxerMs, perS: NOTIFICATIONS / (boxerMs / 1000) },
    bare: { ms: bareMs, perS: NOTIFICATIONS / (bareMs / 1000) },
  };
}

async function measureLatency() {
  const root = join(work, 'latency');
  const store = createFsStore({ root, bucket: 'bench' });
  const catalog = await createPgliteCatalog();
  const lake = await createLakerunner({
    kafka: kafkaConfig,
    topicPrefix: `${prefix}-l`,
    plugins: [createLogsPlugin({ ingest: { maxAgeMs: MAX_AGE_MS } })],
    storage: {
      store,
      sources: [
        createDirectoryWatchSource({
          root,
          bucket: 'bench',
          pollIntervalMs: 1000,
          settleMs: 200,
          ignorePrefixes: ['lake/'],
        }),
      ],
    },
    catalog,
    services: ['pubsub', 'boxer-ingest-logs', 'ingest-logs'],
    log: silent,
  });
  await lake.syncTopics();
  await lake.start();
  const pending = new Map();
  const latencies = [];
  const spacing = Math.max(100, Math.round((MAX_AGE_MS * 3) / LATENCY_OBJECTS));
  const watch = (async () => {
    while (latencies.length < LATENCY_OBJECTS) {
      const ids = [...pending.keys()];
      if (ids.length > 0) {
        const done = await catalog.consumedInputs(ids, 'ingest');
        for (const id of done) {
          latencies.push(performance.now() - pending.get(id));
          pending.delete(id);
        }
      }
      await sleep(20);
    }
  })();
  for (let i = 0; i < LATENCY_OBJECTS; i++) {
    const body = Buffer.from(
      `${JSON.stringify({ timestamp: new Date().toISOString(), message: `object ${i}` })}\n`,
    );
    const written = performance.now();
    const info = await store.put(`otel-raw/bench/c1/logs_${i}.jsonl`, body);
    pending.set(objectIdentity({ bucket: 'bench', key: info.key, version: info.version }), written);
    await sleep(spacing);
  }
  await watch;
  await lake.stop();
  await catalog.close();
  const sorted = latencies.sort((a, b) => a - b);
  const at = (q) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
  return { p50: at(0.5), p99: at(0.99) };
}
