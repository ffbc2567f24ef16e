import type { DesiredTopic } from '../topics/settings.js';
import { type Admin, ConfigResourceTypes } from './kafkajs.js';
import { waitForTopicLeaders } from './topics-ready.js';

/**
 * Brings the cluster's topics in line with the registry: creates what is missing and reports
 * what exists with other settings. It never alters an existing topic — changing partition
 * counts moves keys between partitions, and that is an operator's decision.
 */
export type TopicSyncStatus = 'created' | 'would-create' | 'present' | 'differs';

export interface TopicState {
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
}

export interface TopicSyncResult {
  topic: string;
  /** Reader service of a pipeline topic; null for system topics. */
  reader: string | null;
  status: TopicSyncStatus;
  desired: TopicState;
  actual?: TopicState;
  differences: string[];
}

export async function syncTopics(
  admin: Admin,
  desired: readonly DesiredTopic[],
  { dryRun = false }: { dryRun?: boolean } = {},
): Promise<TopicSyncResult[]> {
  const existing = new Set(await admin.listTopics());
  const missing = desired.filter((d) => !existing.has(d.topic));
  if (missing.length > 0 && !dryRun) {
    await admin.createTopics({
      waitForLeaders: false,
      topics: missing.map((d) => ({
        topic: d.topic,
        numPartitions: d.partitions,
        replicationFactor: d.replicationFactor,
        configEntries: Object.entries(d.configs).map(([name, value]) => ({ name, value })),
      })),
    });
    await waitForTopicLeaders(
      admin,
      missing.map((d) => d.topic),
    );
  }
  const created = new Set(dryRun ? [] : missing.map((d) => d.topic));
  const present = desired.filter((d) => existing.has(d.topic));
  const actual = await describeTopics(admin, present);

  return desired.map((d) => {
    const want: TopicState = {
      partitions: d.partitions,
      replicationFactor: d.replicationFactor,
      configs: d.configs,
    };
    const base = { topic: d.topic, reader: d.service, desired: want };
    if (created.has(d.topic)) return { ...base, status: 'created', differences: [] };
    const have = actual.get(d.topic);
    if (!have) return { ...base, status: 'would-create', differences: [] };
    const differences = compare(want, have);
    return { ...base, actual: have, status: differences.length ? 'differs' : 'present', differences };
  });
}

async function describeTopics(
  admin: Admin,
  topics: readonly DesiredTopic[],
): Promise<Map<string, TopicState>> {
  const out = new Map<string, TopicState>();
  if (topics.length === 0) return out;
  const metadata = await admin.fetchTopicMetadata({ topics: topics.map((t) => t.topic) });
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: topics.map((t) => ({
      type: ConfigResourceTypes.TOPIC,
      name: t.topic,
      configNames: Object.keys(t.configs),
    })),
  });
  const configsByTopic = new Map(
    described.resources.map((r) => [
      r.resourceName,
      Object.fromEntries(r.configEntries.map((e) => [e.configName, e.configValue])),
    ]),
  );
  for (const topic of metadata.topics) {
    const replicas = topic.partitions.map((p) => p.replicas.length);
    out.set(topic.name, {
      partitions: topic.partitions.length,
      replicationFactor: replicas.length ? Math.min(...replicas) : 0,
      configs: configsByTopic.get(topic.name) ?? {},
    });
  }
  return out;
}

function compare(want: TopicState, have: TopicState): string[] {
  const differences: string[] = [];
  if (want.partitions !== have.partitions) {
    differences.push(`partitions ${have.partitions} (want ${want.partitions})`);
  }
  if (want.replicationFactor !== have.replicationFactor) {
    differences.push(`replication factor ${have.replicationFactor} (want ${want.replicationFactor})`);
  }
  for (const [name, value] of Object.entries(want.configs)) {
    if (have.configs[name] !== value) {
      differences.push(`${name}=${have.configs[name] ?? '(unset)'} (want ${value})`);
    }
  }
  return differences;
}
