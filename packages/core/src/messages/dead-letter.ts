import { z } from 'zod';

/**
 * What could not be processed, and why: written to `<p>.deadletter` with the original bytes so
 * an operator can inspect (`debug kafka tail deadletter`) and replay it after a fix.
 */
export const deadLetterSchema = z.strictObject({
  v: z.literal(1),
  type: z.literal('dead-letter'),
  code: z.string().min(1),
  reason: z.string().min(1),
  service: z.string().min(1),
  source: z.strictObject({
    topic: z.string().min(1),
    partition: z.number().int().min(0),
    offset: z.string().regex(/^\d+$/),
  }),
  /** The input of a work unit that failed, when the message itself was fine. */
  input: z.record(z.string(), z.unknown()).optional(),
  /** Records of the input that could not be read (the first few), when the rest was ingested. */
  records: z.array(z.strictObject({ position: z.string(), reason: z.string() })).optional(),
  rejectedRecords: z.number().int().min(0).optional(),
  /** Records of the input that reached the lake anyway; 0: none did, and a replay may ingest it. */
  ingestedRecords: z.number().int().min(0).optional(),
  originalBase64: z.string(),
  at: z.iso.datetime(),
});

export type DeadLetter = z.infer<typeof deadLetterSchema>;
