import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { type BinRun, lakerunner, uniquePrefix } from './cli.js';

/**
 * A small deployment on the test broker: its own topic prefix, a config file in its own
 * directory, few partitions, and the logs plugin only unless told otherwise.
 */
export interface TestDeployment {
  prefix: string;
  dir: string;
  brokers: string[];
  kafka: Kafka;
  topic(key: string): string;
  group(key: string): string;
  cli(args: string[], env?: Record<string, string>): Promise<BinRun>;
}

export async function testDeployment(
  brokers: string[],
  label: string,
  { partitions = 3, plugins = ['@lakerunner/plugin-logs'] }: { partitions?: number; plugins?: string[] } = {},
): Promise<TestDeployment> {
  const prefix = uniquePrefix(label);
  const dir = mkdtempSync(join(tmpdir(), `lakerunner-${label}-`));
  writeFileSync(
    join(dir, 'lakerunner.yaml'),
    [
      'kafka:',
      `  brokers: [${brokers.join(', ')}]`,
      'kafkaTopics:',
      `  topicPrefix: ${prefix}`,
      '  defaults:',
      `    partitionCount: ${partitions}`,
      `plugins: [${plugins.map((p) => `'${p}'`).join(', ')}]`,
      '',
    ].join('\n'),
  );
  const deployment: TestDeployment = {
    prefix,
    dir,
    brokers,
    kafka: new Kafka({ clientId: `test-${label}`, brokers, logLevel: logLevel.NOTHING }),
    topic: (key) => `${prefix}.${key}`,
    group: (key) => `${prefix}.${key}`,
    cli: (args, env = {}) => lakerunner(args, env, dir),
  };
  const sync = await deployment.cli(['topics', 'sync']);
  if (sync.code !== 0) throw new Error(`topics sync failed: ${sync.stderr}`);
  return deployment;
}

/**
 * Sends messages with acks=all and disconnects. Not idempotent on purpose: kafkajs' idempotent
 * producer can hit sequence errors on fresh topics, and recovering from those resends, which
 * the pipeline tolerates but tests that count messages exactly do not.
 */
export async function produce(
  kafka: Kafka,
  topic: string,
  messages: { key?: string; value: string; partition?: number; headers?: Record<string, string> }[],
) {
  const producer = kafka.producer({ idempotent: false, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}

export async function committed(kafka: Kafka, groupId: string, topic: string): Promise<Map<number, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map((entry?.partitions ?? []).map((p) => [p.partition, p.offset]));
  } finally {
    await admin.disconnect();
  }
}

export async function highWater(kafka: Kafka, topic: string): Promise<Map<number, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p.high]));
  } finally {
    await admin.disconnect();
  }
}
