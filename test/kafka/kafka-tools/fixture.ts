import type { Consumer, IHeaders } from 'kafkajs';
import { commitGroupOffsets, configSchema, createKafkaClient } from '../../../packages/core/src/index.js';
import { highWater, type TestDeployment, testDeployment } from '../../support/deployment.js';
import { until } from '../../support/wait.js';
import { clashesWithFormat } from './console-records.js';

/**
 * One deployment in the states the cross-check compares: a backlog on the ingest work topic
 * larger than one fetch (2,000 messages of ~330 bytes on 16 partitions, with their own create
 * times, so each partition's first unconsumed message has a different age), messages with every
 * kind of key, value and header, a registry group committed on some partitions (one at the high
 * water, others not at all), a group outside the registry, a group with a running member, and a
 * topic outside the registry with other settings. Only the ingest work topic holds messages, so
 * every lagging partition is one that ConsoleConsumer reads.
 */
export const PARTITIONS = 16;
const BACKLOG = 2_000;

export interface Fixture {
  d: TestDeployment;
  /** The topic with the backlog and the odd messages. */
  topic: string;
  /** Registry groups, then the one outside the registry. */
  groups: { committed: string; neverCommitted: string; live: string; outsider: string };
  extraTopic: string;
  close(): Promise<void>;
}

interface Message {
  key: Buffer | string | null;
  value: Buffer | string | null;
  partition: number;
  timestamp?: string;
  headers?: IHeaders;
}

/** Keys, values and headers that text output gets wrong most easily. */
const ODD: Message[] = [
  { partition: 1, key: null, value: null },
  { partition: 2, key: 'dup', value: 'a repeated header key', headers: { dup: ['1', '2'], other: 'x' } },
  {
    partition: 3,
    key: Buffer.from([0x00, 0xff, 0x80]),
    value: Buffer.from([0xc3, 0x28, 0x00, 0x0a, 0xfe]),
    headers: { bin: Buffer.from([0xff, 0xfe, 0x00]) },
  },
  {
    partition: 4,
    key: 'Grüße',
    value: 'naïve 日本語 ✓\nline two\twith a tab',
    headers: { greeting: 'héllo wörld', empty: '', schlüssel: 'wert' },
  },
  { partition: 5, key: '', value: '' },
  { partition: 6, key: 'bom', value: '\uFEFFstarts with a byte-order mark' },
  {
    partition: 7,
    key: 'mixed',
    value: '{"not":"a work unit"}',
    headers: { dup: [Buffer.from([0xff]), 'text', ''] },
  },
  { partition: 8, key: 'separators', value: 'a,b:c=d', headers: { 'a,b=c': 'c:d,e=f' } },
  { partition: 9, key: '0x00', value: '0xff', headers: { '0x': '0x00' } },
];

export async function createFixture(brokers: string[]): Promise<Fixture> {
  const d = await testDeployment(brokers, 'xcheck', { partitions: PARTITIONS });
  const topic = d.topic('segments.logs.ingest');
  const groups = {
    committed: d.group('segments.logs.ingest'),
    neverCommitted: d.group('compact.logs'),
    live: d.group('boxer.logs.compact'),
    outsider: `${d.prefix}-outsider`,
  };
  // Two minutes ago onwards, 37 ms apart: distinct ages, none near the retention limit.
  const since = Date.now() - 120_000;
  await send(
    d,
    topic,
    Array.from({ length: BACKLOG }, (_, i) => ({
      key: `k${i % 5}`,
      value: JSON.stringify({ n: i, org: 'acme', note: 'ü'.repeat(i % 3), pad: 'x'.repeat(290) }),
      partition: i % PARTITIONS,
      timestamp: String(since + i * 37),
      headers: i % 2 === 0 ? { organization_id: 'acme' } : undefined,
    })),
  );
  await send(d, topic, ODD);

  const kafka = createKafkaClient(configSchema.parse({ kafka: { brokers } }).kafka);
  const high = await highWater(d.kafka, topic);
  const end = (p: number) => Number(high.get(p));
  // Partition 0 at the high water (no lag), 1–11 part-way (1 at offset 0), 12–15 never.
  await commitGroupOffsets(
    kafka,
    groups.committed,
    topic,
    Array.from({ length: 12 }, (_, p) => ({ partition: p, offset: BigInt(p === 0 ? end(0) : (p - 1) * 11) })),
  );
  await commitGroupOffsets(
    kafka,
    groups.outsider,
    topic,
    Array.from({ length: PARTITIONS }, (_, p) => ({ partition: p, offset: BigInt(Math.floor(end(p) / 2)) })),
  );

  const extraTopic = `${d.prefix}.extra`;
  const admin = d.kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: extraTopic,
          numPartitions: 2,
          configEntries: [
            { name: 'cleanup.policy', value: 'compact,delete' },
            { name: 'retention.ms', value: '3600000' },
          ],
        },
      ],
    });
  } finally {
    await admin.disconnect();
  }

  const member = await runningMember(d, groups.live, d.topic('boxer.logs.compact'));
  return { d, topic, groups, extraTopic, close: () => member.disconnect() };
}

async function send(d: TestDeployment, topic: string, messages: Message[]) {
  for (const m of messages) {
    const headerBytes = Object.entries(m.headers ?? {}).flatMap(([k, v]) => [k, ...[v ?? []].flat()]);
    if ([m.key, m.value, ...headerBytes].some((b) => clashesWithFormat(b))) {
      throw new Error('test data holds a separator of the ConsoleConsumer format');
    }
  }
  // acks=all, not idempotent: see produce() in test/support/deployment.ts.
  const producer = d.kafka.producer({ idempotent: false, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}

/** A member that holds every partition of `topic` and never commits. */
async function runningMember(d: TestDeployment, groupId: string, topic: string): Promise<Consumer> {
  const member = d.kafka.consumer({ groupId });
  await member.connect();
  await member.subscribe({ topic });
  await member.run({ autoCommit: false, eachMessage: async () => {} });
  const admin = d.kafka.admin();
  await admin.connect();
  try {
    await until(
      `a stable member of ${groupId}`,
      async () => {
        const [group] = (await admin.describeGroups([groupId])).groups;
        return group?.state === 'Stable' && group.members.length === 1;
      },
      30_000,
      200,
    );
  } finally {
    await admin.disconnect();
  }
  return member;
}
