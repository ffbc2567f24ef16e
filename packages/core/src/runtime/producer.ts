import { LakerunnerError } from '../errors.js';
import type { KafkaClient, Producer } from '../kafka/kafkajs.js';
import { Partitioners } from '../kafka/kafkajs.js';

/**
 * The producing half of the Kafka port: idempotent, acks=all, and a failed send is an error the
 * caller sees (retriable), never a message silently lost.
 */
export interface OutgoingMessage {
  key: string | null;
  value: string | Buffer;
  headers?: Record<string, string>;
  /** Normally chosen from the key; explicit only where a test or tool needs it. */
  partition?: number;
}

export interface MessageProducer {
  send(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * Broker answers that mean the idempotent producer's sequence state is broken: kafkajs can get
 * there when a send to a partition whose leader just moved is retried. A fresh producer (new
 * producer id, sequences from zero) recovers; resending is harmless because every consumer's
 * effect is idempotent.
 */
const SEQUENCE_ERRORS = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_EPOCH',
]);

export async function createMessageProducer(kafka: KafkaClient): Promise<MessageProducer> {
  const connect = async () => {
    const p: Producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await p.connect();
    return p;
  };
  let producer = await connect();
  let closed = false;
  // kafkajs' idempotent producer can lose track of sequence numbers when sends overlap
  // (kafkajs issue #598), so sends go one at a time.
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => {});
    return next;
  };

  async function sendOnce(topic: string, messages: readonly OutgoingMessage[]) {
    await producer.send({ topic, acks: -1, messages: messages.map((m) => ({ ...m })) });
  }

  return {
    send: (topic, messages) =>
      serialized(async () => {
        if (messages.length === 0) return;
        if (closed)
          throw new LakerunnerError('LR_KAFKA_UNAVAILABLE', 'the producer is closed', { retriable: true });
        try {
          try {
            await sendOnce(topic, messages);
          } catch (err) {
            if (!SEQUENCE_ERRORS.has((err as { type?: string }).type ?? '')) throw err;
            await producer.disconnect().catch(() => {});
            producer = await connect();
            await sendOnce(topic, messages);
          }
        } catch (err) {
          throw new LakerunnerError(
            'LR_KAFKA_UNAVAILABLE',
            `sending ${messages.length} message(s) to ${topic} failed: ${(err as Error).message}`,
            { retriable: true, cause: err },
          );
        }
      }),
    async close() {
      closed = true;
      await producer.disconnect();
    },
  };
}
