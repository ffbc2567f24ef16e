import type { TestProject } from 'vitest/node';
import { chooseKafkaPort, startKafka, stopKafka } from '../../scripts/services/kafka.mjs';
import { startMoto, stopMoto } from '../../scripts/services/moto.mjs';
import { startPostgres, stopPostgres } from '../../scripts/services/postgres.mjs';
import type { AzuriteAccount } from '../support/stores/azure.js';
import type { GcsEmulators } from '../support/stores/gcs.js';
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
  project.provide('gcs', await gcsEmulators(teardown));
  project.provide('azurite', await azuriteAccount(teardown));

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

declare module 'vitest' {
  export interface ProvidedContext {
    azurite: AzuriteAccount;
  }
}

/**
 * AZURITE_BLOB_ENDPOINT and AZURITE_QUEUE_ENDPOINT when both are set (with AZURITE_ACCOUNT_NAME /
 * AZURITE_ACCOUNT_KEY, default Azurite's well-known account), otherwise Azurite started by the
 * repo's script (stopped in teardown).
 */
async function azuriteAccount(teardown: (() => Promise<unknown>)[]): Promise<AzuriteAccount> {
  const azurite = await import('../../scripts/services/azurite.mjs');
  const { AZURITE_BLOB_ENDPOINT: blobEndpoint, AZURITE_QUEUE_ENDPOINT: queueEndpoint } = process.env;
  if (blobEndpoint && queueEndpoint) {
    return {
      blobEndpoint,
      queueEndpoint,
      accountName: process.env.AZURITE_ACCOUNT_NAME ?? azurite.AZURITE_ACCOUNT_NAME,
      accountKey: process.env.AZURITE_ACCOUNT_KEY ?? azurite.AZURITE_ACCOUNT_KEY,
    };
  }
  const started = await azurite.startAzurite({ log });
  log(
    `Azurite ${started.version} (Blob + Queue) at ${started.blobEndpoint}, ${started.queueEndpoint}${started.alreadyRunning ? ' (already running)' : ''}`,
  );
  if (!started.alreadyRunning) teardown.push(() => azurite.stopAzurite());
  const { blobEndpoint: blob, queueEndpoint: queue, accountName, accountKey } = started;
  return { blobEndpoint: blob, queueEndpoint: queue, accountName, accountKey };
}

declare module 'vitest' {
  export interface ProvidedContext {
    gcs: GcsEmulators;
  }
}

/**
 * GCS_EMULATOR_ENDPOINT and PUBSUB_EMULATOR_HOST when both are set (with PUBSUB_PROJECT_ID and
 * GCS_EMULATOR_TOPIC, default lakerunner-test / gcs-events), otherwise fake-gcs-server and
 * pstest started by the repo's script (stopped in teardown).
 */
async function gcsEmulators(teardown: (() => Promise<unknown>)[]): Promise<GcsEmulators> {
  const gcs = await import('../../scripts/services/gcs.mjs');
  const { GCS_EMULATOR_ENDPOINT: endpoint, PUBSUB_EMULATOR_HOST: pubsubHost } = process.env;
  if (endpoint && pubsubHost) {
    return {
      endpoint,
      pubsubHost,
      projectId: process.env.PUBSUB_PROJECT_ID ?? gcs.DEFAULT_GCS_PROJECT,
      topic: process.env.GCS_EMULATOR_TOPIC ?? gcs.DEFAULT_GCS_TOPIC,
      pubsubAdmin: null,
    };
  }
  const started = await gcs.startGcsEmulators({ log });
  log(
    `fake-gcs-server ${started.version} at ${started.endpoint}, pstest at ${started.pubsubHost}${started.alreadyRunning ? ' (already running)' : ''}`,
  );
  if (!started.alreadyRunning) teardown.push(() => gcs.stopGcsEmulators());
  const { endpoint: gcsEndpoint, pubsubHost: host, projectId, topic, pubsubAdmin } = started;
  return { endpoint: gcsEndpoint, pubsubHost: host, projectId, topic, pubsubAdmin };
}
