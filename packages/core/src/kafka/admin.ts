import type { KafkaConfig } from '../config/schema.js';
import { isLakerunnerError, LakerunnerError } from '../errors.js';
import { createKafkaClient } from './client.js';
import type { Admin } from './kafkajs.js';

/**
 * Runs `work` with a connected admin client and always disconnects. Broker failures become
 * LR_KAFKA_UNAVAILABLE errors that say which brokers were tried.
 */
export async function withKafkaAdmin<T>(
  config: KafkaConfig,
  work: (admin: Admin) => Promise<T>,
  options: { retries?: number } = {},
): Promise<T> {
  const admin = createKafkaClient(config, { clientIdSuffix: 'admin', retries: options.retries ?? 2 }).admin();
  try {
    await admin.connect();
    return await work(admin);
  } catch (err) {
    if (isLakerunnerError(err)) throw err;
    throw new LakerunnerError(
      'LR_KAFKA_UNAVAILABLE',
      `Kafka request failed (brokers ${config.brokers.join(', ')}): ${describeKafkaError(err)}`,
      { retriable: true, cause: err },
    );
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

function describeKafkaError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const nested = (err as { cause?: unknown }).cause;
  const detail = nested instanceof Error && nested.message !== err.message ? ` (${nested.message})` : '';
  return `${err.message}${detail}`;
}
