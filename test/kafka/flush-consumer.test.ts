import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  commitGroupOffsets,
  configSchema,
  createConsumerRunner,
  createControlChannel,
  createKafkaClient,
  runCli,
} from '../../packages/core/src/index.js';
import { committed, highWater, produce, type TestDeployment, testDeployment } from '../support/deployment.js';
import { until } from '../support/wait.js';

const brokers = inject('kafkaBrokers');
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

const messages = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => ({ value: `${tag}-${i}`, partition: i % 3 }));

async function commitSome(d: TestDeployment, groupId: string, topic: string, offsets: number[]) {
  const kafka = createKafkaClient(configSchema.parse({ kafka: { brokers: d.brokers } }).kafka);
  await commitGroupOffsets(
    kafka,
    groupId,
    topic,
    offsets.map((offset, partition) => ({ partition, offset: BigInt(offset) })),
  );
}

describe('lakerunner debug kafka flush-consumer (real broker)', () => {
  let d: TestDeployment;
  let topic: string;
  let group: string;

  beforeAll(async () => {
    d = await testDeployment(brokers, 'flush');
    topic = d.topic('segments.logs.ingest');
    group = d.group('segments.logs.ingest');
  });

  it('dry run (the default) prints the plan and changes nothing', async () => {
    await produce(d.kafka, topic, messages(30, 'a'));
    await commitSome(d, group, topic, [2, 4, 6]);
    const before = await committed(d.kafka, group, topic);
    const run = await d.cli(['debug', 'kafka', 'flush-consumer', '--group', group]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`CONSUMER GROUP ${group}`);
    expect(run.stdout).toMatch(/TOPIC\s+PARTITION\s+CURRENT\s+HIGH-WATER\s+WILL SKIP/);
    // From the broker's offsets: a producer retry may have appended more than was sent.
    const high = await highWater(d.kafka, topic);
    const end = (p: number) => Number(high.get(p));
    expect(run.stdout).toMatch(new RegExp(`${topic}\\s+1\\s+4\\s+${end(1)}\\s+${end(1) - 4}`));
    expect(run.stdout).toContain(`Total messages to skip: ${end(0) - 2 + end(1) - 4 + end(2) - 6}`);
    expect(run.stdout).toContain('Dry run: nothing changed. Add --execute to apply.');
    expect(await committed(d.kafka, group, topic)).toEqual(before);
  });

  it('--execute puts every partition exactly at the high-water mark and touches nothing else', async () => {
    const otherGroup = d.group('compact.logs');
    const otherTopic = d.topic('segments.logs.compact');
    await produce(d.kafka, otherTopic, messages(6, 'o'));
    await commitSome(d, otherGroup, otherTopic, [1, 1, 1]);
    const otherBefore = await committed(d.kafka, otherGroup, otherTopic);

    const run = await d.cli(['debug', 'kafka', 'flush-consumer', '--group', group, '--execute', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.dryRun).toBe(false);
    expect(report.applied).toHaveLength(3);
    expect(await committed(d.kafka, group, topic)).toEqual(await highWater(d.kafka, topic));
    expect(await committed(d.kafka, otherGroup, otherTopic)).toEqual(otherBefore);
  });

  it('refuses a group with active members, naming them; --wait-empty waits for it to empty', async () => {
    await produce(d.kafka, topic, messages(6, 'b'));
    const member = d.kafka.consumer({ groupId: group });
    await member.connect();
    await member.subscribe({ topic, fromBeginning: false });
    await member.run({ autoCommit: false, eachMessage: async () => {} });
    cleanup.push(() => member.disconnect());
    await waitForMembers(d, group, 1);

    const refused = await d.cli(['debug', 'kafka', 'flush-consumer', '--group', group, '--execute', '--yes']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(`error LR_GROUP_ACTIVE: group ${group} still has 1 active member\\(s\\): test-flush@`),
    );

    setTimeout(() => void member.disconnect(), 1500);
    const waited = await d.cli([
      'debug',
      'kafka',
      'flush-consumer',
      '--group',
      group,
      '--execute',
      '--yes',
      '--wait-empty',
      '30s',
    ]);
    expect(waited.code, waited.stderr).toBe(0);
    expect(await committed(d.kafka, group, topic)).toEqual(await highWater(d.kafka, topic));
  });

  it('--live flushes a running service through the control topic without restarting it', async () => {
    const handled: string[] = [];
    const runner = createConsumerRunner({
      kafka: d.kafka,
      groupId: group,
      topics: [topic],
      control: createControlChannel(d.kafka, d.topic('control')),
      memberLabel: 'live-test-member',
      concurrency: 3,
      // A slow service: the backlog would take minutes to drain.
      handle: async (m) => {
        handled.push(m.value?.toString() ?? '');
        await new Promise((r) => setTimeout(r, 100));
      },
      onPermanentFailure: async () => {},
    });
    await runner.start();
    cleanup.push(() => runner.stop());
    await waitForMembers(d, group, 1);
    const memberBefore = await memberIds(d, group);
    await produce(d.kafka, topic, messages(3000, 'backlog'));

    const run = await d.cli([
      'debug',
      'kafka',
      'flush-consumer',
      '--group',
      group,
      '--execute',
      '--yes',
      '--live',
      '--live-timeout',
      '30s',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/TOPIC\s+PARTITION\s+FLUSHED TO\s+MEMBER\s+AT/);
    expect(run.stdout).toContain('Live flush took effect on 3 partition(s).');
    expect(run.stdout).toContain('live-test-member');
    expect(await committed(d.kafka, group, topic)).toEqual(await highWater(d.kafka, topic));
    expect(handled.filter((v) => v.startsWith('backlog')).length).toBeLessThan(3000);

    // Same member, still consuming: new messages after the flush are handled.
    expect(await memberIds(d, group)).toEqual(memberBefore);
    await produce(d.kafka, topic, messages(3, 'after'));
    await until(
      'the messages after the flush',
      () => handled.filter((v) => v.startsWith('after')).length === 3,
      30_000,
      200,
    );
    expect(await memberIds(d, group)).toEqual(memberBefore);
  });

  it('asks for confirmation on a terminal; answering no changes nothing', async () => {
    await produce(d.kafka, topic, messages(3, 'c'));
    const before = await committed(d.kafka, group, topic);
    const questions: string[] = [];
    let stderr = '';
    const code = await runCli(['debug', 'kafka', 'flush-consumer', '--group', group, '--execute'], {
      io: {
        out: () => {},
        err: (t) => {
          stderr += t;
        },
      },
      env: {},
      cwd: d.dir,
      confirm: async (q) => {
        questions.push(q);
        return false;
      },
    });
    expect(code).toBe(1);
    expect(questions).toEqual([expect.stringMatching(new RegExp(`^Skip 3 message\\(s\\) of ${group}\\?$`))]);
    expect(stderr).toContain('error LR_ABORTED: flush cancelled; nothing changed');
    expect(await committed(d.kafka, group, topic)).toEqual(before);
  });

  it('bad usage exits 2: neither --group nor --all-registry-groups', async () => {
    const run = await d.cli(['debug', 'kafka', 'flush-consumer']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('give exactly one of --group <name> or --all-registry-groups');
  });
});

async function memberIds(d: TestDeployment, group: string): Promise<string[]> {
  const admin = d.kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([group]);
    return (groups[0]?.members ?? []).map((m) => m.memberId).sort();
  } finally {
    await admin.disconnect();
  }
}

async function waitForMembers(d: TestDeployment, group: string, count: number) {
  await until(`${count} member(s)`, async () => (await memberIds(d, group)).length === count, 30_000, 200);
}
