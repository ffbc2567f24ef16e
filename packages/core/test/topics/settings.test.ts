import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { buildTopicRegistry } from '../../src/topics/registry.js';
import { desiredTopics, readTopicOverrides } from '../../src/topics/settings.js';
import { logs, metrics, traces } from '../fixtures.js';

const registry = buildTopicRegistry([logs, metrics, traces], 'lakerunner');
const topicsConfig = (raw: unknown = {}) => configSchema.parse({ kafkaTopics: raw }).kafkaTopics;
const byReader = (desired: ReturnType<typeof desiredTopics>, reader: string) =>
  desired.find((d) => d.service === reader);

describe('desiredTopics', () => {
  it('defaults to 16 partitions, replication min(3, brokers), delete policy and 7-day retention', () => {
    const all = desiredTopics(registry, topicsConfig(), {}, 1);
    expect(all).toHaveLength(16);
    const one = all.filter((d) => d.service !== null);
    expect(one).toHaveLength(14);
    for (const d of one) {
      expect(d).toMatchObject({
        partitions: 16,
        replicationFactor: 1,
        configs: { 'cleanup.policy': 'delete', 'retention.ms': '604800000' },
      });
    }
    expect(desiredTopics(registry, topicsConfig(), {}, 5)[0]?.replicationFactor).toBe(3);
  });

  it('merges config services and the overrides file field by field, overrides last', () => {
    const config = topicsConfig({
      defaults: { partitionCount: 8 },
      services: { 'ingest-logs': { partitionCount: 4, configs: { 'retention.ms': '1000' } } },
    });
    const desired = desiredTopics(
      registry,
      config,
      {
        defaults: { configs: { 'segment.bytes': '1048576' } },
        services: { 'ingest-logs': { partitionCount: 2 } },
      },
      1,
    );
    expect(byReader(desired, 'ingest-logs')).toMatchObject({
      partitions: 2,
      configs: { 'cleanup.policy': 'delete', 'retention.ms': '1000', 'segment.bytes': '1048576' },
    });
    expect(byReader(desired, 'compact-logs')).toMatchObject({
      partitions: 8,
      configs: { 'retention.ms': '604800000', 'segment.bytes': '1048576' },
    });
  });

  it('gives the control topic one partition, one day of retention and the default replication', () => {
    const control = desiredTopics(registry, topicsConfig(), {}, 5).find(
      (d) => d.topic === 'lakerunner.control',
    );
    expect(control).toEqual({
      topic: 'lakerunner.control',
      service: null,
      partitions: 1,
      replicationFactor: 3,
      configs: { 'cleanup.policy': 'delete', 'retention.ms': '86400000' },
    });
  });

  it('rejects settings for a service that reads no topic, listing the valid names', () => {
    expect(() => desiredTopics(registry, topicsConfig(), { services: { 'ingest-log': {} } }, 1)).toThrow(
      /unknown service\(s\) "ingest-log".*boxer-ingest-logs/,
    );
  });

  it('refuses a replication factor the cluster cannot give', () => {
    const config = topicsConfig({ defaults: { replicationFactor: 3 } });
    expect(() => desiredTopics(registry, config, {}, 1)).toThrow(
      'lakerunner.objstore.ingest.logs wants replication factor 3, but the cluster has only 1 broker(s)',
    );
  });
});

describe('readTopicOverrides', () => {
  it('reads a YAML overrides file and rejects unknown fields', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lakerunner-overrides-'));
    writeFileSync(join(dir, 'ok.yaml'), 'services:\n  ingest-logs:\n    partitionCount: 3\n');
    expect(await readTopicOverrides('ok.yaml', dir)).toEqual({
      services: { 'ingest-logs': { partitionCount: 3 } },
    });
    writeFileSync(join(dir, 'bad.yaml'), 'workers:\n  ingest-logs: {}\n');
    await expect(readTopicOverrides('bad.yaml', dir)).rejects.toThrow('Unrecognized key: "workers"');
  });
});
