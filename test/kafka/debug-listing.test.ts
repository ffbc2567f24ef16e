import { beforeAll, describe, expect, inject, it } from 'vitest';
import { produce, type TestDeployment, testDeployment } from '../support/deployment.js';

const brokers = inject('kafkaBrokers');

describe('lakerunner debug kafka groups / topics (real broker)', () => {
  let d: TestDeployment;

  beforeAll(async () => {
    d = await testDeployment(brokers, 'listing');
    await produce(
      d.kafka,
      d.topic('objstore.ingest.logs'),
      Array.from({ length: 5 }, (_, i) => ({ value: `n${i}` })),
    );
  });

  it('topics: partitions, settings and retained messages of every registry topic', async () => {
    const run = await d.cli(['debug', 'kafka', 'topics', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const rows = JSON.parse(run.stdout) as {
      topic: string;
      partitions: number;
      replicationFactor: number;
      configs: Record<string, string>;
      messages: number;
      key: string | null;
    }[];
    expect(rows.map((r) => r.topic)).toEqual([
      d.topic('objstore.ingest.logs'),
      d.topic('segments.logs.ingest'),
      d.topic('segments.logs.compact'),
      d.topic('boxer.logs.compact'),
      d.topic('control'),
      d.topic('deadletter'),
    ]);
    const admin = d.kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(d.topic('objstore.ingest.logs'));
    await admin.disconnect();
    const retained = offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
    expect(retained).toBeGreaterThanOrEqual(5);
    expect(rows[0]).toMatchObject({
      partitions: 3,
      replicationFactor: 1,
      configs: { 'retention.ms': '604800000', 'cleanup.policy': 'delete' },
      messages: retained,
      key: 'objstore.ingest.logs',
    });
    expect(rows[4]).toMatchObject({ partitions: 1, configs: { 'retention.ms': '86400000' }, key: null });
  });

  it('topics (table) and topics list --cluster: replication factor, retention.ms and cleanup.policy columns', async () => {
    const table = await d.cli(['debug', 'kafka', 'topics']);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.split('\n').map((l) => l.split(/\s{2,}/));
    expect(lines[0]).toEqual([
      'TOPIC',
      'PARTITIONS',
      'REPLICATION',
      'RETENTION.MS',
      'CLEANUP.POLICY',
      'MESSAGES',
      'REGISTRY KEY',
    ]);
    expect(lines).toContainEqual([d.topic('control'), '1', '1', '86400000', 'delete', '0', '-']);

    const list = await d.cli(['topics', 'list', '--cluster']);
    expect(list.code, list.stderr).toBe(0);
    const listed = list.stdout.split('\n').map((l) => l.split(/\s{2,}/));
    expect(listed[0]).toEqual([
      'TOPIC',
      'CONSUMER GROUP',
      'READER SERVICE',
      'WRITTEN BY',
      'PARTITIONS',
      'REPLICATION',
      'RETENTION.MS',
      'CLEANUP.POLICY',
    ]);
    expect(listed).toContainEqual([
      d.topic('segments.logs.ingest'),
      d.group('segments.logs.ingest'),
      'ingest-logs',
      'boxer-ingest-logs',
      '3',
      '1',
      '604800000',
      'delete',
    ]);
    expect(list.stdout).toMatch(
      /SYSTEM TOPIC\s+PARTITIONS\s+REPLICATION\s+RETENTION\.MS\s+CLEANUP\.POLICY\s+PURPOSE/,
    );
  });

  it('groups: state and member count per registry group, with the service that owns it', async () => {
    const groupId = d.group('ingest.logs');
    const member = d.kafka.consumer({ groupId });
    await member.connect();
    await member.subscribe({ topic: d.topic('objstore.ingest.logs') });
    await member.run({ autoCommit: false, eachMessage: async () => {} });
    try {
      let row: { group: string; service: string; state: string; members: unknown[] } | undefined;
      for (let i = 0; i < 50 && row?.members.length !== 1; i++) {
        const run = await d.cli(['debug', 'kafka', 'groups', '--json']);
        row = JSON.parse(run.stdout).find((r: { group: string }) => r.group === groupId);
        if (row?.members.length !== 1) await new Promise((r) => setTimeout(r, 200));
      }
      expect(row).toMatchObject({ service: 'boxer-ingest-logs', state: 'Stable' });
      expect(row?.members).toHaveLength(1);
      const table = await d.cli(['debug', 'kafka', 'groups', '--members']);
      expect(table.stdout).toMatch(new RegExp(`${groupId}\\s+boxer-ingest-logs\\s+Stable\\s+1`));
      expect(table.stdout).toMatch(
        new RegExp(`${groupId}\\s+test-listing@\\S+\\s+${d.topic('objstore.ingest.logs')}\\[0,1,2\\]`),
      );
    } finally {
      await member.disconnect();
    }
  });
});
