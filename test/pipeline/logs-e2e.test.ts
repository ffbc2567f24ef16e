import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPostgresCatalog } from '../../packages/catalog-postgres/src/index.js';
import {
  type Catalog,
  createSweeper,
  type ObjectStore,
  type PubsubService,
  type Service,
} from '../../packages/core/src/index.js';
import { createLogsPlugin } from '../../packages/plugin-logs/src/index.js';
import { freshSchemaUrl } from '../support/database.js';
import { produce, type TestDeployment, testDeployment } from '../support/deployment.js';
import { type InProcessDeployment, startInProcess } from '../support/in-process.js';
import { segmentRows } from '../support/segments.js';
import { until } from '../support/wait.js';

const brokers = inject('kafkaBrokers');

/** Rows per (org, day) written into the bucket, and the files that hold them. */
const ORGS = ['acme', 'globex'];
const DAYS = [Date.UTC(2026, 10, 27, 22), Date.UTC(2026, 10, 28, 3)];
const FILES_PER_ORG_DAY = 3;
const ROWS_PER_FILE = 400;

function jsonLines(org: string, dayStart: number, file: number): Buffer {
  const lines = Array.from({ length: ROWS_PER_FILE }, (_, i) =>
    JSON.stringify({
      timestamp: new Date(dayStart + file * 60_000 + i * 1000).toISOString(),
      level: i % 10 === 0 ? 'error' : 'info',
      service: `svc-${i % 4}`,
      message: `${org} request ${file}-${i} took ${i % 97} ms`,
      http_status: 200 + (i % 3),
    }),
  );
  return gzipSync(lines.join('\n'));
}

