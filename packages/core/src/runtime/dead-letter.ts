import { isLakerunnerError } from '../errors.js';
import type { ConsumedMessage } from '../kafka/consumer-runner.js';
import type { Logger } from '../logger.js';
import type { DeadLetter } from '../messages/dead-letter.js';
import { encodeMessage } from '../messages/decode.js';
import { emitSafely, type RuntimeEvents } from './events.js';
import type { RuntimeMetrics } from './metrics.js';
import type { MessageProducer } from './producer.js';

/** Builds the dead-letter record for a message (or one input of it) that cannot be processed. */
export function deadLetterFor(
  message: ConsumedMessage,
  error: unknown,
  service: string,
  input?: Record<string, unknown>,
): DeadLetter {
  return {
    v: 1,
    type: 'dead-letter',
    code: isLakerunnerError(error) ? error.code : 'LR_UNEXPECTED',
    reason: error instanceof Error ? error.message : String(error),
    service,
    source: { topic: message.topic, partition: message.partition, offset: message.offset.toString() },
    ...(input ? { input } : {}),
    originalBase64: (message.value ?? Buffer.alloc(0)).toString('base64'),
    at: new Date().toISOString(),
  };
}

/**
 * The consumer runner's `onPermanentFailure` for a service: logs the message, publishes its
 * dead-letter record (a send failure throws, so the message is retried rather than lost) and
 * counts it.
 */
export function deadLetterPublisher(options: {
  service: string;
  what: string;
  topic: string;
  producer: MessageProducer;
  log: Logger;
  metrics?: RuntimeMetrics;
  events?: RuntimeEvents;
}): (message: ConsumedMessage, error: unknown) => Promise<void> {
  return async (message, error) => {
    options.log.warn(`dead-lettering ${options.what}`, { service: options.service, error: String(error) });
    const record = deadLetterFor(message, error, options.service);
    await options.producer.send(options.topic, [{ key: null, value: encodeMessage(record) }]);
    options.metrics?.deadLetters.inc({ service: options.service, code: record.code });
    emitSafely(
      options.events,
      'dead-letter',
      { service: options.service, code: record.code, reason: record.reason },
      (err) => options.log.error('an event listener threw', { service: options.service, error: String(err) }),
    );
  };
}
