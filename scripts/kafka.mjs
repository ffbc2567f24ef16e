#!/usr/bin/env node
// Local Apache Kafka for development and tests: node scripts/kafka.mjs start|stop|status
import { parseArgs } from 'node:util';
import {
  DEFAULT_KAFKA_PORT,
  DEFAULT_KAFKA_VERSION,
  kafkaStatus,
  SUPPORTED_KAFKA_VERSIONS,
  startKafka,
  stopKafka,
} from './services/kafka.mjs';

const usage = `usage: node scripts/kafka.mjs <start|stop|status> [--port N] [--version X.Y.Z] [--json]

Runs one Apache Kafka broker (KRaft, broker + controller) on 127.0.0.1.
  --port      client port (default ${DEFAULT_KAFKA_PORT}, env LAKERUNNER_DEV_KAFKA_PORT); the controller
              listens on port+1 and a SASL/SCRAM listener on port+2
  --version   Kafka release (default ${DEFAULT_KAFKA_VERSION}, env LAKERUNNER_DEV_KAFKA_VERSION;
              verified: ${SUPPORTED_KAFKA_VERSIONS.join(', ')})
  --json      print the result as JSON
Needs Java 17+ and, the first time, Maven to fetch the broker jars from Maven Central.`;

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      version: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (err) {
  console.error(`${err.message}\n\n${usage}`);
  process.exit(2);
}
const { values, positionals } = parsed;
const command = positionals[0];
if (values.help || !command) {
  console.log(usage);
  process.exit(values.help ? 0 : 2);
}
const port = Number(values.port ?? process.env.LAKERUNNER_DEV_KAFKA_PORT ?? DEFAULT_KAFKA_PORT);
if (!Number.isInteger(port) || port < 1 || port > 65533) {
  console.error(`--port must be an integer between 1 and 65533, got ${values.port}`);
  process.exit(2);
}
const log = (line) => console.error(line);
const print = (human, data) => console.log(values.json ? JSON.stringify(data) : human);

try {
  if (command === 'start') {
    const k = await startKafka({ port, version: values.version, log });
    print(
      `${k.alreadyRunning ? 'already running' : 'started'}: Apache Kafka ${k.version} at ${k.brokers} ` +
        `(SASL/SCRAM at ${k.saslBrokers}), pid ${k.pid}\n` +
        `use it with: export LAKERUNNER_KAFKA_BROKERS=${k.brokers}`,
      k,
    );
  } else if (command === 'stop') {
    const stopped = await stopKafka({ port });
    print(stopped ? `stopped Kafka on port ${port}` : `no Kafka of ours was running on port ${port}`, {
      stopped,
      port,
    });
  } else if (command === 'status') {
    const s = await kafkaStatus({ port });
    print(
      s.running
        ? `running: Apache Kafka ${s.version} at ${s.brokers}, pid ${s.pid}, ${s.ready ? 'ready' : 'not answering yet'}`
        : `not running on port ${port}`,
      s,
    );
    process.exitCode = s.running && s.ready ? 0 : 3;
  } else {
    console.error(`unknown command "${command}"\n\n${usage}`);
    process.exit(2);
  }
} catch (err) {
  console.error(`kafka ${command} failed: ${err.message}`);
  process.exit(1);
}
