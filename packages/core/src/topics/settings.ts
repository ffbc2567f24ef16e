import { resolve } from 'node:path';
import { z } from 'zod';
import { formatPath } from '../config/load.js';
import { type KafkaTopicsConfig, type TopicSettings, topicSettingsSchema } from '../config/schema.js';
import { readYamlMapping } from '../config/yaml-file.js';
import { LakerunnerError } from '../errors.js';
import type { TopicRegistry } from './registry.js';

/**
 * What each topic should look like: config defaults, then config per-service settings, then an
 * overrides file (same shape) on top, merged field by field. Keys are reader service names.
 */
export interface DesiredTopic {
  topic: string;
  /** The service whose settings apply (the topic's reader); null for system topics. */
  service: string | null;
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
}

export const topicOverridesSchema = z.strictObject({
  defaults: topicSettingsSchema.optional(),
  services: z.record(z.string().min(1), topicSettingsSchema).optional(),
});

export type TopicOverrides = z.infer<typeof topicOverridesSchema>;

export async function readTopicOverrides(file: string, baseDir: string): Promise<TopicOverrides> {
  const raw = await readYamlMapping(resolve(baseDir, file), file, 'LR_TOPIC_OVERRIDES_INVALID');
  const parsed = topicOverridesSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${formatPath(i.path)}: ${i.message}`);
    throw new LakerunnerError('LR_TOPIC_OVERRIDES_INVALID', `${file} is invalid:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

function merge(base: TopicSettings, over: TopicSettings | undefined): TopicSettings {
  if (!over) return base;
  return {
    partitionCount: over.partitionCount ?? base.partitionCount,
    replicationFactor: over.replicationFactor ?? base.replicationFactor,
    configs: { ...base.configs, ...over.configs },
  };
}

function checkServiceNames(
  services: Record<string, unknown> | undefined,
  registry: TopicRegistry,
  where: string,
) {
  const readers = new Set(registry.bindings.map((b) => b.reader));
  const unknown = Object.keys(services ?? {}).filter((name) => !readers.has(name));
  if (unknown.length > 0) {
    throw new LakerunnerError(
      'LR_TOPIC_OVERRIDES_INVALID',
      `${where} names unknown service(s) ${unknown.map((n) => `"${n}"`).join(', ')}; ` +
        `settings are keyed by the service that reads the topic: ${[...readers].join(', ')}`,
    );
  }
}

export function desiredTopics(
  registry: TopicRegistry,
  topics: KafkaTopicsConfig,
  overrides: TopicOverrides,
  brokerCount: number,
): DesiredTopic[] {
  checkServiceNames(topics.services, registry, 'kafkaTopics.services');
  checkServiceNames(overrides.services, registry, 'the topic overrides file');
  const defaults = merge(topics.defaults, overrides.defaults);
  const replication = (topic: string, wanted: number | undefined) => {
    const factor = wanted ?? Math.min(3, brokerCount);
    if (factor > brokerCount) {
      throw new LakerunnerError(
        'LR_TOPIC_SETTINGS_INVALID',
        `${topic} wants replication factor ${factor}, but the cluster has only ${brokerCount} broker(s)`,
      );
    }
    return factor;
  };
  const pipeline = registry.bindings.map((binding): DesiredTopic => {
    const settings = merge(
      merge(defaults, topics.services[binding.reader]),
      overrides.services?.[binding.reader],
    );
    return {
      topic: binding.topic,
      service: binding.reader,
      partitions: settings.partitionCount ?? 16,
      replicationFactor: replication(binding.topic, settings.replicationFactor),
      configs: { ...settings.configs },
    };
  });
  const system = registry.systemTopics.map(
    (t): DesiredTopic => ({
      topic: t.topic,
      service: null,
      partitions: t.partitions,
      replicationFactor: replication(t.topic, defaults.replicationFactor),
      configs: { ...defaults.configs, ...t.configs },
    }),
  );
  return [...pipeline, ...system];
}
