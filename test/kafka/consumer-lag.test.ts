import type { Kafka } from 'kafkajs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { committed, highWater, produce, type TestDeployment, testDeployment } from '../support/deployment.js';

const brokers = inject('kafkaBrokers');

/**
 * Consumes and commits exactly `perPartition` messages of every partition of `topic` in
 * `groupId` (so the group has committed everywhere), then leaves the group.
 */
async function consumeAndCommit(
  kafka: Kafka,
  groupId: string,
  topic: string,
  perPartition: number,
  partitions = 3,
) {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const handled = new Map<number, number>();
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          const done = handled.get(partition) ?? 0;
          if (done >= perPartition) return;
          handled.set(partition, done + 1);
          await consumer.commitOffsets([
            { topic, partition, offset: (BigInt(message.offset) + 1n).toString() },
          ]);
          const total = [...handled.values()].reduce((a, b) => a + b, 0);
          if (total === perPartition * partitions) resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
}

/**
 * A member of `groupId` that reads `topic` and never commits, as a stuck service would; resolves
 * once it joined, with the function that makes it leave.
 */
async function memberThatNeverCommits(kafka: Kafka, groupId: string, topic: string) {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ autoCommit: false, eachMessage: async () => {} });
  await joined;
  return () => consumer.disconnect();
}

interface LagJson {
  pairs: {
    topic: string;
    consumerGroup: string;
    status: string;
    totalLag: number;
    partitionCount: number;
    error?: string;
    partitions: {
      partition: number;
      committed: number | null;
      logEnd: number;
      lag: number;
      lagSeconds: number | null;
      status: string;
    }[];
  }[];
}

