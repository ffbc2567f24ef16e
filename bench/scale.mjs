#!/usr/bin/env node
// bench/scale: the same ingest backlog worked off by one `ingest-logs` process and by two,
// each limited to one thread and one unit at a time (runtime.threads 1, workerConcurrency 1),
// sharing a PostgreSQL catalog, measured in the same run. Scaling out is running the same
// service in more processes; the target is ≥ 1.8× with two.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createPostgresCatalog, postgresCatalogAdapter } from '@lakerunner/catalog-postgres';
import {
  createKafkaClient,
  createLakerunner,
  encodeMessage,
  makeWorkUnit,
  withKafkaAdmin,
} from '@lakerunner/core';
import { createLogsPlugin } from '@lakerunner/plugin-logs';
import { createFsStore, fsStorageAdapter } from '@lakerunner/storage-fs';
import { startPostgres, stopPostgres } from '../scripts/services/postgres.mjs';
import { benchBroker, deleteTopics } from './broker.mjs';
import { logLines } from './log-lines.mjs';
import { machineBusySeconds, processUsage } from './proc.mjs';

const ROWS = Number(process.env.BENCH_ROWS ?? 300_000);
const ROWS_PER_OBJECT = 5_000;
const OBJECTS = Math.max(4, Math.ceil(ROWS / ROWS_PER_OBJECT));
/** Whole objects, at least four: what the catalog holds once the backlog is worked off. */
const ROWS_TOTAL = OBJECTS * ROWS_PER_OBJECT;
const TARGET = 1.8;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

if (process.argv[2] === '--worker') await worker(JSON.parse(process.argv[3]));
else await main();

/** One ingest-logs process: one thread, one unit at a time. Runs until killed. */
async function worker({ brokers, prefix, root, url }) {
  const lake = await createLakerunner({
    kafka: { brokers },
    topicPrefix: prefix,
    plugins: [createLogsPlugin()],
    storage: { adapter: fsStorageAdapter, options: { root, bucket: 'bench' } },
    catalog: { adapter: postgresCatalogAdapter, options: { connectionString: url } },
    services: ['ingest-logs'],
    config: { runtime: { threads: 1, workerConcurrency: 1 } },
    log: { debug() {}, info() {}, warn() {}, error: (m, f) => console.error(m, f) },
  });
  await lake.start();
  process.send?.('ready');
  process.once('SIGTERM', () => lake.stop().then(() => process.exit(0)));
}

