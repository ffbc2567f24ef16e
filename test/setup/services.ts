import type { TestProject } from 'vitest/node';
import { chooseKafkaPort, startKafka, stopKafka } from '../../scripts/services/kafka.mjs';
import { startPostgres, stopPostgres } from '../../scripts/services/postgres.mjs';
import { startWithTestcontainers } from './testcontainers.js';

/**
 * Starts the real services the integration tests talk to, unless the environment already points
 * at some: KAFKA_BROKERS (comma-separated host:port) and DATABASE_URL. By default the repo's
 * own scripts run an Apache Kafka broker and a throwaway PostgreSQL; with
 * LAKERUNNER_DEV_TEST_SERVICES=testcontainers they run in Docker instead. Whatever this setup
 * started, it stops afterwards; a broker that was already running is left alone.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string[];
    /** SASL/SCRAM listener of the local broker, when this setup knows one. */
    kafkaScram: { brokers: string[]; username: string; password: string } | null;
    databaseUrl: string;
  }
}

/** Preferred port of the test broker; another free block is used when something else holds it. */
const TEST_KAFKA_PORT = Number(process.env.LAKERUNNER_DEV_KAFKA_TEST_PORT ?? 19092);
const log = (line: string) => console.error(`[services] ${line}`);

export default async function setup(project: TestProject) {
  const teardown: (() => Promise<unknown>)[] = [];

  if (process.env.LAKERUNNER_DEV_TEST_SERVICES === 'testcontainers') {
    const services = await startWithTestcontainers();
    project.provide('kafkaBrokers', services.kafkaBrokers);
    project.provide('kafkaScram', null);
    project.provide('databaseUrl', services.databaseUrl);
    return services.stop;
  }

  if (process.env.KAFKA_BROKERS) {
    project.provide('kafkaBrokers', process.env.KAFKA_BROKERS.split(','));
    project.provide('kafkaScram', null);
  } else {
    const port = await chooseKafkaPort(TEST_KAFKA_PORT);
    const kafka = await startKafka({ port, log });
    log(
      `Apache Kafka ${kafka.version} at ${kafka.brokers}${kafka.alreadyRunning ? ' (already running)' : ''}`,
    );
    if (!kafka.alreadyRunning) teardown.push(() => stopKafka({ port }));
    project.provide('kafkaBrokers', [kafka.brokers]);
    project.provide('kafkaScram', { brokers: [kafka.saslBrokers], ...kafka.scram });
  }

  if (process.env.DATABASE_URL) {
    project.provide('databaseUrl', process.env.DATABASE_URL);
  } else {
    const pg = await startPostgres({ log });
    if (!pg.alreadyRunning) teardown.push(() => stopPostgres());
    project.provide('databaseUrl', pg.url);
  }

  return async () => {
    for (const stop of teardown.reverse()) await stop();
  };
}
