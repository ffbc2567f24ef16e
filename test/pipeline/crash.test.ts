import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createPostgresCatalog } from '../../packages/catalog-postgres/src/index.js';
import { createFsStore } from '../../packages/storage-fs/src/index.js';
import { freshSchemaUrl } from '../support/database.js';
import { type TestDeployment, testDeployment } from '../support/deployment.js';
import { writeProcessConfig } from '../support/process-config.js';
import { ServiceProcess } from '../support/processes.js';
import { segmentRows } from '../support/segments.js';
import { until } from '../support/wait.js';

const brokers = inject('kafkaBrokers');
const ORGS = ['acme', 'globex'];
const FILES = 32;
const ROWS_PER_FILE = 250;
const KILLS = 12;

function logFile(org: string, file: number): Buffer {
  // Files alternate between two UTC days.
  const start = Date.UTC(2026, 10, 27 + (file % 2), 12) + file * 60_000;
  const lines = Array.from({ length: ROWS_PER_FILE }, (_, i) =>
    JSON.stringify({
      ts: start + i * 100,
      level: 'info',
      service: `svc-${i % 3}`,
      message: `${org} ${file} ${i}`,
    }),
  );
  return gzipSync(lines.join('\n'));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('services as processes: scale-out and SIGKILL at random moments (real Kafka, PostgreSQL)', () => {
  const processes: ServiceProcess[] = [];
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill('SIGKILL')));
  });

  it('two ingest-logs share the group; after repeated kills the lake converges to the input', async () => {
    const d: TestDeployment = await testDeployment(brokers, 'crash', { partitions: 4 });
    const databaseUrl = await freshSchemaUrl('crash');
    const { bucket } = writeProcessConfig(d, {
      label: 'crash',
      databaseUrl,
      runtime: 'boxerFlushIntervalMs: 200',
    });
    const spawnService = (...names: string[]) => {
      const p = new ServiceProcess(names, d.dir);
      p.start();
      processes.push(p);
      return p;
    };
    const pubsub = spawnService('pubsub');
    const killable = [
      spawnService('boxer-ingest-logs'),
      spawnService('ingest-logs'),
      spawnService('ingest-logs'),
      spawnService('boxer-compact-logs'),
      spawnService('compact-logs'),
    ];

    // Scale: both ingest-logs processes hold partitions of the one group.
    const admin = d.kafka.admin();
    await admin.connect();
    await until('two ingest-logs members with partitions each', async () => {
      const { groups } = await admin.describeGroups([d.group('segments.logs.ingest')]);
      const members = groups[0]?.members ?? [];
      return members.length === 2 && members.every((m) => m.memberAssignment.length > 0);
    });

    const store = createFsStore({ root: bucket, bucket: 'bucket' });
    const expected = new Map<string, number>();
    let kills = 0;
    const chaos = (async () => {
      while (kills < KILLS) {
        await sleep(800 + Math.random() * 1500);
        const victim = killable[Math.floor(Math.random() * killable.length)] as ServiceProcess;
        await victim.kill('SIGKILL');
        kills++;
        await sleep(200 + Math.random() * 800);
        victim.start();
      }
    })();
    for (let f = 0; f < FILES; f++) {
      for (const org of ORGS) {
        await store.put(`otel-raw/${org}/c1/logs_${f}.jsonl.gz`, logFile(org, f));
        const dateint = f % 2 === 0 ? 20261127 : 20261128;
        expected.set(`${org}/${dateint}`, (expected.get(`${org}/${dateint}`) ?? 0) + ROWS_PER_FILE);
      }
      await sleep(150);
    }
    await chaos;
    expect(kills).toBeGreaterThanOrEqual(10);

    const catalog = createPostgresCatalog({ connectionString: databaseUrl });
    const liveRows = async () => {
      const rows = new Map<string, number>();
      for (const s of await catalog.segments({ signal: 'logs' })) {
        rows.set(`${s.org}/${s.dateint}`, (rows.get(`${s.org}/${s.dateint}`) ?? 0) + s.records);
      }
      return rows;
    };
    const sameAsExpected = async () =>
      JSON.stringify([...(await liveRows())].sort()) === JSON.stringify([...expected].sort());
    try {
      await until('live rows to equal the input rows', sameAsExpected).catch((err) => {
        // What the services said about it: their warnings and errors.
        for (const p of [pubsub, ...killable]) {
          const said = p.log.split('\n').filter((l) => /"level":"(warn|error)"|^error/.test(l));
          console.error(p.services.join(' '), said.slice(-8).join('\n'));
        }
        throw err;
      });
      let lag = '';
      await until('every consumer group to have no lag', async () => {
        const run = await d.cli(['debug', 'kafka', 'consumer-lag', '--json', '--topic', '.logs.']);
        const pairs = JSON.parse(run.stdout).pairs as { topic: string; totalLag: number }[];
        lag = JSON.stringify(pairs.filter((p) => p.totalLag > 0));
        return pairs.every((p) => p.totalLag === 0);
      }).catch((err) => {
        console.error(`still lagging: ${lag}`);
        for (const p of [pubsub, ...killable])
          console.error(p.services.join(' '), p.running, p.log.slice(-600));
        throw err;
      });
      expect(await liveRows()).toEqual(expected);

      const ids = new Set<string>();
      let rows = 0;
      for (const s of await catalog.segments({ signal: 'logs' })) {
        for (const r of await segmentRows(store, [s.objectKey])) {
          ids.add(r.id as string);
          rows++;
        }
      }
      expect(rows).toBe(ORGS.length * FILES * ROWS_PER_FILE);
      expect(ids.size).toBe(rows);
      console.error(
        `crash test: ${kills} SIGKILLs, ${rows} rows, ${(await catalog.segments({ signal: 'logs' })).length} live segments`,
      );
    } finally {
      await catalog.close();
      await admin.disconnect();
    }

    // Graceful stop: SIGTERM ends every process with status 0. All at once, as when a
    // deployment scales to zero: stopped one by one, each member's leave starts a rebalance the
    // next one has to sit through (up to the rebalance timeout) before it can leave.
    const codes = await Promise.all([pubsub, ...killable].map((p) => p.kill('SIGTERM')));
    expect(codes).toEqual(codes.map(() => 0));
  }, 400_000);
});
