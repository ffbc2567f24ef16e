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
import { until } from '../support/wait.js';

const brokers = inject('kafkaBrokers');

describe('a fourth signal from examples/custom-signal-plugin, end to end', () => {
  let running: InProcessDeployment | undefined;
  let catalog: Catalog | undefined;
  afterAll(async () => {
    await running?.stop();
    await catalog?.close();
  });

  it('gets its own topics, groups and services, and its events land in its own segments', async () => {
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
      services: ['pubsub', 'boxer-ingest-events', 'ingest-events'],
    });
    const { store } = running;

    const lines = Array.from({ length: 120 }, (_, i) =>
      JSON.stringify({ ts: Date.UTC(2026, 10, 28, 8) + i * 1000, service: 'shop', message: `checkout ${i}` }),
    );
    await store.put('otel-raw/acme/c1/events_1.jsonl', Buffer.from(lines.join('\n')));
    const live = async () => (await catalog?.segments({ signal: 'events' })) ?? [];
    await until(
      'events segments',
      async () => (await live()).reduce((n, s) => n + s.records, 0) === 120,
      60_000,
    );
    const [segment] = await live();
    expect(segment?.objectKey).toMatch(/^lake\/events\/org=acme\/dateint=20261128\/hour=08\//);
    expect(await catalog.segments({ signal: 'logs' })).toEqual([]);
  });
});
