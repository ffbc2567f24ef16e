import { z } from 'zod';

/**
 * "An object landed in the bucket": written by pubsub to `<p>.objstore.ingest.<signal>`, read
 * by that signal's ingest boxer. The object's version identifies its content: new bytes under
 * the same key are a new object, while the same bytes announced again (a replay, a rewrite)
 * stay the same one.
 */
export const objectNotificationSchema = z.strictObject({
  v: z.literal(1),
  type: z.literal('object'),
  org: z.string().min(1),
  signal: z.string().min(1),
  collector: z.string().min(1).optional(),
  bucket: z.string().min(1),
  key: z.string().min(1),
  size: z.number().int().min(0),
  /** Identifies the object's content, as the store gives it (see ObjectInfo.version). */
  version: z.string().min(1),
  receivedAt: z.iso.datetime(),
});

export type ObjectNotification = z.infer<typeof objectNotificationSchema>;

/** The identity of one object version, used to record it as ingested exactly once. */
export function objectIdentity(o: { bucket: string; key: string; version: string }): string {
  return `${o.bucket}/${o.key}@${o.version}`;
}
