import { isUtf8 } from 'node:buffer';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BinRun } from '../support/cli.js';
import { lakerunnerIn } from './kafka-tools/bin.js';
import { CONSOLE_FORMAT, parseConsoleRecords } from './kafka-tools/console-records.js';
import { createFixture, type Fixture, PARTITIONS } from './kafka-tools/fixture.js';
import { byRowKey, parseGroupTables, rowKey, toolNumber } from './kafka-tools/group-tables.js';
import { javaAvailable, kafkaTools } from './kafka-tools/java-tools.js';
import { type DescribedTopic, parseOffsets, parseTopicDescribe } from './kafka-tools/topic-tables.js';

/**
 * `lakerunner debug kafka` and `topics list` against Apache Kafka's own tools of the release
 * under test (ConsumerGroupCommand, ConsoleConsumer, TopicCommand, GetOffsetShell), on the same
 * cluster, groups and messages. Every field compared is compared exactly; where a tool prints
 * '-' (no commit, no member), ours must say null, and the lag of a partition without a commit
 * (the whole retained log, by our definition) is checked against GetOffsetShell's offsets.
 */
const brokers = inject('kafkaBrokers');

interface LagPartition {
  partition: number;
  committed: number | null;
  logEnd: number;
  lag: number;
  member: string | null;
  lagSeconds: number | null;
}
interface LagDoc {
  at: string;
  pairs: {
    topic: string;
    consumerGroup: string;
    totalLag: number;
    partitionCount: number;
    partitions: LagPartition[];
  }[];
}
interface FlushDoc {
  dryRun: boolean;
  totalSkip: number;
  plan: {
    group: string;
    topic: string;
    partition: number;
    current: number | null;
    highWater: number;
    willSkip: number;
  }[];
}
interface TailLine {
  topic: string;
  partition: number;
  offset: number;
  timestamp: string;
  key: string | null;
  keyEncoding?: string;
  headers: Record<string, (string | null | { base64: string })[]>;
  value: string | null;
  valueEncoding?: string;
}
interface TopicSettingsJson {
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
}
type ListedTopic = TopicSettingsJson & { topic: string; exists: boolean; messages: number };
type ListRow = { topic: string; cluster: TopicSettingsJson & { exists: boolean } };

function ok(run: BinRun): string {
  if (run.code !== 0) throw new Error(`exit ${run.code}: ${run.stderr}`);
  return run.stdout;
}

const json = <T>(run: BinRun): T => JSON.parse(ok(run)) as T;

/** What our commands print, parsed. */
async function runOurs(f: Fixture, messages: number) {
  const { committed, neverCommitted, outsider } = f.groups;
  const cli = (...args: string[]) => lakerunnerIn(f.d.dir, args);
  const debug = (...args: string[]) => cli('debug', 'kafka', ...args);
  const [lagRun, flushRuns, tailRun, listingRun, listRun] = await Promise.all([
    debug('consumer-lag', '--detailed', '--json', '--all-groups', '--group', f.d.prefix),
    Promise.all(
      [committed, neverCommitted, outsider].map((g) => debug('flush-consumer', '--group', g, '--json')),
    ),
    debug('tail', f.topic, '--offset', 'earliest', '--max', String(messages), '--json'),
    debug('topics', '--all-topics', '--json'),
    cli('topics', 'list', '--cluster', '--json'),
  ]);
  return {
    lag: json<LagDoc>(lagRun),
    flushes: flushRuns.map((r) => json<FlushDoc>(r)),
    tail: ok(tailRun)
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as TailLine),
    listing: json<ListedTopic[]>(listingRun),
    topicsList: json<ListRow[]>(listRun),
  };
}

