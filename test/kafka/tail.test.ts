import { beforeAll, describe, expect, inject, it } from 'vitest';
import { makeWorkUnit } from '../../packages/core/src/index.js';
import { produce, type TestDeployment, testDeployment } from '../support/deployment.js';

const brokers = inject('kafkaBrokers');

interface TailLine {
  topic: string;
  partition: number;
  offset: number;
  timestamp: string;
  key: string | null;
  headers: Record<string, (string | null | { base64: string })[]>;
  value: string;
}

const parseLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as TailLine);

describe('lakerunner debug kafka tail (real broker)', () => {
  let d: TestDeployment;
  let topic: string;
  let groupsBefore: string[];
  const first = Array.from({ length: 12 }, (_, i) => ({
    key: `key-${i}`,
    value: JSON.stringify({ v: 1, n: i }),
    partition: i % 3,
    headers: { organization_id: 'org-a' },
  }));
  const second = Array.from({ length: 6 }, (_, i) => ({ value: `later-${i}`, partition: i % 3 }));
  let between = 0;

  beforeAll(async () => {
    d = await testDeployment(brokers, 'tail');
    topic = d.topic('segments.logs.ingest');
    await produce(d.kafka, topic, first);
    await new Promise((r) => setTimeout(r, 1100));
    between = Date.now();
    await new Promise((r) => setTimeout(r, 1100));
    await produce(d.kafka, topic, second);
    const admin = d.kafka.admin();
    await admin.connect();
    groupsBefore = (await admin.listGroups()).groups.map((g) => g.groupId).sort();
    await admin.disconnect();
  });

  const tail = (...args: string[]) => d.cli(['debug', 'kafka', 'tail', ...args]);
  const offsets = async () => {
    const admin = d.kafka.admin();
    await admin.connect();
    try {
      return await admin.fetchTopicOffsets(topic);
    } finally {
      await admin.disconnect();
    }
  };
  const retained = async () => (await offsets()).reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
  const partitionEnd = async (p: number) => Number((await offsets()).find((o) => o.partition === p)?.high);

  it('--offset earliest returns exactly the produced messages, by registry key, as JSON lines', async () => {
    const run = await tail('segments.logs.ingest', '--offset', 'earliest', '--timeout', '3s', '--json');
    expect(run.code, run.stderr).toBe(0);
    const lines = parseLines(run.stdout);
    // Every message the broker holds, once (it may hold a retried batch twice: at-least-once).
    expect(lines).toHaveLength(await retained());
    expect([...new Set(lines.map((l) => l.value))].sort()).toEqual(
      [...first, ...second].map((m) => m.value).sort(),
    );
    expect(new Set(lines.map((l) => `${l.partition}/${l.offset}`)).size).toBe(lines.length);
    const one = lines.find((l) => l.key === 'key-4');
    expect(one).toMatchObject({
      topic,
      partition: 1,
      offset: 1,
      headers: { organization_id: ['org-a'] },
      value: JSON.stringify({ v: 1, n: 4 }),
    });
    expect(Number.isNaN(Date.parse(one?.timestamp ?? ''))).toBe(false);
    expect(run.stderr).toContain('timeout reached after 3000 ms');
    expect(run.stderr).toContain(`read ${lines.length} message(s)`);
  });

  it('--offset <n> with --partition starts at that absolute offset', async () => {
    const run = await tail(topic, '--partition', '2', '--offset', '3', '--timeout', '2s', '--json');
    const lines = parseLines(run.stdout);
    const end = await partitionEnd(2);
    expect(end).toBeGreaterThanOrEqual(6);
    expect(lines.map((l) => [l.partition, l.offset])).toEqual(
      Array.from({ length: end - 3 }, (_, i) => [2, 3 + i]),
    );
  });

  it('--offset -<n> starts n messages from the end of each partition', async () => {
    const run = await tail(topic, '--offset', '-1', '--timeout', '2s', '--json');
    const lines = parseLines(run.stdout);
    expect(lines.map((l) => l.value).sort()).toEqual(['later-3', 'later-4', 'later-5']);
  });

  it('--since starts at the first message at or after a time', async () => {
    const run = await tail(topic, '--since', new Date(between).toISOString(), '--timeout', '2s', '--json');
    expect(
      parseLines(run.stdout)
        .map((l) => l.value)
        .sort(),
    ).toEqual(second.map((m) => m.value).sort());
  });

  it('--max stops after exactly n messages', async () => {
    const started = Date.now();
    const run = await tail(topic, '--offset', 'earliest', '--max', '5', '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(parseLines(run.stdout)).toHaveLength(5);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('latest (the default) shows only what arrives after it started, until --timeout', async () => {
    const running = tail(topic, '--timeout', '6s', '--json');
    await new Promise((r) => setTimeout(r, 2500));
    await produce(d.kafka, topic, [{ value: 'live-1', partition: 0 }]);
    const run = await running;
    expect(parseLines(run.stdout).map((l) => l.value)).toEqual(['live-1']);
  });

  it('for people: key, headers, and a payload named after its topic only when it is valid there', async () => {
    const run = await tail(topic, '--partition', '0', '--offset', 'earliest', '--max', '1');
    expect(run.stdout).toContain(`--- ${topic} [0] @0  `);
    expect(run.stdout).toContain('key=key-0');
    expect(run.stdout).toContain('headers: organization_id=org-a');
    // Arbitrary JSON on a work topic is not a work unit.
    expect(run.stdout).toContain(
      'JSON (not a valid work unit: type: Invalid input: expected "work-unit"):\n{\n  "v": 1,\n  "n": 0\n}',
    );
    expect(run.stdout).not.toMatch(/^work unit:/m);

    const unit = makeWorkUnit({
      org: 'org-a',
      signal: 'logs',
      stage: 'ingest',
      groupKey: 'org-a/2026-11-29',
      inputs: [{ kind: 'object', bucket: 'b', key: 'k.json', size: 3, version: 'v1' }],
    });
    const end = await partitionEnd(1);
    await produce(d.kafka, topic, [
      { value: JSON.stringify(unit), partition: 1, headers: { organization_id: 'org-a' } },
    ]);
    const valid = await tail(topic, '--partition', '1', '--offset', String(end), '--max', '1');
    expect(valid.stdout).toContain(`\nwork unit:\n${JSON.stringify(unit, null, 2)}`);
  });

  it('keeps every value of a repeated header key, in order, and labels binary values', async () => {
    const end = await partitionEnd(2);
    const producer = d.kafka.producer({ idempotent: false, maxInFlightRequests: 1 });
    await producer.connect();
    await producer
      .send({
        topic,
        acks: -1,
        messages: [
          {
            key: Buffer.from([0xff, 0x00]),
            value: 'dup headers',
            partition: 2,
            headers: { dup: ['1', '2'], bin: Buffer.from([0xff, 0xfe]), spaced: 'a, b=c' },
          },
        ],
      })
      .finally(() => producer.disconnect());
    const json = parseLines(
      (await tail(topic, '--partition', '2', '--offset', String(end), '--max', '1', '--json')).stdout,
    );
    expect(json).toEqual([
      expect.objectContaining({
        key: '/wA=',
        keyEncoding: 'base64',
        headers: { dup: ['1', '2'], bin: [{ base64: '//4=' }], spaced: ['a, b=c'] },
        value: 'dup headers',
      }),
    ]);
    const text = await tail(topic, '--partition', '2', '--offset', String(end), '--max', '1');
    expect(text.stdout).toContain('key=0xff00');
    expect(text.stdout).toContain('headers: dup=1, dup=2, bin=0xfffe, spaced="a, b=c"');
  });

  it('never joins a consumer group and never commits', async () => {
    const admin = d.kafka.admin();
    await admin.connect();
    const after = (await admin.listGroups()).groups.map((g) => g.groupId).sort();
    await admin.disconnect();
    expect(after).toEqual(groupsBefore);
  });

  it('bad offsets are usage errors (exit 2); a missing topic is an error (exit 1)', async () => {
    const bad = await tail(topic, '--offset', 'sideways');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"sideways" is not latest, earliest, <n> or -<n>');
    const missing = await tail(`${d.prefix}.nope`, '--timeout', '1s');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`error LR_NO_MATCH: cannot read topic ${d.prefix}.nope`);
  });
});
