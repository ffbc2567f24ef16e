import { afterAll, describe, expect, inject, it } from 'vitest';
import { configSchema, createKafkaClient, withKafkaAdmin } from '../../packages/core/src/index.js';
import { uniquePrefix } from '../support/cli.js';
import { createTopics } from '../support/kafka.js';

/**
 * The broker the scripts start is real Apache Kafka; these pin what the rest of the pipeline
 * relies on from it through our client factory: idempotent acks=all produce, consumer groups
 * with manual commits, and SASL/SCRAM.
 */
const brokers = inject('kafkaBrokers');
const scram = inject('kafkaScram');
const kafkaConfig = (extra: object = {}) => configSchema.parse({ kafka: { brokers, ...extra } }).kafka;
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup) await c();
});

describe('Kafka broker through the core client', () => {
  it('produces idempotently with acks=all and consumes in a group with manual commits', async () => {
    const topic = `${uniquePrefix('broker')}.events`;
    await withKafkaAdmin(kafkaConfig(), (admin) => createTopics(admin, [{ topic, numPartitions: 3 }]));
    const kafka = createKafkaClient(kafkaConfig());
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    cleanup.push(() => producer.disconnect());
    const sent = Array.from({ length: 30 }, (_, i) => ({ key: `k${i % 7}`, value: `v${i}` }));
    await producer.send({ topic, acks: -1, messages: sent });

    const groupId = `${topic}.group`;
    const consumer = kafka.consumer({ groupId });
    await consumer.connect();
    cleanup.push(() => consumer.disconnect());
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: string[] = [];
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            received.push(message.value?.toString() ?? '');
            await consumer.commitOffsets([
              { topic, partition, offset: (BigInt(message.offset) + 1n).toString() },
            ]);
            if (received.length === sent.length) resolve();
          },
        })
        .catch(reject);
    });
    expect(received.sort()).toEqual(sent.map((m) => m.value).sort());

    const committed = await withKafkaAdmin(kafkaConfig(), async (admin) => {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const ends = await admin.fetchTopicOffsets(topic);
      return { offsets: offsets?.partitions ?? [], ends };
    });
    for (const end of committed.ends) {
      const mine = committed.offsets.find((p) => p.partition === end.partition);
      expect(mine?.offset).toBe(end.high);
    }
  });

  it.runIf(scram !== null)('authenticates with SASL/SCRAM on the local SASL listener', async () => {
    if (!scram) return;
    const config = (password: string) =>
      configSchema.parse({
        kafka: {
          brokers: scram.brokers,
          sasl: { mechanism: 'scram-sha-512', username: scram.username, password },
          connectionTimeoutMs: 3000,
        },
      }).kafka;
    const cluster = await withKafkaAdmin(config(scram.password), (admin) => admin.describeCluster());
    expect(cluster.brokers.length).toBeGreaterThan(0);
    await expect(withKafkaAdmin(config('wrong-password'), (admin) => admin.listTopics())).rejects.toThrow(
      /SASL SCRAM SHA512 authentication failed.*invalid credentials/,
    );
  });
});