describe('logs end to end through every Kafka hop (real Kafka, PostgreSQL, local store)', () => {
  let store: ObjectStore;
  let catalog: Catalog;
  let running: InProcessDeployment | undefined;
  let services: readonly Service[];
  let expected: Map<string, number>;
  let deployment: TestDeployment;

  const liveRows = async () => {
    const rows = new Map<string, number>();
    for (const s of await catalog.segments({ signal: 'logs' })) {
      const k = `${s.org}/${s.dateint}`;
      rows.set(k, (rows.get(k) ?? 0) + s.records);
    }
    return rows;
  };

  beforeAll(async () => {
    const d = await testDeployment(brokers, 'e2e');
    deployment = d;
    catalog = createPostgresCatalog({ connectionString: await freshSchemaUrl('e2e') });
    await catalog.migrate();
    const plugin = createLogsPlugin({
      // Units of at most two files, so each org and day first lands in several segments.
      ingest: { maxAgeMs: 500, maxInputs: 2 },
      compact: { maxAgeMs: 1500 },
    });
    running = await startInProcess({ brokers, prefix: d.prefix, plugins: [plugin], catalog });
    store = running.store;
    services = running.services;

    expected = new Map();
    for (const org of ORGS) {
      for (const day of DAYS) {
        for (let f = 0; f < FILES_PER_ORG_DAY; f++) {
          await store.put(
            `otel-raw/${org}/collector-1/2026/logs_${day}_${f}.jsonl.gz`,
            jsonLines(org, day, f),
          );
        }
        const dateint = Number(new Date(day).toISOString().slice(0, 10).replaceAll('-', ''));
        expected.set(`${org}/${dateint}`, FILES_PER_ORG_DAY * ROWS_PER_FILE);
      }
    }
  });

  afterAll(async () => {
    await running?.stop();
    await catalog?.close();
  });

  it('registers live rows per org and day equal to the input rows, and compacts', async () => {
    await until(
      'all rows to be live',
      async () => JSON.stringify([...(await liveRows())].sort()) === JSON.stringify([...expected].sort()),
    );
    await until('compaction', async () =>
      (await catalog.segments({ signal: 'logs' })).some((s) => s.createdBy === 'compact'),
    );
    await until('compaction to settle', async () => {
      const live = await catalog.segments({ signal: 'logs' });
      return live.length === expected.size;
    });
    const all = await catalog.segments({ signal: 'logs', publishedOnly: false });
    const live = all.filter((s) => s.published);
    expect(live.length).toBeLessThan(all.filter((s) => s.createdBy === 'ingest').length);
    expect(await liveRows()).toEqual(expected);

    const ids = new Set<string>();
    let rows = 0;
    for (const s of live) {
      for (const r of await segmentRows(store, [s.objectKey])) {
        ids.add(r.id as string);
        rows++;
      }
      expect(s.objectKey).toMatch(
        new RegExp(`^lake/logs/org=${s.org}/dateint=${s.dateint}/[^/]+\\.parquet$`),
      );
    }
    expect(ids.size).toBe(rows);
  });

  it('each service consumes with exactly its specified consumer group', async () => {
    const admin = deployment.kafka.admin();
    await admin.connect();
    try {
      const groups = [
        ['boxer-ingest-logs', 'ingest.logs'],
        ['ingest-logs', 'segments.logs.ingest'],
        ['boxer-compact-logs', 'boxer.logs.compact'],
        ['compact-logs', 'compact.logs'],
      ] as const;
      const { groups: described } = await admin.describeGroups(groups.map(([, g]) => deployment.group(g)));
      for (const [service, group] of groups) {
        const g = described.find((x) => x.groupId === deployment.group(group));
        expect(g?.state, service).toBe('Stable');
        expect(g?.members.map((m) => m.clientId)).toHaveLength(1);
      }
    } finally {
      await admin.disconnect();
    }
  });

  it('dead-letters a poison notification, a poison work unit and a corrupt object with reasons; everything else completes', async () => {
    const before = await liveRows();
    await produce(deployment.kafka, deployment.topic('segments.logs.ingest'), [
      { key: 'x', value: '{"v":9,"type":"work-unit"}' },
    ]);
    await produce(deployment.kafka, deployment.topic('objstore.ingest.logs'), [
      { key: 'y', value: 'not json at all' },
    ]);
    await store.put(
      'otel-raw/acme/collector-1/2026/logs_corrupt.jsonl.gz',
      Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01]),
    );
    const good = Buffer.from(
      `${JSON.stringify({ timestamp: '2026-11-28T05:00:00Z', message: 'after the poison', service: 'svc-0' })}\n`,
    );
    await store.put('otel-raw/acme/collector-1/2026/logs_after.jsonl', good);

    const reader = deployment.kafka.consumer({ groupId: `${deployment.prefix}-dlq-reader` });
    const records: { code: string; reason: string; service: string; source: { topic: string } }[] = [];
    await reader.connect();
    await reader.subscribe({ topic: deployment.topic('deadletter'), fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => void records.push(JSON.parse(message.value?.toString() ?? '{}')),
    });
    try {
      await until('three dead-letter records', async () => records.length >= 3);
      const badNotification = records.find((r) => r.service === 'boxer-ingest-logs');
      expect(badNotification?.code).toBe('LR_MESSAGE_INVALID');
      expect(badNotification?.reason).toContain('boxer-ingest-logs input: not JSON');
      const poison = records.find(
        (r) => r.source.topic === deployment.topic('segments.logs.ingest') && r.code === 'LR_MESSAGE_INVALID',
      );
      expect(poison?.service).toBe('ingest-logs');
      expect(poison?.reason).toContain('ingest-logs work unit');
      const corrupt = records.find((r) => r.code === 'LR_INPUT_CORRUPT');
      expect(corrupt?.reason).toContain('logs_corrupt.jsonl.gz: cannot decompress');
      await until(
        'the good file after the poison',
        async () => (await liveRows()).get('acme/20261128') === (before.get('acme/20261128') ?? 0) + 1,
      );
      expected.set('acme/20261128', (expected.get('acme/20261128') ?? 0) + 1);
      const failures = await catalog.failures();
      expect(
        failures.some((f) => f.code === 'LR_INPUT_CORRUPT' && f.input.includes('logs_corrupt.jsonl.gz')),
      ).toBe(true);

      // The operator's view of the same records: listed, filtered, shown with what they are about.
      const list = await deployment.cli(['deadletter', 'list', '--json']);
      expect(list.code, list.stderr).toBe(0);
      const listed = list.stdout
        .trim()
        .split('\n')
        .map(
          (l) =>
            JSON.parse(l) as {
              position: string;
              code: string;
              service: string;
              subject: string;
              org?: string;
            },
        );
      expect(listed).toHaveLength(records.length);
      const corruptListed = listed.find((r) => r.code === 'LR_INPUT_CORRUPT');
      expect(corruptListed).toMatchObject({
        service: 'ingest-logs',
        org: 'acme',
        subject: `${store.bucket}/otel-raw/acme/collector-1/2026/logs_corrupt.jsonl.gz`,
      });
      const onlyInput = await deployment.cli(['deadletter', 'list', '--code', 'LR_INPUT', '--org', 'acme']);
      expect(onlyInput.stdout).toContain('logs_corrupt.jsonl.gz');
      expect(onlyInput.stdout).not.toContain('boxer-ingest-logs');
      expect(onlyInput.stdout).toMatch(/1 dead-letter record\(s\) matching code LR_INPUT, org acme/);
      const shown = await deployment.cli(['deadletter', 'show', corruptListed?.position ?? '']);
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stdout).toContain('cannot decompress');
      // The original is the work unit the object was in, decoded.
      expect(shown.stdout).toMatch(/"type": "work-unit"[\s\S]*logs_corrupt\.jsonl\.gz/);
      const tail = await deployment.cli([
        'debug',
        'kafka',
        'tail',
        'deadletter',
        '--offset',
        'earliest',
        '--max',
        '1',
        '--timeout',
        '5s',
      ]);
      expect(tail.stdout).toContain('dead-letter record:');
    } finally {
      await reader.disconnect();
    }
  });

  it('replaying every notification changes nothing', async () => {
    const pubsub = services.find((s) => s.name === 'pubsub') as PubsubService;
    const before = await catalog.segments({ signal: 'logs' });
    for await (const o of store.list('otel-raw/')) {
      await pubsub.publish({ bucket: store.bucket, key: o.key, size: o.size, version: o.version });
    }
    await new Promise((r) => setTimeout(r, 5000));
    expect(await liveRows()).toEqual(expected);
    expect((await catalog.segments({ signal: 'logs' })).map((s) => s.segmentId).sort()).toEqual(
      before.map((s) => s.segmentId).sort(),
    );
  });

  it('the sweeper deletes replaced segments and orphan objects, and leaves live ones', async () => {
    const orphanKey = 'lake/logs/org=acme/dateint=20261127/never-registered.parquet';
    await store.put(orphanKey, Buffer.from('PAR1'));
    const before = await catalog.segments({ signal: 'logs', publishedOnly: false });
    const replaced = before.filter((s) => !s.published);
    expect(replaced.length).toBeGreaterThan(0);
    const sweeper = createSweeper({
      catalog,
      store,
      plugins: [createLogsPlugin()],
      lakePrefix: 'lake',
      graceMs: 0,
    });
    await sweeper.sweepOnce();
    const after = await catalog.segments({ signal: 'logs', publishedOnly: false });
    expect(after.every((s) => s.published)).toBe(true);
    expect(after.map((s) => s.segmentId).sort()).toEqual(
      before
        .filter((s) => s.published)
        .map((s) => s.segmentId)
        .sort(),
    );
    for (const s of replaced) expect(await store.head(s.objectKey)).toBeUndefined();
    for (const s of after) expect(await store.head(s.objectKey)).toBeDefined();
    expect(await store.head(orphanKey)).toBeUndefined();
    expect(await liveRows()).toEqual(expected);
  });
});
