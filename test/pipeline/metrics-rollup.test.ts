import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPostgresCatalog } from '../../packages/catalog-postgres/src/index.js';
import type { Catalog, ObjectStore } from '../../packages/core/src/index.js';
import { createMetricsPlugin, DEFAULT_TIERS } from '../../packages/plugin-metrics/src/index.js';
import { freshSchemaUrl } from '../support/database.js';
import { testDeployment } from '../support/deployment.js';
import { type InProcessDeployment, startInProcess } from '../support/in-process.js';
import {
  generate,
  inputObjects,
  lakeTier,
  oracle,
  pointsIn,
  tierMismatches,
} from '../support/metrics-oracle.js';
import { until } from '../support/wait.js';

const brokers = inject('kafkaBrokers');

/**
 * The rollup chain against a brute-force oracle: random samples of many series over two hours,
 * written as OTLP protobuf and JSON objects in 10-minute chunks that arrive out of order (late
 * data), with a counter reset. For every tier (10 s … 1 h) the live rows of the lake, merged per
 * series and window, must equal what the oracle computes from the raw points: count, sum, min,
 * max, last and counter increase exactly (integer samples keep sums exact), percentiles within
 * the sketch's 1 % relative error.
 */
describe('metrics: the rollup chain against a brute-force oracle (real Kafka, PostgreSQL)', () => {
  let running: InProcessDeployment | undefined;
  let catalog: Catalog;
  let store: ObjectStore;
  let sweeping: NodeJS.Timeout | undefined;
  const points = generate();
  const tier = (frequencyMs: number) => lakeTier(catalog, store, frequencyMs);

  beforeAll(async () => {
    const d = await testDeployment(brokers, 'metrics', { plugins: ['@lakerunner/plugin-metrics'] });
    catalog = createPostgresCatalog({ connectionString: await freshSchemaUrl('metrics') });
    await catalog.migrate();
    const plugin = createMetricsPlugin({
      ingest: { maxAgeMs: 500, maxInputs: 3 },
      compact: { maxAgeMs: 1500 },
      rollup: { maxAgeMs: 800 },
    });
    // The sweeper may delete a replaced segment 3 s after it was replaced: it must still wait for
    // rollup to have read it. (Orphans get the same grace: outputs are registered within it.)
    running = await startInProcess({
      brokers,
      prefix: d.prefix,
      plugins: [plugin],
      catalog,
      sweeperGraceMs: 3000,
    });
    const sweeper = running.services.find((s) => s.name === 'sweeper') as unknown as {
      sweepOnce(): Promise<void>;
    };
    sweeping = setInterval(() => void sweeper.sweepOnce().catch(() => {}), 300);
    store = running.store;
    for (const { key, bytes } of inputObjects(points)) await store.put(key, bytes);
  }, 120_000);

  afterAll(async () => {
    clearInterval(sweeping);
    await running?.stop();
    await catalog?.close();
  });

  it('every tier equals the oracle, window by window', async () => {
    for (const frequencyMs of DEFAULT_TIERS) {
      const expected = oracle(points, frequencyMs);
      const total = [...expected.values()].reduce((n, e) => n + e.count, 0);
      await until(
        `the ${frequencyMs} ms tier complete`,
        async () => pointsIn(await tier(frequencyMs)) === total,
        180_000,
        1000,
      );
      expect(tierMismatches(await tier(frequencyMs), expected, frequencyMs).slice(0, 10)).toEqual([]);
    }
    // Nothing failed: no rollup ever found its input swept away.
    expect(await catalog.failures()).toEqual([]);
  }, 600_000);

  it('replaying every notification changes nothing', async () => {
    const summary = async (f: number) =>
      JSON.stringify(
        [...(await tier(f))].map(([k, r]) => [k, r.aggregate.count, r.aggregate.sum, r.aggregate.increase]),
      );
    const before = new Map<number, string>();
    for (const f of DEFAULT_TIERS) before.set(f, await summary(f));
    const pubsub = running?.services.find((s) => s.name === 'pubsub') as unknown as {
      publish(e: { bucket: string; key: string; size: number; version: string }): Promise<void>;
    };
    for await (const o of store.list('otel-raw/')) {
      await pubsub.publish({ bucket: store.bucket, key: o.key, size: o.size, version: o.version });
    }
    await new Promise((r) => setTimeout(r, 6000));
    for (const f of DEFAULT_TIERS) expect(await summary(f), `tier ${f}`).toBe(before.get(f));
  }, 120_000);
});