describe('lakerunner debug kafka consumer-lag (real broker)', () => {
  const N = 42;
  const M = 15;
  const COMPACT = 7;
  let d: TestDeployment;
  let ingestTopic: string;
  let ingestGroup: string;
  /**
   * What the broker holds can exceed what was sent (a producer retry after a timeout appends
   * again: at-least-once), so expectations are computed from the broker's own offsets.
   */
  let expectedLag = 0;
  let compactLog = 0;
  const sumLag = async (group: string, topic: string) => {
    const high = await highWater(d.kafka, topic);
    const commits = await committed(d.kafka, group, topic);
    let lag = 0;
    for (const [partition, end] of high) {
      const c = commits.get(partition);
      lag += Number(end) - (c === undefined || c === '-1' ? 0 : Number(c));
    }
    return lag;
  };

  beforeAll(async () => {
    d = await testDeployment(brokers, 'lag');
    ingestTopic = d.topic('segments.logs.ingest');
    ingestGroup = d.group('segments.logs.ingest');
    await produce(
      d.kafka,
      ingestTopic,
      Array.from({ length: N }, (_, i) => ({
        key: `k${i % 5}`,
        value: JSON.stringify({ i }),
        partition: i % 3,
      })),
    );
    await consumeAndCommit(d.kafka, ingestGroup, ingestTopic, M / 3);
    // A topic whose group never committed.
    await produce(
      d.kafka,
      d.topic('segments.logs.compact'),
      Array.from({ length: COMPACT }, (_, i) => ({ value: `c${i}` })),
    );
    expectedLag = await sumLag(ingestGroup, ingestTopic);
    compactLog = await sumLag(d.group('compact.logs'), d.topic('segments.logs.compact'));
    expect(expectedLag).toBeGreaterThanOrEqual(N - M);
    expect(compactLog).toBeGreaterThanOrEqual(COMPACT);
  });

  it('reports lag N−M in total and high-water minus committed per partition (JSON)', async () => {
    const run = await d.cli(['debug', 'kafka', 'consumer-lag', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as LagJson;
    expect(doc.pairs.map((p) => p.topic)).toEqual([
      d.topic('objstore.ingest.logs'),
      ingestTopic,
      d.topic('segments.logs.compact'),
      d.topic('boxer.logs.compact'),
    ]);
    const ingest = doc.pairs.find((p) => p.topic === ingestTopic);
    expect(ingest?.consumerGroup).toBe(ingestGroup);
    expect(ingest?.totalLag).toBe(expectedLag);
    const high = await highWater(d.kafka, ingestTopic);
    const commits = await committed(d.kafka, ingestGroup, ingestTopic);
    for (const p of ingest?.partitions ?? []) {
      const c = commits.get(p.partition);
      const committedOffset = c === undefined || c === '-1' ? null : Number(c);
      expect(p.committed).toBe(committedOffset);
      expect(p.logEnd).toBe(Number(high.get(p.partition)));
      expect(p.lag).toBe(p.logEnd - (committedOffset ?? 0));
      if (p.lag > 0) expect(p.lagSeconds).toBeGreaterThanOrEqual(0);
      else expect(p.lagSeconds).toBeNull();
    }
    expect(ingest?.partitions.reduce((s, p) => s + p.lag, 0)).toBe(expectedLag);
  });

  it('counts the whole log as lag for a group that never committed; with nobody in the group, NO-READER', async () => {
    const run = await d.cli(['debug', 'kafka', 'consumer-lag', '--json', '--topic', 'segments.logs.compact']);
    const [pair] = (JSON.parse(run.stdout) as LagJson).pairs;
    expect(pair?.consumerGroup).toBe(d.group('compact.logs'));
    expect(pair?.totalLag).toBe(compactLog);
    expect(pair?.status).toBe('NO-READER');
    expect(pair?.partitions.every((p) => p.committed === null)).toBe(true);
  });

  it('prints the summary table with the same numbers', async () => {
    const run = await d.cli(['debug', 'kafka', 'consumer-lag']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(/\s{2,}/));
    expect(lines[0]).toEqual(['TOPIC', 'CONSUMER GROUP', 'TOTAL LAG', 'PARTITIONS', 'STATUS']);
    // The test's consumers left their groups: no service reads these topics now.
    expect(lines).toContainEqual([ingestTopic, ingestGroup, String(expectedLag), '3', 'NO-READER']);
    expect(lines).toContainEqual([
      d.topic('segments.logs.compact'),
      d.group('compact.logs'),
      String(COMPACT),
      '3',
      'NO-READER',
    ]);
    expect(lines).toContainEqual([
      d.topic('boxer.logs.compact'),
      d.group('boxer.logs.compact'),
      '0',
      '3',
      'OK',
    ]);
  });

  it('--detailed prints one row per partition with committed, log end, lag, member and lag seconds', async () => {
    const run = await d.cli([
      'debug',
      'kafka',
      'consumer-lag',
      '--detailed',
      '--group',
      'segments.logs.ingest',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`CONSUMER GROUP ${ingestGroup} (Empty, 0 member(s))`);
    const rows = run.stdout
      .trim()
      .split('\n')
      .slice(2)
      .map((l) => l.split(/\s{2,}/));
    expect(run.stdout).toContain('TOPIC  ');
    expect(run.stdout).toMatch(/PARTITION\s+COMMITTED\s+LOG-END\s+LAG\s+MEMBER\s+LAG-SECONDS/);
    expect(rows).toHaveLength(3);
    expect(rows.reduce((s, r) => s + Number(r[4]), 0)).toBe(expectedLag);
  });

  it('filters by group and topic substring, and says clearly when nothing matches', async () => {
    const byGroup = await d.cli(['debug', 'kafka', 'consumer-lag', '--json', '--group', 'boxer.logs']);
    expect((JSON.parse(byGroup.stdout) as LagJson).pairs.map((p) => p.consumerGroup)).toEqual([
      d.group('boxer.logs.compact'),
    ]);
    const none = await d.cli(['debug', 'kafka', 'consumer-lag', '--group', 'no-such-group']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(
      'error LR_NO_MATCH: no topic/group pair in the registry (add --all-groups for other groups) matches --group "no-such-group"',
    );
  });

  it('--all-groups includes groups outside the registry', async () => {
    const outsider = `${d.prefix}-outsider`;
    await consumeAndCommit(d.kafka, outsider, ingestTopic, 2);
    const run = await d.cli([
      'debug',
      'kafka',
      'consumer-lag',
      '--json',
      '--all-groups',
      '--group',
      outsider,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const [pair] = (JSON.parse(run.stdout) as LagJson).pairs;
    expect(pair).toMatchObject({
      topic: ingestTopic,
      consumerGroup: outsider,
      totalLag: await sumLag(outsider, ingestTopic),
    });
  });

  it('--watch judges partitions over samples: a stuck group with lag is STALL, one that never committed STOP', async () => {
    // Members that read and never commit: the groups are alive, and stuck.
    const leave = [
      await memberThatNeverCommits(d.kafka, ingestGroup, ingestTopic),
      await memberThatNeverCommits(d.kafka, d.group('compact.logs'), d.topic('segments.logs.compact')),
    ];
    const run = await d.cli([
      'debug',
      'kafka',
      'consumer-lag',
      '--json',
      '--watch',
      '300ms',
      '--samples',
      '3',
      '--topic',
      'segments.logs',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const samples = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as LagJson & { sample: number });
    expect(samples.map((s) => s.sample)).toEqual([1, 2, 3]);
    const last = samples[2]?.pairs ?? [];
    expect(last.find((p) => p.topic === ingestTopic)?.status).toBe('STALL');
    expect(last.find((p) => p.topic === d.topic('segments.logs.compact'))?.status).toBe('STOP');
    expect(samples[0]?.pairs.find((p) => p.topic === ingestTopic)?.status).toBe('LAGGING');
    for (const go of leave) await go();
  });

  it('reports a pair that cannot be read instead of skipping it, and exits 1', async () => {
    const run = await d.cli(['debug', 'kafka', 'consumer-lag', '--topic', 'traces'], {
      LAKERUNNER_PLUGINS: '@lakerunner/plugin-logs,@lakerunner/plugin-traces',
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${d.topic('objstore.ingest.traces')}`);
    expect(run.stdout).toMatch(/-\s+-\s+ERROR/);
    expect(run.stderr).toContain('error LR_PAIR_UNREADABLE: 4 topic/group pair(s) could not be read');
    expect(run.stderr).toContain(`topic ${d.topic('objstore.ingest.traces')} does not exist`);
  });
});
