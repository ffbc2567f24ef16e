import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { lakerunner, uniquePrefix } from '../support/cli.js';
import { createTopics } from '../support/kafka.js';

const brokers = inject('kafkaBrokers');
const admin = new Kafka({ clientId: 'topics-sync-test', brokers, logLevel: logLevel.NOTHING }).admin();

beforeAll(() => admin.connect());
afterAll(() => admin.disconnect());

const env = (prefix: string) => ({
  LAKERUNNER_KAFKA_BROKERS: brokers.join(','),
  LAKERUNNER_KAFKA_TOPIC_PREFIX: prefix,
});

async function topicsWithPrefix(prefix: string) {
  return (await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`)).sort();
}

describe('lakerunner topics sync (real broker)', () => {
  it('--dry-run creates nothing; sync creates the 14 pipeline topics and the control and dead-letter topics; a second sync changes nothing', async () => {
    const prefix = uniquePrefix('sync');

    const dry = await lakerunner(['topics', 'sync', '--dry-run', '--json'], env(prefix));
    expect(dry.code, dry.stderr).toBe(0);
    const planned = JSON.parse(dry.stdout);
    expect(planned.summary).toEqual({ created: 0, wouldCreate: 16, present: 0, differs: 0 });
    expect(await topicsWithPrefix(prefix)).toEqual([]);

    const first = await lakerunner(['topics', 'sync'], env(prefix));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('16 created, 0 to create, 0 already present, 0 differing');
    const created = await topicsWithPrefix(prefix);
    expect(created).toHaveLength(16);
    expect(created).toContain(`${prefix}.segments.metrics.rollup`);
    expect(created).toContain(`${prefix}.control`);

    const pipeline = created.filter((t) => t !== `${prefix}.control` && t !== `${prefix}.deadletter`);
    const metadata = await admin.fetchTopicMetadata({ topics: pipeline });
    for (const topic of metadata.topics) {
      expect(topic.partitions, topic.name).toHaveLength(16);
      expect(topic.partitions[0]?.replicas, topic.name).toHaveLength(1);
    }
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [
        { type: 2, name: `${prefix}.objstore.ingest.logs`, configNames: ['retention.ms', 'cleanup.policy'] },
      ],
    });
    const values = Object.fromEntries(
      configs.resources[0]?.configEntries.map((e) => [e.configName, e.configValue]) ?? [],
    );
    expect(values).toEqual({ 'retention.ms': '604800000', 'cleanup.policy': 'delete' });

    const second = await lakerunner(['topics', 'sync', '--json'], env(prefix));
    expect(second.code, second.stderr).toBe(0);
    const again = JSON.parse(second.stdout);
    expect(again.summary).toEqual({ created: 0, wouldCreate: 0, present: 16, differs: 0 });
    expect(await topicsWithPrefix(prefix)).toEqual(created);
  });

  it('applies an overrides file keyed by reader service', async () => {
    const prefix = uniquePrefix('ovr');
    const dir = mkdtempSync(join(tmpdir(), 'lakerunner-sync-'));
    writeFileSync(
      join(dir, 'topics.yaml'),
      'defaults:\n  partitionCount: 2\nservices:\n  ingest-logs:\n    partitionCount: 3\n    configs:\n      retention.ms: "3600000"\n',
    );
    const run = await lakerunner(['topics', 'sync', '--overrides', 'topics.yaml'], env(prefix), dir);
    expect(run.code, run.stderr).toBe(0);
    const metadata = await admin.fetchTopicMetadata({
      topics: [`${prefix}.segments.logs.ingest`, `${prefix}.segments.logs.compact`],
    });
    const partitions = Object.fromEntries(metadata.topics.map((t) => [t.name, t.partitions.length]));
    expect(partitions).toEqual({
      [`${prefix}.segments.logs.ingest`]: 3,
      [`${prefix}.segments.logs.compact`]: 2,
    });
  });

  it('reports a topic that exists with other settings as differing and leaves it alone', async () => {
    const prefix = uniquePrefix('diff');
    await createTopics(admin, [{ topic: `${prefix}.boxer.logs.compact`, numPartitions: 1 }]);
    const run = await lakerunner(['topics', 'sync', '--json'], env(prefix));
    expect(run.code, run.stderr).toBe(0);
    const { results, summary } = JSON.parse(run.stdout);
    expect(summary).toEqual({ created: 15, wouldCreate: 0, present: 0, differs: 1 });
    const differing = results.find((r: { status: string }) => r.status === 'differs');
    expect(differing.topic).toBe(`${prefix}.boxer.logs.compact`);
    expect(differing.differences).toContain('partitions 1 (want 16)');
    const metadata = await admin.fetchTopicMetadata({ topics: [`${prefix}.boxer.logs.compact`] });
    expect(metadata.topics[0]?.partitions).toHaveLength(1);
  });

  it('fails with LR_KAFKA_UNAVAILABLE and exit 1 when no broker answers', async () => {
    const run = await lakerunner(['topics', 'sync'], {
      LAKERUNNER_KAFKA_BROKERS: '127.0.0.1:1',
      LAKERUNNER_KAFKA_CONNECTION_TIMEOUT_MS: '500',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^error LR_KAFKA_UNAVAILABLE: Kafka request failed \(brokers 127\.0\.0\.1:1\)/,
    );
  });
});
