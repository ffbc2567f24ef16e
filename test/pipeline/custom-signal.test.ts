import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createPgliteCatalog } from '../../packages/catalog-postgres/src/index.js';
import {
  buildTopicRegistry,
  type Catalog,
  loadSignalPlugins,
  serviceNames,
} from '../../packages/core/src/index.js';
import { logsPlugin } from '../../packages/plugin-logs/src/index.js';
import { testDeployment } from '../support/deployment.js';
import { type InProcessDeployment, startInProcess } from '../support/in-process.js';
import { segmentRows } from '../support/segments.js';
import { until } from '../support/wait.js';

const brokers = inject('kafkaBrokers');

describe('a fourth signal from examples/custom-signal-plugin, end to end', () => {
  let running: InProcessDeployment | undefined;
  let catalog: Catalog | undefined;
  afterAll(async () => {
    await running?.stop();
    await catalog?.close();
  });

  it('gets its own topics, groups and services; its codec, schema and compaction run on the plugin kit', async () => {
    const example = new URL('../../examples/custom-signal-plugin/', import.meta.url).pathname;
    const [events] = await loadSignalPlugins(['./events-plugin.mjs'], example);
    if (!events) throw new Error('the example exports no plugin');
    const d = await testDeployment(brokers, 'events', {
      plugins: ['@lakerunner/plugin-logs', join(example, 'events-plugin.mjs')],
    });
    const registry = buildTopicRegistry([logsPlugin, events], d.prefix);
    expect(registry.find('objstore.ingest.events')?.consumerGroup).toBe(`${d.prefix}.ingest.events`);
    expect(serviceNames(registry)).toEqual(
      expect.arrayContaining([
        'boxer-ingest-events',
        'ingest-events',
        'boxer-compact-events',
        'compact-events',
      ]),
    );

    catalog = await createPgliteCatalog();
    await catalog.migrate();
    running = await startInProcess({
      brokers,
      prefix: d.prefix,
      plugins: [logsPlugin, events],
      catalog,
      services: ['pubsub', 'boxer-ingest-events', 'ingest-events', 'boxer-compact-events', 'compact-events'],
    });
    const { store } = running;

    // Three collectors make three ingest units, so the day first lands in three segments.
    const EVENTS = ['checkout', 'login', 'search'];
    for (const collector of ['c1', 'c2', 'c3']) {
      const lines = Array.from({ length: 40 }, (_, i) =>
        [
          `ts=${new Date(Date.UTC(2026, 10, 28, 8) + i * 1000).toISOString()}`,
          `event=${EVENTS[i % 3]}`,
          `user=${collector}-u${i}`,
          `amount=${i}.5`,
          `note="said \\"hi\\" at ${i}"`,
        ].join(' '),
      );
      lines.push('garbage without an event');
      await store.put(`otel-raw/acme/${collector}/events_1.logfmt`, Buffer.from(lines.join('\n')));
    }
    const live = async () => (await catalog?.segments({ signal: 'events' })) ?? [];
    await until(
      'events compacted into one segment',
      async () => {
        const segments = await live();
        return segments.length === 1 && segments[0]?.createdBy === 'compact';
      },
      90_000,
    );
    const [segment] = await live();
    expect(segment?.records).toBe(120);
    expect(segment?.objectKey).toMatch(/^lake\/events\/org=acme\/dateint=20261128\/[^/]+\.parquet$/);
    expect(await catalog.segments({ signal: 'logs' })).toEqual([]);

    const rows = await segmentRows(store, [segment?.objectKey ?? '']);
    // The example's own sort order survives compaction: by event, then time.
    expect(rows.map((r) => r.event)).toEqual([...rows.map((r) => r.event as string)].sort());
    expect(rows.find((r) => r.user === 'c2-u3')).toMatchObject({
      event: 'checkout',
      prop_amount: 3.5,
      prop_note: 'said "hi" at 3',
    });
    // The lines without an event were dead-lettered with their line numbers, the rest ingested.
    const failures = await catalog.failures();
    expect(failures).toHaveLength(3);
    expect(failures[0]?.reason).toMatch(/1 record\(s\) could not be read; the other 40 were ingested/);
  });
});
