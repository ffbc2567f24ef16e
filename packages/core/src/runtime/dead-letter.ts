import { isLakerunnerError } from '../errors.js';
import type { ConsumedMessage } from '../kafka/consumer-runner.js';
import type { DeadLetter } from '../messages/dead-letter.js';

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
