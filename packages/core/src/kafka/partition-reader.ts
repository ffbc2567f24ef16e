import { groupBy } from '../util/group-by.js';
import { clusterOf } from './cluster.js';
import type { KafkaClient } from './kafkajs.js';

/**
 * Reads partitions directly from their leaders, without joining a consumer group and without
 * committing anything: what `debug kafka tail`, lag-age probes and the runtime's control
 * listener need. kafkajs only offers group consumers publicly, so this goes through its cluster
 * object (see ./cluster.ts).
 */
export interface RawMessage {
  topic: string;
  partition: number;
  offset: bigint;
  /** Milliseconds since the epoch (create or log-append time, as the topic records it). */
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | undefined>;
}

/** A header's value; null when the record's header has none. */
export type HeaderValue = Buffer | null;

/**
 * What the reader returns: a RawMessage whose headers keep every value. kafkajs decodes a record's
 * headers by key, into an array of the values in record order when a key repeats.
 */
export interface FetchedMessage extends Omit<RawMessage, 'headers'> {
  headers: Record<string, HeaderValue | HeaderValue[] | undefined>;
}

export interface FetchRequest {
  topic: string;
  partition: number;
  offset: bigint;
}

export interface PartitionReader {
  /** Messages at or after each requested offset; waits up to `maxWaitMs` when there are none. */
  fetch(
    requests: readonly FetchRequest[],
    options?: { maxWaitMs?: number; maxBytes?: number },
  ): Promise<FetchedMessage[]>;
  close(): Promise<void>;
}

const READ_UNCOMMITTED = 0;
const CONSUMER_REPLICA = -1;

export async function createPartitionReader(kafka: KafkaClient): Promise<PartitionReader> {
  const cluster = clusterOf(kafka);
  await cluster.connect();
  const known = new Set<string>();

  async function leaders(topic: string, partitions: number[]) {
    if (!known.has(topic)) {
      await cluster.addMultipleTargetTopics([topic]);
      known.add(topic);
    }
    return cluster.findLeaderForPartitions(topic, partitions);
  }

  return {
    async fetch(requests, { maxWaitMs = 500, maxBytes = 1 << 20 } = {}) {
      const byLeader = new Map<string, FetchRequest[]>();
      const byTopic = groupBy(requests, (r) => r.topic);
      for (const [topic, reqs] of byTopic) {
        const leaderMap = await leaders(
          topic,
          reqs.map((r) => r.partition),
        );
        for (const [nodeId, partitions] of Object.entries(leaderMap)) {
          const list = byLeader.get(nodeId) ?? [];
          list.push(...reqs.filter((r) => partitions.includes(r.partition)));
          byLeader.set(nodeId, list);
        }
      }
      const wanted = new Map(requests.map((r) => [`${r.topic}:${r.partition}`, r.offset]));
      const batches = await Promise.all(
        [...byLeader].map(async ([nodeId, reqs]) => {
          const broker = await cluster.findBroker({ nodeId });
          const response = await broker.fetch({
            replicaId: CONSUMER_REPLICA,
            isolationLevel: READ_UNCOMMITTED,
            maxWaitTime: maxWaitMs,
            minBytes: 1,
            maxBytes,
            topics: [...groupBy(reqs, (r) => r.topic)].map(([topic, rs]) => ({
              topic,
              partitions: rs.map((r) => ({
                partition: r.partition,
                fetchOffset: r.offset.toString(),
                maxBytes,
              })),
            })),
          });
          return response.responses.flatMap(({ topicName, partitions }) =>
            partitions.flatMap(({ partition, messages }) => {
              const from = wanted.get(`${topicName}:${partition}`) ?? 0n;
              return messages
                .filter((m) => !m.isControlRecord && BigInt(m.offset) >= from)
                .map(
                  (m): FetchedMessage => ({
                    topic: topicName,
                    partition,
                    offset: BigInt(m.offset),
                    timestamp: Number(m.timestamp),
                    key: m.key,
                    value: m.value,
                    headers: m.headers ?? {},
                  }),
                );
            }),
          );
        }),
      );
      return batches.flat();
    },
    async close() {
      await cluster.disconnect();
    },
  };
}
