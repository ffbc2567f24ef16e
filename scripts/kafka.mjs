#!/usr/bin/env node
// Local Apache Kafka for development and tests: node scripts/kafka.mjs start|stop|status
import {
  DEFAULT_KAFKA_PORT,
  DEFAULT_KAFKA_VERSION,
  kafkaStatus,
  SUPPORTED_KAFKA_VERSIONS,
  startKafka,
  stopKafka,
} from './services/kafka.mjs';
import { runServiceCli } from './services/process.mjs';

const usage = `usage: node scripts/kafka.mjs <start|stop|status> [--port N] [--version X.Y.Z] [--json]

Runs one Apache Kafka broker (KRaft, broker + controller) on 127.0.0.1.
  --port      client port (default ${DEFAULT_KAFKA_PORT}, env LAKERUNNER_DEV_KAFKA_PORT); the
              controller listens on port+1 and a SASL/SCRAM listener on port+2
  --version   Kafka release (default ${DEFAULT_KAFKA_VERSION}, env LAKERUNNER_DEV_KAFKA_VERSION;
              verified: ${SUPPORTED_KAFKA_VERSIONS.join(', ')})
  --json      print the result as JSON
Needs Java 17+ and, the first time, Maven to fetch the broker jars from Maven Central.`;

function portOf(values) {
  const port = Number(values.port ?? process.env.LAKERUNNER_DEV_KAFKA_PORT ?? DEFAULT_KAFKA_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65533) {
    throw new Error(`--port must be an integer between 1 and 65533, got ${values.port}`);
  }
  return port;
}

await runServiceCli({
  name: 'kafka',
  usage,
  options: { port: { type: 'string' }, version: { type: 'string' } },
  commands: {
    start: async (values) => {
      const k = await startKafka({ port: portOf(values), version: values.version, log: console.error });
      const human =
        `${k.alreadyRunning ? 'already running' : 'started'}: Apache Kafka ${k.version} at ${k.brokers} ` +
        `(SASL/SCRAM at ${k.saslBrokers}), pid ${k.pid}\n` +
        `use it with: export LAKERUNNER_KAFKA_BROKERS=${k.brokers}`;
      return { human, data: k };
    },
    stop: async (values) => {
      const port = portOf(values);
      const stopped = await stopKafka({ port });
      const human = stopped
        ? `stopped Kafka on port ${port}`
        : `no Kafka of ours was running on port ${port}`;
      return { human, data: { stopped, port } };
    },
    status: async (values) => {
      const s = await kafkaStatus({ port: portOf(values) });
      const human = s.running
        ? `running: Apache Kafka ${s.version} at ${s.brokers}, pid ${s.pid}, ${s.ready ? 'ready' : 'not answering yet'}`
        : `not running on port ${s.port}`;
      return { human, data: s, exitCode: s.running && s.ready ? 0 : 3 };
    },
  },
});
