import { afterAll, describe, expect, inject, it } from 'vitest';
import {
  type ConsumedMessage,
  configSchema,
  createConsumerRunner,
  createKafkaClient,
  withKafkaAdmin,
} from '../../packages/core/src/index.js';
import { uniquePrefix } from '../support/cli.js';
import { createTopics } from '../support/kafka.js';
import { until } from '../support/wait.js';

/**
 * A worker's backlog on one partition keeps every slot busy (units need no order among
 * themselves), yet the partition is never committed past a message that is not done.
 */
const config = configSchema.parse({ kafka: { brokers: inject('kafkaBrokers') } }).kafka;
const kafka = createKafkaClient(config);
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

async function onePartitionTopic(name: string, count: number) {
  const topic = `${uniquePrefix(name)}.units`;
  await withKafkaAdmin(config, (admin) => createTopics(admin, [{ topic, numPartitions: 1 }]));
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: Array.from({ length: count }, (_, i) => ({ key: 'one-key', value: String(i) })),
  });
  await producer.disconnect();
  return topic;
}

const committedOffset = (groupId: string, topic: string) =>
  withKafkaAdmin(config, async (admin) => {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return Number(offsets?.partitions[0]?.offset ?? -1);
  });

function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

async function run(topic: string, options: { ordered?: boolean; slow?: number }) {
  const groupId = `${topic}.group`;
  let running = 0;
  let most = 0;
  const handled: number[] = [];
  const slow = gate();
  const runner = createConsumerRunner({
    kafka,
    groupId,
    topics: [topic],
    concurrency: 3,
    ordered: options.ordered,
    handle: async (m: ConsumedMessage) => {
      const n = Number(m.value?.toString());
      running++;
      most = Math.max(most, running);
      try {
        if (n === options.slow) await slow.opened;
        else await new Promise((r) => setTimeout(r, 50));
        handled.push(n);
      } finally {
        running--;
      }
    },
    onPermanentFailure: async () => {},
  });
  await runner.start();
  cleanup.push(() => runner.stop());
  return { groupId, handled, most: () => most, slow };
}

describe('consumer runner', () => {
  it('runs up to `concurrency` messages of one partition at once when order does not matter', async () => {
    const topic = await onePartitionTopic('unordered', 12);
    const r = await run(topic, { ordered: false, slow: 2 });
    // Everything but the slow message finishes while it is held…
    await until('the other 11 messages', () => r.handled.length === 11, 60_000);
    expect(r.handled).not.toContain(2);
    expect(r.most()).toBe(3);
    // …yet the partition is committed only up to it, so a crash now re-delivers it.
    await until('a commit', async () => (await committedOffset(r.groupId, topic)) >= 0, 30_000);
    expect(await committedOffset(r.groupId, topic)).toBe(2);
    r.slow.open();
    await until(
      'the commit past the last message',
      async () => (await committedOffset(r.groupId, topic)) === 12,
    );
    expect([...r.handled].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });

  it('handles one partition in order by default', async () => {
    const topic = await onePartitionTopic('ordered', 8);
    const r = await run(topic, {});
    await until('all 8 messages', () => r.handled.length === 8, 60_000);
    expect(r.handled).toEqual(Array.from({ length: 8 }, (_, i) => i));
    expect(r.most()).toBe(1);
  });
});
