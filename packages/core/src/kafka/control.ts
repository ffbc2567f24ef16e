import { z } from 'zod';

/**
 * The control topic (`<prefix>.control`, one partition): operators' requests to running
 * services, and the services' acknowledgements. Every service reads it from the end without a
 * consumer group, so each replica sees every request.
 */
export const CONTROL_TOPIC_KEY = 'control';

export const flushRequestSchema = z.object({
  v: z.literal(1),
  type: z.literal('flush'),
  /** Correlates acknowledgements with the request. */
  id: z.string().min(1),
  group: z.string().min(1),
  /** Limit the flush to these topics; all of the group's topics when absent. */
  topics: z.array(z.string()).optional(),
  requestedAt: z.string(),
});

export const flushAckSchema = z.object({
  v: z.literal(1),
  type: z.literal('flush-ack'),
  id: z.string().min(1),
  group: z.string().min(1),
  topic: z.string().min(1),
  partition: z.number().int().min(0),
  /** The committed offset after the flush (the high-water mark when it took effect). */
  offset: z.string().regex(/^\d+$/),
  member: z.string(),
  at: z.string(),
});

export const controlMessageSchema = z.discriminatedUnion('type', [flushRequestSchema, flushAckSchema]);

export type FlushRequest = z.infer<typeof flushRequestSchema>;
export type FlushAck = z.infer<typeof flushAckSchema>;
export type ControlMessage = z.infer<typeof controlMessageSchema>;

/** Parses a control-topic value; anything else on the topic is ignored, never fatal. */
export function parseControlMessage(value: Buffer | null): ControlMessage | undefined {
  if (!value) return undefined;
  try {
    const parsed = controlMessageSchema.safeParse(JSON.parse(value.toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function encodeControlMessage(message: ControlMessage): string {
  return JSON.stringify(message);
}
