#!/usr/bin/env node
// The quick-start main job on the embedded default: starts the local Kafka broker unless
// LAKERUNNER_KAFKA_BROKERS points at one, creates the topology's topics and shows it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DEFAULT_KAFKA_PORT, startKafka } from './services/kafka.mjs';
import { repoRoot } from './services/process.mjs';

const cli = join(repoRoot, 'packages', 'core', 'dist', 'cli.js');
const env = { ...process.env };

if (!env.LAKERUNNER_KAFKA_BROKERS) {
  const kafka = await startKafka({ port: DEFAULT_KAFKA_PORT, log: (l) => console.error(l) });
  console.log(
    `Kafka: Apache Kafka ${kafka.version} at ${kafka.brokers} ` +
      `(${kafka.alreadyRunning ? 'already running' : 'started'}; stop it with: npm run kafka -- stop)`,
  );
  env.LAKERUNNER_KAFKA_BROKERS = kafka.brokers;
} else {
  console.log(`Kafka: using LAKERUNNER_KAFKA_BROKERS=${env.LAKERUNNER_KAFKA_BROKERS}`);
}

function lakerunner(...args) {
  console.log(`\n$ lakerunner ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

lakerunner('topics', 'sync');
lakerunner('topics', 'list');
console.log('\nThe topology is in place on the broker. Run `npx lakerunner --help` for every command.');
