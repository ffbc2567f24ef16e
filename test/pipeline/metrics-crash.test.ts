import { afterAll, describe, expect, inject, it } from 'vitest';
import { createPostgresCatalog } from '../../packages/catalog-postgres/src/index.js';
import { DEFAULT_TIERS } from '../../packages/plugin-metrics/src/index.js';
import { createFsStore } from '../../packages/storage-fs/src/index.js';
import { freshSchemaUrl } from '../support/database.js';
import { testDeployment } from '../support/deployment.js';
import {
  generate,
  inputObjects,
  lakeTier,
  oracle,
  pointsIn,
  tierMismatches,
} from '../support/metrics-oracle.js';
import { writeProcessConfig } from '../support/process-config.js';
import { ServiceProcess } from '../support/processes.js';
import { until } from '../support/wait.js';

const brokers = inject('kafkaBrokers');
const KILLS = 10;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The rollup chain as separate processes, SIGKILLed at random moments while data arrives (late
 * and out of order) and a sweeper with a 3 s grace deletes what it may: every tier must still
 * equal the brute-force oracle exactly. A rollup that ran twice would double counts; one whose
 * input was swept would fail or lose them.
 */
describe('metrics as processes: SIGKILL ingest, rollup, compaction and boxers (real Kafka, PostgreSQL)', () => {
  const processes: ServiceProcess[] = [];
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill('SIGKILL')));
  });

  it('every tier converges to the oracle after repeated kills', async () => {
    const d = await testDeployment(brokers, 'metrics-crash', {
      partitions: 4,
      plugins: ['@lakerunner/plugin-metrics'],
    });
    const databaseUrl = await freshSchemaUrl('metrics_crash');
    const { bucket } = writeProcessConfig(d, {
      label: 'metrics-crash',
      databaseUrl,
      signal: 'metrics',
      runtime: 'boxerFlushIntervalMs: 200, sweeperGraceMs: 3000, sweeperIntervalMs: 500',
    });
    const spawnService = (...names: string[]) => {
      const p = new ServiceProcess(names, d.dir);
      p.start();
      processes.push(p);
      return p;
    };
    const steady = spawnService('pubsub', 'sweeper');
    const killable = [
      spawnService('boxer-ingest-metrics', 'boxer-compact-metrics', 'boxer-rollup-metrics'),
      spawnService('ingest-metrics'),
      spawnService('rollup-metrics'),
      spawnService('compact-metrics'),
    ];

    const store = createFsStore({ root: bucket, bucket: 'bucket' });
    const points = generate();
    let kills = 0;
    const chaos = (async () => {
      while (kills < KILLS) {
        await sleep(1000 + Math.random() * 2000);
        const victim = killable[Math.floor(Math.random() * killable.length)] as ServiceProcess;
        await victim.kill('SIGKILL');
        kills++;
        await sleep(200 + Math.random() * 800);
        victim.start();
      }
    })();
    for (const { key, bytes } of inputObjects(points)) {
      await store.put(key, bytes);
      await sleep(800);
    }
    await chaos;

    const catalog = createPostgresCatalog({ connectionString: databaseUrl });
    try {
      for (const frequencyMs of DEFAULT_TIERS) {
        const expected = oracle(points, frequencyMs);
        const total = [...expected.values()].reduce((n, e) => n + e.count, 0);
        await until(
          `the ${frequencyMs} ms tier to hold every point`,
          async () => pointsIn(await lakeTier(catalog, store, frequencyMs)) === total,
          240_000,
          1000,
        ).catch((err) => {
          for (const p of [steady, ...killable]) {
            const said = p.log.split('\n').filter((l) => /"level":"(warn|error)"|^error/.test(l));
            console.error(p.services.join(' '), said.slice(-8).join('\n'));
          }
          throw err;
        });
        const lake = await lakeTier(catalog, store, frequencyMs);
        expect(tierMismatches(lake, expected, frequencyMs).slice(0, 10)).toEqual([]);
      }
      // The sweeper deletes what compaction replaced (3 s grace), and nothing rollup still needed:
      // once it has caught up, every tier still reads back exactly.
      await until(
        'the sweeper to delete replaced segments',
        async () => steady.log.includes('"swept"'),
        60_000,
      );
      await until(
        'the sweeper to catch up',
        async () => (await catalog.sweepable('metrics', new Date(Date.now() - 5000))).length === 0,
        60_000,
      );
      for (const frequencyMs of DEFAULT_TIERS) {
        const lake = await lakeTier(catalog, store, frequencyMs);
        expect(tierMismatches(lake, oracle(points, frequencyMs), frequencyMs).slice(0, 10)).toEqual([]);
      }
      // Nothing was dead-lettered: a kill is never a reason to give up on a work unit.
      expect(await catalog.failures()).toEqual([]);
      console.error(`metrics crash test: ${kills} SIGKILLs, ${points.length} points, every tier exact`);
    } finally {
      await catalog.close();
    }
  }, 600_000);
});
