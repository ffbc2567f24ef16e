import { mkdirSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createPgliteCatalog } from '../../packages/catalog-postgres/src/index.js';
import type { Catalog } from '../../packages/core/src/index.js';
import { createLogsPlugin } from '../../packages/plugin-logs/src/index.js';
import { testDeployment } from '../support/deployment.js';
import { type InProcessDeployment, startInProcess } from '../support/in-process.js';
import { until } from '../support/wait.js';

const brokers = inject('kafkaBrokers');

interface Plan {
  executed: boolean;
  replayed: number;
  plan: { position: string; code: string; subject: string; action: string; detail: string }[];
}

describe('lakerunner deadletter replay', () => {
  let running: InProcessDeployment | undefined;
  let catalog: Catalog | undefined;
  afterAll(async () => {
    await running?.stop();
    await catalog?.close();
  });

  it('after a fix (a raised limit) ingests what failed as a whole, once; skips what was partly ingested', {
    timeout: 240_000,
  }, async () => {
    const d = await testDeployment(brokers, 'replay');
    catalog = await createPgliteCatalog();
    const db = catalog;
    const root = join(mkdtempSync(join(tmpdir(), 'lakerunner-replay-')), 'bucket');
    const logs = createLogsPlugin({ ingest: { maxAgeMs: 500 }, compact: { maxAgeMs: 600_000 } });
    const start = (limits?: { maxRecordsPerObject: number; maxDocumentBytes: number }) =>
      startInProcess({ brokers, prefix: d.prefix, plugins: [logs], catalog: db, root, config: { limits } });
    const rows = async () => (await db.segments({ signal: 'logs' })).reduce((n, s) => n + s.records, 0);
    const line = (i: number) =>
      JSON.stringify({
        timestamp: new Date(Date.UTC(2026, 10, 29, 6) + i * 1000).toISOString(),
        message: `m${i}`,
      });
    const drop = (name: string, lines: string[]) => {
      const dir = join(root, 'otel-raw', 'acme', 'c1');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(root, `.${name}`), `${lines.join('\n')}\n`);
      renameSync(join(root, `.${name}`), join(dir, name));
    };

    const list = async () => {
      const run = await d.cli(['deadletter', 'list', '--json']);
      return run.stdout.trim()
        ? run.stdout
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as { code: string; subject: string })
        : [];
    };
    // A deployment whose limits are too low: an OTLP/JSON document over maxDocumentBytes is
    // refused before any of it is read; a JSON-lines file over maxRecordsPerObject keeps the
    // records before the limit.
    running = await start({ maxRecordsPerObject: 50, maxDocumentBytes: 2000 });
    const doc = {
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] },
          scopeLogs: [
            {
              logRecords: Array.from({ length: 30 }, (_, i) => ({
                timeUnixNano: `${BigInt(Date.UTC(2026, 10, 29, 7) + i * 1000) * 1_000_000n}`,
                body: { stringValue: `document record ${i}` },
              })),
            },
          ],
        },
      ],
    };
    drop('logs_doc.json', [JSON.stringify(doc)]);
    // Alone in its unit: a replay that made the same unit again would find it done and do nothing.
    await until('the document’s dead letter', async () => (await list()).length === 1);
    drop(
      'logs_big.jsonl',
      Array.from({ length: 100 }, (_, i) => line(i)),
    );
    drop('logs_mixed.jsonl', [...Array.from({ length: 10 }, (_, i) => line(200 + i)), '{not json']);
    await until(
      'both dead letters and the mixed file’s good rows',
      async () => (await list()).length === 3 && (await rows()) === 60,
      60_000,
    ).catch(async (e: Error) => {
      throw new Error(`${e.message}: ${JSON.stringify(await list())}, ${await rows()} rows`);
    });
    await running.stop();

    // The fix: the default limit. Then the replay.
    running = await start();
    const dry = JSON.parse((await d.cli(['deadletter', 'replay', '--json'])).stdout) as Plan;
    expect(dry.executed).toBe(false);
    const step = (name: string) => dry.plan.find((p) => p.subject.endsWith(name));
    expect(step('logs_doc.json')).toMatchObject({
      action: 'unit',
      code: 'LR_INPUT_LIMIT',
      detail: d.topic('segments.logs.ingest'),
    });
    expect(step('logs_big.jsonl')).toMatchObject({ action: 'skip', code: 'LR_INPUT_LIMIT' });
    expect(step('logs_big.jsonl')?.detail).toContain('partly ingested (50 of its records are in the lake)');
    expect(step('logs_mixed.jsonl')).toMatchObject({ action: 'skip', code: 'LR_INPUT_CORRUPT' });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await rows()).toBe(60);

    const executed = await d.cli(['deadletter', 'replay', '--execute']);
    expect(executed.code, executed.stderr).toBe(0);
    expect(executed.stdout).toContain('replayed 1 of 3 dead-letter record(s)');
    await until('the replayed object in the lake', async () => (await rows()) === 90);

    // Once more: the object is ingested now, so nothing changes and nothing is dead-lettered.
    const segments = (await db.segments({ signal: 'logs' })).map((s) => s.segmentId).sort();
    expect((await d.cli(['deadletter', 'replay', '--execute'])).code).toBe(0);
    await new Promise((r) => setTimeout(r, 4000));
    expect(await rows()).toBe(90);
    expect((await db.segments({ signal: 'logs' })).map((s) => s.segmentId).sort()).toEqual(segments);
    expect(await list()).toHaveLength(3);
  });
});
