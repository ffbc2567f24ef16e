import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createPgliteCatalog } from '../../packages/catalog-postgres/src/index.js';
import type { Catalog } from '../../packages/core/src/index.js';
import { createLogsPlugin } from '../../packages/plugin-logs/src/index.js';
import { testDeployment } from '../support/deployment.js';
import { type InProcessDeployment, startInProcess } from '../support/in-process.js';
import { until } from '../support/wait.js';

const brokers = inject('kafkaBrokers');

describe('consumer-lag does not cry wolf over a boxer inside its grouping window', () => {
  let running: InProcessDeployment | undefined;
  let catalog: Catalog | undefined;
  afterAll(async () => {
    await running?.stop();
    await catalog?.close();
  });

  it('shows HOLDING for the notifications an open group holds, and OK for the rest', async () => {
    const d = await testDeployment(brokers, 'holding');
    catalog = await createPgliteCatalog();
    // A long window: the boxer keeps the group open for the whole test.
    const logs = createLogsPlugin({ ingest: { maxAgeMs: 120_000, maxInputs: 1000 } });
    running = await startInProcess({
      brokers,
      prefix: d.prefix,
      plugins: [logs],
      catalog,
      services: ['pubsub', 'boxer-ingest-logs'],
    });
    const dir = join(running.root, 'otel-raw', 'acme', 'c1');
    mkdirSync(dir, { recursive: true });
    for (const n of [1, 2, 3]) writeFileSync(join(dir, `logs_${n}.jsonl`), '{"message":"held"}\n');
    const topic = d.topic('objstore.ingest.logs');

    const pair = await until('the notifications to wait in the boxer', async () => {
      const run = await d.cli([
        'debug',
        'kafka',
        'consumer-lag',
        '--json',
        '--topic',
        'objstore.ingest.logs',
      ]);
      const found = (
        JSON.parse(run.stdout) as { pairs: { topic: string; status: string; totalLag: number }[] }
      ).pairs[0];
      return found && found.totalLag === 3 ? found : undefined;
    });
    // The CLI's deployment has the default grouping window (10 s), so it calls messages younger
    // than that (plus the flush interval) held by design.
    expect(pair).toMatchObject({ topic, totalLag: 3, status: 'HOLDING' });
    const table = await d.cli(['debug', 'kafka', 'consumer-lag', '--topic', 'objstore.ingest.logs']);
    expect(table.stdout).toMatch(new RegExp(`${topic}\\s+\\S+\\s+3\\s+\\d+\\s+HOLDING`));
  });
});
