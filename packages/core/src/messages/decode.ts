import type { z } from 'zod';
import { LakerunnerError } from '../errors.js';

/**
 * Parses a Kafka value against a message schema. Anything that is not valid JSON of the right
 * type and version is a poison message: a non-retriable LR_MESSAGE_INVALID error whose text says
 * exactly what was wrong, for the dead-letter record.
 */
export function decodeMessage<S extends z.ZodType>(
  schema: S,
  value: Buffer | null,
  what: string,
): z.infer<S> {
  if (value === null) throw new LakerunnerError('LR_MESSAGE_INVALID', `${what}: empty message value`);
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch (err) {
    throw new LakerunnerError('LR_MESSAGE_INVALID', `${what}: not JSON (${(err as Error).message})`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new LakerunnerError('LR_MESSAGE_INVALID', `${what}: ${problems}`);
  }
  return parsed.data;
}

export function encodeMessage(message: unknown): Buffer {
  return Buffer.from(JSON.stringify(message));
}