/** What Kafka's tools print about the same groups, messages and topics, parsed: six JVMs. */
async function runTheirs(f: Fixture, messages: number) {
  const tools = await kafkaTools(brokers);
  const { committed, neverCommitted, live, outsider } = f.groups;
  const server = ['--bootstrap-server', brokers.join(',')];
  const groups = (...gs: string[]) => gs.flatMap((g) => ['--group', g]);
  // The tool's default of 5 s to find a group's coordinator runs out on a busy machine, and a
  // group it gave up on is missing from its output.
  const groupTimeout = ['--timeout', '30000'];
  const ofDeployment = `\\Q${f.d.prefix}.\\E.*`;
  const text = async (run: ReturnType<typeof tools.run>) => (await run).stdout.toString('utf8');
  const [describeOut, resetOut, consoleOut, topicsOut, earliestOut, latestOut] = await Promise.all([
    // One group per run: Kafka 4.x gives up on every group when one of them does not exist (a
    // group that never committed), where 3.9 says so and goes on.
    Promise.all(
      [committed, neverCommitted, live, outsider].map((g) =>
        text(tools.run('consumerGroups', [...server, ...groupTimeout, '--describe', ...groups(g)])),
      ),
    ).then((outputs) => outputs.join('\n\n')),
    text(
      tools.run('consumerGroups', [
        ...server,
        ...groupTimeout,
        ...['--reset-offsets', '--to-latest', '--dry-run', ...groups(committed, neverCommitted, outsider)],
        ...['--topic', f.topic, '--topic', f.d.topic('segments.logs.compact')],
      ]),
    ),
    tools.run('consoleConsumer', [
      ...server,
      ...[
        '--topic',
        f.topic,
        '--from-beginning',
        '--max-messages',
        String(messages),
        '--timeout-ms',
        '30000',
      ],
      ...CONSOLE_FORMAT,
    ]),
    text(tools.run('topics', [...server, '--describe', '--topic', ofDeployment])),
    text(tools.run('offsets', [...server, '--topic', ofDeployment, '--time', '-2'])),
    text(tools.run('offsets', [...server, '--topic', ofDeployment, '--time', '-1'])),
  ]);
  return {
    version: tools.version,
    described: byRowKey(parseGroupTables(describeOut)),
    reset: byRowKey(parseGroupTables(resetOut)),
    records: parseConsoleRecords(consoleOut.stdout),
    topics: parseTopicDescribe(topicsOut),
    earliest: parseOffsets(earliestOut),
    latest: parseOffsets(latestOut),
  };
}

