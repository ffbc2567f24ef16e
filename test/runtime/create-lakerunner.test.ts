import { mkdirSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createPgliteCatalog, postgresCatalogAdapter } from '../../packages/catalog-postgres/src/index.js';
import {
  type Catalog,
  type Codec,
  createLakerunner,
  type DeadLetterEvent,
  defineStorageAdapter,
  type Lakerunner,
  type SignalPlugin,
  type StageDeclaration,
  type UnitDoneEvent,
} from '../../packages/core/src/index.js';
import { LOG_CODECS, logsPlugin } from '../../packages/plugin-logs/src/index.js';
import { createFsStore, fsStorageAdapter } from '../../packages/storage-fs/src/index.js';
import { uniquePrefix } from '../support/cli.js';
import { until } from '../support/wait.js';

const brokers = inject('kafkaBrokers');
const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** The same logs plugin, minus its compaction handler: a plugin that cannot run compact-logs. */
const { handler: _unused, ...compactWithoutHandler } = logsPlugin.stages.compact as StageDeclaration;
const withoutCompactHandler: SignalPlugin = {
  ...logsPlugin,
  stages: { ...logsPlugin.stages, compact: compactWithoutHandler },
};

describe('createLakerunner', () => {
  const opened: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const close of opened.reverse()) await close().catch(() => {});
  });

  const base = () => {
    const dir = mkdtempSync(join(tmpdir(), 'lakerunner-compose-'));
    return {
      dir,
      options: {
        kafka: { brokers },
        log: silent,
        plugins: [logsPlugin],
        storage: { adapter: fsStorageAdapter, options: { root: join(dir, 'bucket'), pollIntervalMs: 200 } },
        catalog: { adapter: postgresCatalogAdapter, options: { dataDir: join(dir, 'catalog') } },
      },
    };
  };

  it.each([
    [
      'an unknown service',
      { services: ['ingest-logz'] },
      'LR_CONFIG_INVALID',
      /unknown service\(s\) ingest-logz/,
    ],
    [
      'two plugins for one signal',
      { plugins: [logsPlugin, { ...logsPlugin, name: 'my-logs' }] },
      'LR_PLUGIN_DUPLICATE_SIGNAL',
      /"logs" is declared by both @lakerunner\/plugin-logs and my-logs/,
    ],
    [
      'a service its plugin has no handler for',
      { plugins: [withoutCompactHandler], services: ['compact-logs'] },
      'LR_PLUGIN_INVALID',
      /no handler for logs compact, so compact-logs cannot run/,
    ],
    [
      'an invalid config value',
      { config: { runtime: { workerConcurrency: 0 } } },
      'LR_CONFIG_INVALID',
      /runtime\.workerConcurrency/,
    ],
    [
      'an unknown plugin module',
      { plugins: ['@lakerunner/plugin-nope'] },
      'LR_PLUGIN_NOT_FOUND',
      /plugin-nope/,
    ],
    [
      'a codec object no thread can import',
      { codecs: [{ ...LOG_CODECS[0], name: 'mine' } as Codec] },
      'LR_PLUGIN_INVALID',
      /codec mine was given as an object .* name its module instead/,
    ],
    [
      'a misspelt catalog option',
      { catalog: { adapter: postgresCatalogAdapter, options: { datadir: './catalog' } as never } },
      'LR_CONFIG_INVALID',
      /catalog\.options\.datadir: unknown option of @lakerunner\/catalog-postgres/,
    ],
  ])('fails on %s with a coded error naming it', async (_, wrong, code, message) => {
    const { options } = base();
    await expect(createLakerunner({ ...options, ...wrong })).rejects.toMatchObject({
      code,
      message: expect.stringMatching(message),
    });
  });

  it('fails on an unknown adapter option, naming it', async () => {
    const { dir, options } = base();
    const storage = { adapter: fsStorageAdapter, options: { root: join(dir, 'bucket'), rot: 'x' } as never };
    await expect(createLakerunner({ ...options, storage })).rejects.toMatchObject({
      code: 'LR_CONFIG_INVALID',
      message: expect.stringMatching(/storage\.options\.rot: unknown option/),
    });
  });

  it('closes what it had opened when a later part fails', async () => {
    const { dir, options } = base();
    let closed = 0;
    const storage = {
      adapter: defineStorageAdapter({
        name: 'counting',
        async create() {
          const store = createFsStore({ root: join(dir, 'bucket'), bucket: 'b' });
          return { store: { ...store, close: async () => void closed++ }, sources: [] };
        },
      }),
      options: {},
    };
    await expect(
      createLakerunner({ ...options, storage, catalog: { module: '@lakerunner/catalog-nope' } }),
    ).rejects.toMatchObject({ code: 'LR_PLUGIN_NOT_FOUND' });
    expect(closed).toBe(1);
  });

  it('skips what its plugins cannot run under services: all, and says so', async () => {
    const { options } = base();
    const lake = await createLakerunner({
      ...options,
      topicPrefix: uniquePrefix('skip'),
      plugins: [withoutCompactHandler],
    });
    opened.push(() => lake.stop());
    expect(lake.skipped).toEqual([
      { name: 'compact-logs', reason: '@lakerunner/plugin-logs provides no handler for logs compact' },
    ]);
    expect(lake.services.map((s) => s.name)).not.toContain('compact-logs');
  });

  it('runs: topics, start, events for finished units and dead letters, health, stop', async () => {
    const { dir, options } = base();
    const catalog: Catalog = await createPgliteCatalog();
    opened.push(() => catalog.close());
    const errors: string[] = [];
    const lake: Lakerunner = await createLakerunner({
      ...options,
      log: { ...silent, error: (msg) => void errors.push(msg) },
      catalog,
      topicPrefix: uniquePrefix('compose'),
      config: {
        kafkaTopics: { defaults: { partitionCount: 2 } },
        runtime: { boxerFlushIntervalMs: 200 },
      },
    });
    opened.push(() => lake.stop());
    const units: UnitDoneEvent[] = [];
    const deadLetters: DeadLetterEvent[] = [];
    lake.on('unit-done', (u) => units.push(u));
    const off = lake.on('dead-letter', (d) => deadLetters.push(d));
    // Listeners that fail, as an application's might: logged, never the service's problem.
    lake.on('unit-done', () => {
      throw new Error('a listener that throws');
    });
    lake.on('unit-done', async () => {
      throw new Error('a listener that rejects');
    });

    await expect(lake.start()).rejects.toMatchObject({ code: 'LR_TOPICS_MISSING' });
    const synced = await lake.syncTopics();
    expect(synced.every((t) => t.status === 'created')).toBe(true);
    expect((await lake.syncTopics()).every((t) => t.status === 'present')).toBe(true);
    await lake.start();
    expect(await until('ready', async () => ((await lake.health()).status === 'ok' ? true : undefined))).toBe(
      true,
    );

    const raw = join(dir, 'bucket', 'otel-raw', 'acme', 'c1');
    const rows = Array.from({ length: 120 }, (_, i) =>
      JSON.stringify({
        timestamp: new Date(Date.UTC(2026, 10, 29, 8) + i * 1000).toISOString(),
        message: `m${i}`,
      }),
    );
    writeFileSync(join(dir, 'tmp-good'), `${rows.join('\n')}\n`);
    const gz = gzipSync(`${rows.join('\n')}\n`);
    writeFileSync(join(dir, 'tmp-bad'), gz.subarray(0, gz.length - 12));
    mkdirSync(raw, { recursive: true });
    renameSync(join(dir, 'tmp-good'), join(raw, 'logs_good.jsonl'));
    renameSync(join(dir, 'tmp-bad'), join(raw, 'logs_bad.jsonl.gz'));

    await until(
      'the unit and its dead letter',
      () => units.some((u) => u.service === 'ingest-logs') && deadLetters.length > 0,
    );
    const ingest = units.filter((u) => u.service === 'ingest-logs' && u.outcome === 'committed');
    expect(ingest.reduce((n, u) => n + u.records, 0)).toBe(120);
    expect(ingest[0]).toMatchObject({ signal: 'logs', stage: 'ingest', org: 'acme' });
    expect(deadLetters[0]).toMatchObject({ service: 'ingest-logs', code: expect.stringMatching(/^LR_/) });
    expect(deadLetters[0]?.input).toMatchObject({ key: 'otel-raw/acme/c1/logs_bad.jsonl.gz' });
    off();

    const live = await catalog.segments({ signal: 'logs' });
    expect(live.reduce((n, s) => n + s.records, 0)).toBe(120);
    await until(
      'both listener failures logged',
      () => errors.filter((e) => e === 'an event listener threw').length >= 2,
    );

    await lake.stop();
    expect((await lake.health()).started).toBe(false);
    // The catalog was handed in: it stays open for its owner.
    expect(await catalog.segments({ signal: 'logs' })).toHaveLength(live.length);
    await expect(lake.start()).rejects.toMatchObject({ code: 'LR_STARTUP_FAILED' });
  });

  it('stop() during start() leaves no service running', async () => {
    const { options } = base();
    const prefix = uniquePrefix('halfway');
    const lake = await createLakerunner({ ...options, topicPrefix: prefix });
    await lake.syncTopics();
    const outcome = lake.start().then(
      () => 'started before the stop',
      (e: { code?: string }) => e.code,
    );
    // The services are still coming up (joining their groups) when the stop begins.
    await new Promise((r) => setTimeout(r, 50));
    await lake.stop();
    expect(await outcome).toBe('LR_STARTUP_FAILED');
    expect((await lake.health()).started).toBe(false);
    // Every consumer group of the deployment is empty: nothing came up after the stop.
    const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const groups = (await admin.listGroups()).groups
        .map((g) => g.groupId)
        .filter((g) => g.startsWith(`${prefix}.`));
      const described = await admin.describeGroups(groups);
      expect(described.groups.flatMap((g) => g.members)).toEqual([]);
    } finally {
      await admin.disconnect();
    }
  });
});
