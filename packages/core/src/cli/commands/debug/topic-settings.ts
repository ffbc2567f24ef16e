import { type Admin, ConfigResourceTypes } from '../../../kafka/kafkajs.js';

/**
 * A topic's settings as the cluster has them, for the listings: partition count, replication
 * factor and the configs operators compare first (what `kafka-topics --describe` shows).
 */
export const SHOWN_CONFIGS = ['retention.ms', 'cleanup.policy'] as const;

export interface TopicSettings {
  partitions: number;
  /** The fewest replicas any partition has (they have the same number unless one is moving). */
  replicationFactor: number;
  /** The effective value of each of SHOWN_CONFIGS: the topic's own, else the broker's default. */
  configs: Record<string, string>;
}

/** Settings of those of `topics` that exist; missing topics are absent from the map. */
export async function topicSettings(
  admin: Admin,
  topics: readonly string[],
): Promise<Map<string, TopicSettings>> {
  const out = new Map<string, TopicSettings>();
  const existing = new Set(await admin.listTopics());
  const present = topics.filter((t) => existing.has(t));
  if (present.length === 0) return out;
  const metadata = await admin.fetchTopicMetadata({ topics: present });
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: present.map((name) => ({
      type: ConfigResourceTypes.TOPIC,
      name,
      configNames: [...SHOWN_CONFIGS],
    })),
  });
  const configs = new Map(described.resources.map((r) => [r.resourceName, shown(r.configEntries)]));
  for (const topic of metadata.topics) {
    const replicas = topic.partitions.map((p) => p.replicas.length);
    out.set(topic.name, {
      partitions: topic.partitions.length,
      replicationFactor: replicas.length > 0 ? Math.min(...replicas) : 0,
      configs: configs.get(topic.name) ?? {},
    });
  }
  return out;
}

/** SHOWN_CONFIGS in their order, whatever order the broker answered in. */
function shown(entries: readonly { configName: string; configValue: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of SHOWN_CONFIGS) {
    const entry = entries.find((e) => e.configName === name);
    if (entry) out[name] = entry.configValue;
  }
  return out;
}

/** Columns of a topic's settings in the listings, and their cells ('-' where unknown). */
export const SETTINGS_HEADERS = [
  'PARTITIONS',
  'REPLICATION',
  ...SHOWN_CONFIGS.map((name) => name.toUpperCase()),
];

export function settingsCells(settings: TopicSettings | undefined, missing: string): string[] {
  if (!settings) return [missing, ...SETTINGS_HEADERS.slice(1).map(() => '-')];
  return [
    String(settings.partitions),
    String(settings.replicationFactor),
    ...SHOWN_CONFIGS.map((name) => settings.configs[name] ?? '-'),
  ];
}
