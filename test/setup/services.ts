import type { TestProject } from 'vitest/node';
import { chooseKafkaPort, startKafka, stopKafka } from '../../scripts/services/kafka.mjs';
import { startMoto, stopMoto } from '../../scripts/services/moto.mjs';
import { startPostgres, stopPostgres } from '../../scripts/services/postgres.mjs';
import { startWithTestcontainers } from './testcontainers.js';

/**
 * Starts the real services the integration tests talk to, unless the environment already points
 * at some: KAFKA_BROKERS (comma-separated host:port), DATABASE_URL and MOTO_ENDPOINT (an S3 + SQS
 * emulator's base URL). By default the repo's own scripts run an Apache Kafka broker, a throwaway
 * PostgreSQL and moto (S3 + SQS); with LAKERUNNER_DEV_TEST_SERVICES=testcontainers Kafka and
 * PostgreSQL run in Docker instead, and moto still from the script. Whatever this setup started,
 * it stops afterwards; a service that was already running is left alone.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string[];
    /** SASL/SCRAM listener of the local broker, when this setup knows one. */
    kafkaScram: { brokers: string[]; username: string; password: string } | null;
    databaseUrl: string;
    /** S3 + SQS emulator (moto) base URL: any static credentials, region us-east-1, path-style. */
    motoEndpoint: string;
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
    teardown.push(services.stop);
    project.provide('motoEndpoint', await motoEndpoint(teardown));
    return async () => {
      for (const stop of teardown.reverse()) await stop();
    };
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

  project.provide('motoEndpoint', await motoEndpoint(teardown));

  return async () => {
    for (const stop of teardown.reverse()) await stop();
  };
}

/** MOTO_ENDPOINT when set, otherwise moto started by the repo's script (stopped in teardown). */
async function motoEndpoint(teardown: (() => Promise<unknown>)[]): Promise<string> {
  if (process.env.MOTO_ENDPOINT) return process.env.MOTO_ENDPOINT;
  const moto = await startMoto({ log });
  log(
    `moto ${moto.version} (S3 + SQS) at ${moto.endpoint}${moto.alreadyRunning ? ' (already running)' : ''}`,
  );
  if (!moto.alreadyRunning) teardown.push(() => stopMoto());
  return moto.endpoint;
}
