import type { KafkaConfig } from '../config/schema.js';
import { Kafka, type KafkaClient, type KafkajsConfig, logLevel, type SASLOptions } from './kafkajs.js';

/**
 * The one place that turns lakerunner's Kafka config into a kafkajs client. Everything that
 * talks to Kafka goes through a client made here, so auth, TLS and timeouts are uniform.
 */
export interface KafkaClientOptions {
  /** Appended to the configured client id, e.g. "cli" → "lakerunner-cli". */
  clientIdSuffix?: string;
  /** Retries of each request before it fails; the CLI wants few, services want many. */
  retries?: number;
}

export function createKafkaClient(config: KafkaConfig, options: KafkaClientOptions = {}): KafkaClient {
  const settings: KafkajsConfig = {
    clientId: options.clientIdSuffix ? `${config.clientId}-${options.clientIdSuffix}` : config.clientId,
    brokers: [...config.brokers],
    ssl: config.tls,
    connectionTimeout: config.connectionTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    retry: { retries: options.retries ?? 5, initialRetryTime: 300, maxRetryTime: 10_000 },
    // Failures surface as errors to callers, which report them with context; kafkajs' own
    // logging would print the same failure several times over.
    logLevel: logLevel.NOTHING,
  };
  if (config.sasl) settings.sasl = saslOptions(config.sasl);
  const kafka = new Kafka(settings);
  // Every consumer made from this client long-polls for kafka.fetchMaxWaitMs unless told otherwise.
  const consumer = kafka.consumer.bind(kafka);
  kafka.consumer = (options) => consumer({ maxWaitTimeInMs: config.fetchMaxWaitMs, ...options });
  return kafka;
}

function saslOptions(sasl: NonNullable<KafkaConfig['sasl']>): SASLOptions {
  const { username, password } = sasl;
  switch (sasl.mechanism) {
    case 'plain':
      return { mechanism: 'plain', username, password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username, password };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', username, password };
  }
}
