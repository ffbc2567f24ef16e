// The Kafka broker a benchmark runs against: LAKERUNNER_KAFKA_BROKERS when set, else the repo's
// local broker on 9092 (started, and stopped again, when it was not running).
import { startKafka, stopKafka } from '../scripts/services/kafka.mjs';

export async function benchBroker() {
  const given = process.env.LAKERUNNER_KAFKA_BROKERS?.split(',');
  if (given) return { brokers: given, stop: async () => {} };
  const local = await startKafka({ port: 9092 });
  return {
    brokers: [local.brokers],
    stop: async () => {
      if (!local.alreadyRunning) await stopKafka({ port: 9092 });
    },
  };
}

/** Deletes the benchmark's topics (all named `<prefix>.…`). */
export async function deleteTopics(admin, prefix) {
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`));
  if (topics.length > 0) await admin.deleteTopics({ topics });
}