describe.skipIf(!javaAvailable)("lakerunner debug kafka agrees with Apache Kafka's own tools", () => {
  let f: Fixture;
  let ours: Awaited<ReturnType<typeof runOurs>>;
  let theirs: Awaited<ReturnType<typeof runTheirs>>;

  beforeAll(async () => {
    f = await createFixture(brokers);
    const admin = f.d.kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(f.topic).finally(() => admin.disconnect());
    const messages = offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
    // Nothing changes the cluster from here on, so ours and theirs run side by side.
    const started = Date.now();
    [ours, theirs] = await Promise.all([runOurs(f, messages), runTheirs(f, messages)]);
    console.info(`[kafka-tools] Kafka ${theirs.version}: ours and the tools took ${Date.now() - started} ms`);
  });

  afterAll(async () => {
    await f?.close();
  });

  const start = (topic: string, partition: number) => theirs.earliest.get(`${topic}:${partition}`);
  const end = (topic: string, partition: number) => theirs.latest.get(`${topic}:${partition}`);

  it('consumer-lag --detailed --json: committed, log end, lag and member of every partition as ConsumerGroupCommand --describe', () => {
    const { committed, neverCommitted, live, outsider } = f.groups;
    expect(new Set(ours.lag.pairs.map((p) => p.consumerGroup))).toEqual(
      new Set([f.d.group('ingest.logs'), committed, neverCommitted, live, outsider]),
    );
    let compared = 0;
    const seen = new Set<string>();
    for (const pair of ours.lag.pairs) {
      expect(pair.partitionCount, pair.topic).toBe(theirs.topics.get(pair.topic)?.partitionCount);
      expect(pair.totalLag).toBe(pair.partitions.reduce((sum, p) => sum + p.lag, 0));
      for (const p of pair.partitions) {
        const where = `${pair.consumerGroup} ${pair.topic} [${p.partition}]`;
        const key = rowKey(pair.consumerGroup, pair.topic, p.partition);
        const row = theirs.described.get(key);
        const [low, high] = [start(pair.topic, p.partition), end(pair.topic, p.partition)];
        if (row) {
          seen.add(key);
          compared++;
          expect(p.committed, where).toBe(toolNumber(row['CURRENT-OFFSET']));
          expect(p.logEnd, where).toBe(toolNumber(row['LOG-END-OFFSET']));
          const member =
            row['CLIENT-ID'] === '-' ? null : `${row['CLIENT-ID']}@${row.HOST?.replace(/^\//, '')}`;
          expect(p.member, where).toBe(member);
        } else {
          // The tool lists an empty group's committed partitions only.
          expect(p.committed, where).toBeNull();
          expect(p.member, where).toBeNull();
        }
        expect(p.logEnd, where).toBe(high);
        const toolLag = row ? toolNumber(row.LAG) : null;
        expect(p.lag, where).toBe(toolLag ?? (high ?? Number.NaN) - (low ?? Number.NaN));
      }
    }
    // Every row of the tool was one of ours, and there were rows of every kind.
    expect([...theirs.described.keys()].filter((k) => !seen.has(k))).toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(12 + PARTITIONS + PARTITIONS);
    expect([...theirs.described.values()].some((r) => r['CLIENT-ID'] !== '-')).toBe(true);
  });

  it('lag seconds of every lagging partition: the age, at the sample time, of the first unconsumed message ConsoleConsumer prints', () => {
    const at = Date.parse(ours.lag.at);
    const byOffset = new Map(theirs.records.map((r) => [`${r.partition}:${r.offset}`, r]));
    let lagging = 0;
    for (const pair of ours.lag.pairs) {
      for (const p of pair.partitions) {
        const where = `${pair.consumerGroup} ${pair.topic} [${p.partition}]`;
        if (p.lag === 0) {
          expect(p.lagSeconds, where).toBeNull();
          continue;
        }
        lagging++;
        expect(pair.topic, `only ${f.topic} holds messages`).toBe(f.topic);
        const first = byOffset.get(`${p.partition}:${p.committed ?? start(pair.topic, p.partition)}`);
        expect(first?.timestampType, where).toBe('CreateTime');
        const age = Math.max(0, Math.round((at - (first?.timestamp ?? Number.NaN)) / 100) / 10);
        expect(p.lagSeconds, where).toBe(age);
      }
    }
    // 15 of the committed group (one is caught up), 16 of the outsider.
    expect(lagging).toBe(PARTITIONS - 1 + PARTITIONS);
  });

  it('flush-consumer dry run: the high water, current offset and skip count of --reset-offsets --to-latest --dry-run', () => {
    let rows = 0;
    for (const flush of ours.flushes) {
      expect(flush.dryRun).toBe(true);
      expect(flush.totalSkip).toBe(flush.plan.reduce((sum, p) => sum + p.willSkip, 0));
      const pairs = new Set(flush.plan.map((p) => `${p.group} ${p.topic}`));
      for (const pair of pairs) {
        const tool = [...theirs.reset.keys()].filter((k) => k.startsWith(`${pair} `));
        expect(flush.plan.filter((p) => `${p.group} ${p.topic}` === pair)).toHaveLength(tool.length);
      }
      for (const p of flush.plan) {
        const where = `${p.group} ${p.topic} [${p.partition}]`;
        const reset = theirs.reset.get(rowKey(p.group, p.topic, p.partition));
        expect(p.highWater, where).toBe(toolNumber(reset?.['NEW-OFFSET']));
        const current = theirs.described.get(rowKey(p.group, p.topic, p.partition))?.['CURRENT-OFFSET'];
        expect(p.current, where).toBe(current === undefined ? null : toolNumber(current));
        expect(p.willSkip, where).toBe(
          p.highWater - (p.current ?? start(p.topic, p.partition) ?? Number.NaN),
        );
        rows++;
      }
    }
    expect(rows).toBe(3 * PARTITIONS);
  });

  it('tail --json: partition, offset, timestamp, key, value and every header of every message as ConsoleConsumer prints them', () => {
    expect(ours.tail).toHaveLength(theirs.records.length);
    const lines = new Map(ours.tail.map((l) => [`${l.partition}:${l.offset}`, l]));
    expect(lines.size).toBe(ours.tail.length);
    for (const r of theirs.records) {
      const where = `[${r.partition}] @${r.offset}`;
      const line = lines.get(`${r.partition}:${r.offset}`);
      expect(line?.topic, where).toBe(f.topic);
      expect(line?.timestamp, where).toBe(new Date(r.timestamp).toISOString());
      expect(bytesOf(line?.key ?? null, line?.keyEncoding), where).toEqual(r.key);
      expect(bytesOf(line?.value ?? null, line?.valueEncoding), where).toEqual(r.value);
      // Labelled as binary exactly when it is not text.
      expect(line?.keyEncoding === 'base64', where).toBe(r.key !== null && !isUtf8(r.key));
      expect(line?.valueEncoding === 'base64', where).toBe(r.value !== null && !isUtf8(r.value));
      expect(headersOf(line?.headers ?? {}), where).toEqual(groupByKey(r.headers));
    }
    // The odd messages are among them: a repeated key keeps both values, in order.
    expect(ours.tail.find((l) => l.key === 'dup')?.headers).toEqual({ dup: ['1', '2'], other: ['x'] });
  });

  it('topic listings: partitions, replication factor, retention.ms and cleanup.policy as TopicCommand --describe', () => {
    const ofDeployment = ours.listing.filter((t) => t.topic.startsWith(`${f.d.prefix}.`));
    expect(new Set(ofDeployment.map((t) => t.topic))).toEqual(new Set(theirs.topics.keys()));
    expect(ofDeployment.map((t) => t.topic)).toContain(f.extraTopic);
    for (const t of ofDeployment) {
      const tool = theirs.topics.get(t.topic);
      expect(t.exists).toBe(true);
      expectSettings(t, tool, t.topic);
      let messages = 0;
      for (let p = 0; p < t.partitions; p++) {
        messages += (end(t.topic, p) ?? Number.NaN) - (start(t.topic, p) ?? Number.NaN);
      }
      expect(t.messages, t.topic).toBe(messages);
    }
    expect(ours.topicsList).toHaveLength(6);
    for (const t of ours.topicsList) {
      expect(t.cluster.exists).toBe(true);
      expectSettings(t.cluster, theirs.topics.get(t.topic), t.topic);
    }
  });
});

