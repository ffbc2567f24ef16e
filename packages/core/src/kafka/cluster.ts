import type { KafkaClient } from './kafkajs.js';

/**
 * kafkajs' cluster object, for the few things its public API does not offer: fetching from a
 * partition without a consumer group, and committing a group's offsets without joining it (its
 * admin.setOffsets joins the group with a throwaway consumer and waits for a fetch). The
 * cluster comes from the client's own factory, hence with the same brokers, TLS and SASL. This
 * relies on kafkajs internals: the dependency is pinned to an exact version, and this file is
 * the only place that knows their shape.
 */
export interface KafkajsRecord {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer | undefined>;
  isControlRecord?: boolean;
}

export interface KafkajsBroker {
  offsetCommit(request: {
    groupId: string;
    groupGenerationId: number;
    memberId: string;
    topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
  }): Promise<unknown>;
  fetch(request: {
    replicaId: number;
    isolationLevel: number;
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
  }): Promise<{
    responses: {
      topicName: string;
      partitions: { partition: number; errorCode: number; messages: KafkajsRecord[] }[];
    }[];
  }>;
}

export interface KafkajsCluster {
  connect(): Promise<void>;
  findGroupCoordinator(args: { groupId: string }): Promise<KafkajsBroker>;
  disconnect(): Promise<void>;
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  refreshMetadata(): Promise<void>;
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(args: { nodeId: string }): Promise<KafkajsBroker>;
}

type ClusterFactory = (options: Record<string, unknown>) => KafkajsCluster;

export function clusterOf(kafka: KafkaClient): KafkajsCluster {
  const symbol = Object.getOwnPropertySymbols(kafka).find(
    (s) => s.description === 'private:Kafka:createCluster',
  );
  const factory = symbol ? (kafka as unknown as Record<symbol, ClusterFactory>)[symbol] : undefined;
  if (typeof factory !== 'function') {
    throw new Error('this kafkajs version has no cluster factory; lakerunner needs kafkajs 2.2.4');
  }
  return factory({ metadataMaxAge: 60_000, allowAutoTopicCreation: false, maxInFlightRequests: null });
}

/** Protocol value of OffsetCommit's generation id meaning "not a group member" (simple commit). */
const NO_GENERATION = -1;

/**
 * Commits offsets for a group that has no active members, with a plain OffsetCommit to its
 * coordinator. The broker rejects it if members are active, which callers check first.
 */
export async function commitGroupOffsets(
  kafka: KafkaClient,
  groupId: string,
  topic: string,
  partitions: readonly { partition: number; offset: bigint }[],
): Promise<void> {
  const cluster = clusterOf(kafka);
  await cluster.connect();
  try {
    const coordinator = await cluster.findGroupCoordinator({ groupId });
    await coordinator.offsetCommit({
      groupId,
      groupGenerationId: NO_GENERATION,
      memberId: '',
      topics: [
        {
          topic,
          partitions: partitions.map((p) => ({ partition: p.partition, offset: p.offset.toString() })),
        },
      ],
    });
  } finally {
    await cluster.disconnect();
  }
}
