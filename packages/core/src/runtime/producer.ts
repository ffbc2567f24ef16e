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
}

export interface MessageProducer {
  send(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}

export async function createMessageProducer(kafka: KafkaClient): Promise<MessageProducer> {
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  return {
    async send(topic, messages) {
      if (messages.length === 0) return;
      try {
        await producer.send({ topic, acks: -1, messages: messages.map((m) => ({ ...m })) });
      } catch (err) {
        throw new LakerunnerError(
          'LR_KAFKA_UNAVAILABLE',
          `sending ${messages.length} message(s) to ${topic} failed: ${(err as Error).message}`,
          {
            retriable: true,
            cause: err,
          },
        );
      }
    },
    close: () => producer.disconnect(),
  };
}
