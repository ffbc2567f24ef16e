// The Kafka broker a benchmark runs against: LAKERUNNER_KAFKA_BROKERS when set, else the repo's
// local broker on 9092 (started, and stopped again, when it was not running).
import { parseConfig } from '@lakerunner/core';
import { startKafka, stopKafka } from '../scripts/services/kafka.mjs';

/**
 * `kafka` is the broker's whole `kafka` config, the defaults filled in as a deployment would
 * have them, for the bench's own clients (`createKafkaClient`, `withKafkaAdmin`).
 */
export async function benchBroker() {
  const given = process.env.LAKERUNNER_KAFKA_BROKERS?.split(',');
  const local = given ? undefined : await startKafka({ port: 9092 });
  const brokers = given ?? [local.brokers];
  return {
    brokers,
    kafka: parseConfig({ kafka: { brokers } }).kafka,
    stop: async () => {
      if (local && !local.alreadyRunning) await stopKafka({ port: 9092 });
    },
  };
}

/** Deletes the benchmark's topics (all named `<prefix>.…`). */
export async function deleteTopics(admin, prefix) {
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`));
  if (topics.length > 0) await admin.deleteTopics({ topics });
}