function expectSettings(mine: TopicSettingsJson, tool: DescribedTopic | undefined, topic: string) {
  expect(mine.partitions, topic).toBe(tool?.partitionCount);
  expect(mine.replicationFactor, topic).toBe(tool?.replicationFactor);
  // Every topic here has both set, so the tool prints both (it leaves out broker defaults).
  for (const name of ['retention.ms', 'cleanup.policy']) {
    expect(tool?.configs[name], `${topic} ${name}`).toBeDefined();
    expect(mine.configs[name], `${topic} ${name}`).toBe(tool?.configs[name]);
  }
}

function bytesOf(value: string | null, encoding: string | undefined): Buffer | null {
  if (value === null) return null;
  return Buffer.from(value, encoding === 'base64' ? 'base64' : 'utf8');
}

function headersOf(headers: TailLine['headers']): Record<string, (Buffer | null)[]> {
  return Object.fromEntries(
    Object.entries(headers).map(([k, vs]) => [
      k,
      vs.map((v) =>
        v === null ? null : typeof v === 'string' ? Buffer.from(v) : Buffer.from(v.base64, 'base64'),
      ),
    ]),
  );
}

function groupByKey(headers: [string, Buffer | null][]): Record<string, (Buffer | null)[]> {
  const out: Record<string, (Buffer | null)[]> = {};
  for (const [k, v] of headers) out[k] = [...(out[k] ?? []), v];
  return out;
}