async function main() {
  const broker = await benchBroker();
  const pg = await startPostgres();
  const work = mkdtempSync(join(tmpdir(), 'lakerunner-bench-scale-'));
  const root = join(work, 'bucket');
  const store = createFsStore({ root, bucket: 'bench' });
  const inputs = [];
  for (let o = 0; o < OBJECTS; o++) {
    const info = await store.put(
      `otel-raw/bench/c${o}/logs_${o}.jsonl.gz`,
      gzipSync(logLines(o * ROWS_PER_OBJECT, ROWS_PER_OBJECT)),
    );
    inputs.push({ kind: 'object', bucket: 'bench', key: info.key, size: info.size, version: info.version });
  }
  let exitCode = 0;
  try {
    const one = await backlog(1);
    const two = await backlog(2);
    const line = (label, ms) =>
      console.log(
        `${label.padEnd(62)} ${Math.round(ROWS_TOTAL / (ms / 1000))
          .toString()
          .padStart(8)} rows/s ${(ms / 1000).toFixed(2).padStart(7)} s`,
      );
    console.log('');
    line('(a) one ingest-logs process (1 thread, 1 unit at a time)', one.ms);
    line('(b) two ingest-logs processes (each 1 thread, 1 unit at a time)', two.ms);
    for (const run of [one, two]) if (run.cpu) console.log(`    ${run.cpu}`);
    const ratio = one.ms / two.ms;
    console.log(
      `    two / one ${ratio.toFixed(2)}× (target ≥ ${TARGET}×: ${ratio >= TARGET ? 'met' : 'missed'})`,
    );
  } catch (err) {
    console.error(err);
    exitCode = 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
    if (!pg.alreadyRunning) await stopPostgres();
    await broker.stop();
  }
  process.exit(exitCode);

  /** Starts `processes` workers on fresh topics and catalog, hands them the backlog, times it. */
  async function backlog(processes) {
    const prefix = `bench-scale-${processes}-${Date.now().toString(36)}`;
    const schema = prefix.replaceAll('-', '_');
    const url = `${pg.url}?options=-c%20search_path%3D${schema}`;
    await withPg(pg.url, `CREATE SCHEMA ${schema}`);
    const catalog = createPostgresCatalog({ connectionString: url });
    await catalog.migrate();
    const setup = await createLakerunner({
      kafka: broker.kafka,
      topicPrefix: prefix,
      plugins: [createLogsPlugin()],
      storage: { store, sources: [] },
      catalog,
      services: [],
      config: { kafkaTopics: { defaults: { partitionCount: 8 } } },
    });
    await setup.syncTopics();
    const children = [];
    for (let p = 0; p < processes; p++) {
      const child = spawn(
        process.execPath,
        [
          fileURLToPath(import.meta.url),
          '--worker',
          JSON.stringify({ brokers: broker.brokers, prefix, root, url }),
        ],
        {
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        },
      );
      await new Promise((resolve, reject) => {
        child.once('message', resolve);
        child.once('exit', (code) => reject(new Error(`a worker exited with ${code}`)));
      });
      children.push(child);
    }
    // Every member has its partitions before the clock starts.
    await untilMembers(`${prefix}.segments.logs.ingest`, processes);
    const kafka = createKafkaClient(broker.kafka, { clientIdSuffix: 'bench' });
    const producer = kafka.producer();
    await producer.connect();
    const t = performance.now();
    const busyBefore = machineBusySeconds();
    const usageBefore = children.map((c) => processUsage(c.pid));
    await producer.send({
      topic: `${prefix}.segments.logs.ingest`,
      messages: inputs.map((input, i) => {
        const unit = makeWorkUnit({
          org: 'bench',
          signal: 'logs',
          stage: 'ingest',
          groupKey: `bench/c${i}`,
          inputs: [input],
        });
        return { key: unit.groupKey, value: encodeMessage(unit) };
      }),
    });
    await producer.disconnect();
    for (;;) {
      const rows = (await catalog.segments({ signal: 'logs' })).reduce((n, s) => n + s.records, 0);
      if (rows === ROWS_TOTAL) break;
      if (rows > ROWS_TOTAL) throw new Error(`${rows} rows live, more than the ${ROWS_TOTAL} written`);
      await sleep(50);
    }
    const ms = performance.now() - t;
    const cpu = cpuLine(processes, ms, busyBefore, usageBefore, children);
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => c.once('exit', r))));
    await catalog.close();
    await setup.stop();
    await withKafkaAdmin(broker.kafka, (a) => deleteTopics(a, prefix));
    return { ms, cpu };
  }

  /**
   * Where the cores went while a backlog was worked off: cores each ingest process kept busy,
   * and the machine's busy cores in all (the broker, PostgreSQL and this process included).
   * Scale-out can only show when the machine has cores left over.
   */
  function cpuLine(processes, ms, busyBefore, usageBefore, children) {
    const seconds = ms / 1000;
    const busy = machineBusySeconds();
    if (busy === undefined || busyBefore === undefined) return undefined;
    const perProcess = children.map((c, i) => {
      const after = processUsage(c.pid);
      return after && usageBefore[i] ? (after.cpu - usageBefore[i].cpu) / seconds : 0;
    });
    return (
      `${processes} process${processes > 1 ? 'es' : ''}: ${perProcess.map((c) => c.toFixed(2)).join(' + ')} cores, ` +
      `machine ${((busy - busyBefore) / seconds).toFixed(2)} of ${availableParallelism()} cores busy`
    );
  }

  async function untilMembers(groupId, count) {
    await withKafkaAdmin(broker.kafka, async (a) => {
      for (;;) {
        const { groups } = await a.describeGroups([groupId]);
        if (groups[0]?.state === 'Stable' && groups[0].members.length === count) return;
        await sleep(200);
      }
    });
  }
}

async function withPg(url, sql) {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
