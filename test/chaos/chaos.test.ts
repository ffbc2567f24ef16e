import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createPostgresCatalog } from '../../packages/catalog-postgres/src/index.js';
import { createFsStore } from '../../packages/storage-fs/src/index.js';
import { startKafka, stopKafka } from '../../scripts/services/kafka.mjs';
import { pausePostgres, resumePostgres } from '../../scripts/services/postgres.mjs';
import { freshSchemaUrl } from '../support/database.js';
import { testDeployment } from '../support/deployment.js';
import { writeProcessConfig } from '../support/process-config.js';
import { ServiceProcess } from '../support/processes.js';
import { segmentRows } from '../support/segments.js';
import { until } from '../support/wait.js';

/**
 * Chaos: one ingest while everything that can fail does — services SIGKILLed at random moments
 * (and restarted, as a pod would be), the broker restarted, PostgreSQL down, the bucket
 * unreadable — then the lake must hold exactly the input rows, each once, with no lag left.
 * Sized by CHAOS_FILES and CHAOS_OUTAGE_MS; the random choices follow CHAOS_SEED (printed, so a
 * failing run can be replayed).
 */
const brokers = inject('kafkaBrokers');
const FILES = Number(process.env.CHAOS_FILES ?? 60);
const OUTAGE_MS = Number(process.env.CHAOS_OUTAGE_MS ?? 30_000);
const SEED = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
const ROWS_PER_FILE = 300;
const ORGS = ['acme', 'globex', 'initech'];

/** mulberry32: a small seeded generator, so a run's choices can be replayed. */
function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function logFile(org: string, file: number): Buffer {
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

describe(`chaos (seed ${SEED})`, () => {
  const processes: ServiceProcess[] = [];
  let supervising = true;
  afterAll(async () => {
    supervising = false;
    await Promise.all(processes.map((p) => p.kill('SIGKILL')));
  });

  it('kills, a broker restart, a database outage and an unreadable bucket: the lake converges to the input', async () => {
    console.error(`chaos: seed ${SEED}, ${FILES} files × ${ORGS.length} orgs, outages of ${OUTAGE_MS} ms`);
    const random = seeded(SEED);
    const d = await testDeployment(brokers, 'chaos', { partitions: 4 });
    const databaseUrl = await freshSchemaUrl('chaos');
    const { bucket } = writeProcessConfig(d, {
      label: 'chaos',
      databaseUrl,
      storage: 'settleMs: 300',
      runtime: 'boxerFlushIntervalMs: 200, startupTimeoutMs: 120000, stopTimeoutMs: 60000',
    });
    const services = [
      'pubsub',
      'boxer-ingest-logs',
      'ingest-logs',
      'ingest-logs',
      'boxer-compact-logs',
      'compact-logs',
      'sweeper',
    ].map((name) => {
      const p = new ServiceProcess([name], d.dir);
      p.start();
      processes.push(p);
      return p;
    });
    // A process that exits on its own (a broker it could not reach for long) is restarted, as
    // an orchestrator would.
    let selfRestarts = 0;
    const supervisor = (async () => {
      while (supervising) {
        await sleep(1000);
        for (const p of services) {
          if (supervising && !p.running) {
            selfRestarts++;
            p.start();
          }
        }
      }
    })();

    const store = createFsStore({ root: bucket, bucket: 'bucket' });
    const expected = new Map<string, number>();
    const writing = (async () => {
      for (let f = 0; f < FILES; f++) {
        for (const org of ORGS) {
          await store.put(`otel-raw/${org}/c1/logs_${f}.jsonl.gz`, logFile(org, f));
          const key = `${org}/${f % 2 === 0 ? 20261127 : 20261128}`;
          expected.set(key, (expected.get(key) ?? 0) + ROWS_PER_FILE);
        }
        await sleep(200 + random() * 300);
      }
    })();

    const events: string[] = [];
    const at = (what: string) => events.push(`${(performance.now() / 1000).toFixed(1)}s ${what}`);
    let kills = 0;
    let faultsDone = false;
    const killing = (async () => {
      while (!faultsDone) {
        await sleep(1000 + random() * 3000);
        const victim = services[Math.floor(random() * services.length)] as ServiceProcess;
        at(`SIGKILL ${victim.services.join(' ')}`);
        await victim.kill('SIGKILL');
        kills++;
      }
    })();
    const port = Number(brokers[0]?.split(':')[1]);
    const faults = (async () => {
      await sleep(3000);
      at('broker down');
      await stopKafka({ port });
      await sleep(5000 + random() * 5000);
      await startKafka({ port });
      at('broker up');
      await sleep(5000);
      at('PostgreSQL down');
      await pausePostgres();
      await sleep(OUTAGE_MS);
      await resumePostgres();
      at('PostgreSQL up');
      await sleep(3000);
      at('bucket unreadable');
      renameSync(bucket, `${bucket}.away`);
      // A file where the directory was: every read and write fails, nothing can recreate it.
      writeFileSync(bucket, 'the bucket is unreadable for a while');
      await sleep(OUTAGE_MS);
      rmSync(bucket);
      renameSync(`${bucket}.away`, bucket);
      at('bucket readable');
      faultsDone = true;
    })();
    await Promise.all([writing, faults, killing]);

    const catalog = createPostgresCatalog({ connectionString: databaseUrl });
    const liveRows = async () => {
      const rows = new Map<string, number>();
      for (const s of await catalog.segments({ signal: 'logs' })) {
        rows.set(`${s.org}/${s.dateint}`, (rows.get(`${s.org}/${s.dateint}`) ?? 0) + s.records);
      }
      return rows;
    };
    try {
      await until(
        'live rows to equal the input rows',
        async () => JSON.stringify([...(await liveRows())].sort()) === JSON.stringify([...expected].sort()),
        300_000,
        1000,
      ).catch((err) => {
        console.error(events.join('\n'));
        throw err;
      });
      await until(
        'every consumer group to have no lag',
        async () => {
          const run = await d.cli(['debug', 'kafka', 'consumer-lag', '--json', '--topic', '.logs.']);
          if (run.code !== 0) return false;
          const pairs = JSON.parse(run.stdout).pairs as { totalLag: number }[];
          return pairs.every((p) => p.totalLag === 0);
        },
        120_000,
      );
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
      expect(await catalog.failures()).toEqual([]);
      console.error(
        `chaos (seed ${SEED}): ${kills} SIGKILLs, ${selfRestarts} restarts after exits, ${rows} rows, ${ids.size} unique\n${events.join('\n')}`,
      );
    } finally {
      await catalog.close();
    }
    supervising = false;
    await supervisor;
    const codes = await Promise.all(services.map((p) => p.kill('SIGTERM')));
    expect(codes).toEqual(codes.map(() => 0));
  }, 900_000);
});
