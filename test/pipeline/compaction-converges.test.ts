import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPostgresCatalog } from '../../packages/catalog-postgres/src/index.js';
import type { Catalog } from '../../packages/core/src/index.js';
import { createLogsPlugin } from '../../packages/plugin-logs/src/index.js';
import { freshSchemaUrl } from '../support/database.js';
import { testDeployment } from '../support/deployment.js';
import { type InProcessDeployment, startInProcess } from '../support/in-process.js';
import { until } from '../support/wait.js';

const brokers = inject('kafkaBrokers');
const DAY = Date.UTC(2026, 10, 28, 6);
const FILES = 3;
const ROWS_PER_FILE = 250;

const jsonLines = (file: number) =>
  Buffer.from(
    Array.from({ length: ROWS_PER_FILE }, (_, i) =>
      JSON.stringify({
        timestamp: new Date(DAY + file * 60_000 + i * 100).toISOString(),
        service: `svc-${i % 3}`,
        message: `file ${file} line ${i}`,
      }),
    ).join('\n'),
  );

/**
 * Segments that arrive one at a time, each after the compaction boxer's window closed, are each
 * left alone by the boxer (compacting one segment gains nothing). Nothing would ever offer them
 * again; the sweeper's pass does, and the day ends as one segment holding every row.
 */
describe('compaction converges on the fewest segments', () => {
  let catalog: Catalog;
  let pipeline: InProcessDeployment;
  let sweeper: InProcessDeployment | undefined;
  let prefix: string;
  // Each object its own ingest unit; a compaction group closes 300 ms after it opened.
  const plugin = () =>
    createLogsPlugin({ ingest: { maxAgeMs: 100, maxInputs: 1 }, compact: { maxAgeMs: 300 } });
  const live = async () =>
    (await catalog.segments({ signal: 'logs', org: 'acme' })).filter((s) => s.dateint === 20261128);

  beforeAll(async () => {
    prefix = (await testDeployment(brokers, 'converge')).prefix;
    catalog = createPostgresCatalog({ connectionString: await freshSchemaUrl('converge') });
    await catalog.migrate();
    const services = ['pubsub', 'boxer-ingest-logs', 'ingest-logs', 'boxer-compact-logs', 'compact-logs'];
    pipeline = await startInProcess({ brokers, prefix, plugins: [plugin()], catalog, services });
  });
  afterAll(async () => {
    await sweeper?.stop();
    await pipeline?.stop();
    await catalog?.close();
  });

  it('offers segments a boxer left alone again, until the day is one segment', async () => {
    for (let file = 0; file < FILES; file++) {
      await pipeline.store.put(`otel-raw/acme/c1/logs_${file}.jsonl`, jsonLines(file));
      await until(`segment ${file + 1}`, async () => (await live()).length === file + 1, 60_000);
      // Past the group's window and a boxer flush: this segment's group closes alone.
      await new Promise((r) => setTimeout(r, 1200));
    }
    expect((await live()).map((s) => s.records)).toEqual([ROWS_PER_FILE, ROWS_PER_FILE, ROWS_PER_FILE]);

    // The sweeper, in a process of its own, runs its pass every 500 ms.
    sweeper = await startInProcess({
      brokers,
      prefix,
      plugins: [plugin()],
      catalog,
      root: pipeline.root,
      services: ['sweeper'],
      config: { runtime: { sweeperIntervalMs: 500 } },
    });
    const merged = await until(
      'one live segment',
      async () => {
        const segments = await live();
        return segments.length === 1 ? segments : undefined;
      },
      60_000,
    );
    expect(merged[0]?.records).toBe(FILES * ROWS_PER_FILE);
    expect(merged[0]?.createdBy).toBe('compact');
    // Converged: further passes offer nothing (one segment is no group), so nothing changes.
    await new Promise((r) => setTimeout(r, 2000));
    expect((await live()).map((s) => s.segmentId)).toEqual([merged[0]?.segmentId]);
  });
});
