import { GenericContainer, Wait } from 'testcontainers';
import { DEFAULT_KAFKA_VERSION } from '../../scripts/services/kafka.mjs';
import { freePort } from '../../scripts/services/process.mjs';

/**
 * For contributors with a Docker engine: the same services as the repo's scripts, in
 * containers. Opt in with LAKERUNNER_DEV_TEST_SERVICES=testcontainers. Kafka's host port equals
 * its container port so the advertised listener is reachable from the host as-is.
 */
export async function startWithTestcontainers() {
  const port = await freePort();
  const kafka = await new GenericContainer(`apache/kafka:${DEFAULT_KAFKA_VERSION}`)
    .withExposedPorts({ container: port, host: port })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: `PLAINTEXT://0.0.0.0:${port},CONTROLLER://0.0.0.0:9093`,
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${port}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started|Transition from STARTING to STARTED/))
    .start();
  const postgres = await new GenericContainer('postgres:15')
    .withEnvironment({ POSTGRES_PASSWORD: 'lakerunner', POSTGRES_DB: 'lakerunner' })
    .withExposedPorts(5432)
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .start();
  const pgPort = postgres.getMappedPort(5432);
  return {
    kafkaBrokers: [`127.0.0.1:${port}`],
    databaseUrl: `postgres://postgres:lakerunner@127.0.0.1:${pgPort}/lakerunner`,
    stop: async () => {
      await kafka.stop();
      await postgres.stop();
    },
  };
}
