import type { KafkaConfig } from '../config/schema.js';
import { isLakerunnerError, LakerunnerError } from '../errors.js';
import { createKafkaClient } from './client.js';
import type { Admin, KafkaClient } from './kafkajs.js';
import { createPartitionReader, type PartitionReader } from './partition-reader.js';

export interface KafkaSession {
  kafka: KafkaClient;
  admin: Admin;
  /** A group-less partition reader, connected on first use. */
  reader(): Promise<PartitionReader>;
}

/**
 * Runs `work` with a connected admin client (and, on demand, a partition reader) and always
 * disconnects. Broker failures become LR_KAFKA_UNAVAILABLE errors that say which brokers were
 * tried; coded errors from `work` pass through.
 */
export async function withKafka<T>(
  config: KafkaConfig,
  work: (session: KafkaSession) => Promise<T>,
  options: { retries?: number } = {},
): Promise<T> {
  const kafka = createKafkaClient(config, { clientIdSuffix: 'admin', retries: options.retries ?? 2 });
  const admin = kafka.admin();
  let reader: Promise<PartitionReader> | undefined;
  try {
    await admin.connect();
    return await work({ kafka, admin, reader: () => (reader ??= createPartitionReader(kafka)) });
  } catch (err) {
    if (isLakerunnerError(err)) throw err;
    throw new LakerunnerError(
      'LR_KAFKA_UNAVAILABLE',
      `Kafka request failed (brokers ${config.brokers.join(', ')}): ${describeKafkaError(err)}`,
      { retriable: true, cause: err },
    );
  } finally {
    await admin.disconnect().catch(() => {});
    if (reader) await (await reader.catch(() => undefined))?.close().catch(() => {});
  }
}

/** `withKafka` for work that needs only the admin client. */
export function withKafkaAdmin<T>(
  config: KafkaConfig,
  work: (admin: Admin) => Promise<T>,
  options: { retries?: number } = {},
): Promise<T> {
  return withKafka(config, ({ admin }) => work(admin), options);
}

function describeKafkaError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const nested = (err as { cause?: unknown }).cause;
  const detail = nested instanceof Error && nested.message !== err.message ? ` (${nested.message})` : '';
  return `${err.message}${detail}`;
}
