import { z } from 'zod';

/**
 * "A segment was written": published by workers (from their outbox) to `<p>.boxer.<signal>.<stage>`
 * so that stage's boxer can group it with its neighbours for compaction or rollup.
 */
export const segmentNotificationSchema = z.strictObject({
  v: z.literal(1),
  type: z.literal('segment'),
  org: z.string().min(1),
  signal: z.string().min(1),
  /** The stage this notification feeds (compact, rollup, …). */
  stage: z.string().min(1),
  segmentId: z.string().min(1),
  objectKey: z.string().min(1),
  dateint: z.number().int().min(19700101).max(99991231),
  /** Aggregation frequency of the segment's rows; 0 for raw rows (logs, traces). */
  frequencyMs: z.number().int().min(0),
  records: z.number().int().min(0),
  bytes: z.number().int().min(0),
  minTs: z.number().int(),
  maxTs: z.number().int(),
});

export type SegmentNotification = z.infer<typeof segmentNotificationSchema>;

/** The fields of a segment a notification carries (a new segment, or a catalog row). */
export type SegmentFacts = Pick<
  SegmentNotification,
  'org' | 'segmentId' | 'objectKey' | 'dateint' | 'frequencyMs' | 'records' | 'bytes' | 'minTs' | 'maxTs'
>;

/** "Segment `s` of `signal` is there for `stage`": what a stage's boxer groups. */
export function segmentNotification(signal: string, stage: string, s: SegmentFacts): SegmentNotification {
  return {
    v: 1,
    type: 'segment',
    org: s.org,
    signal,
    stage,
    segmentId: s.segmentId,
    objectKey: s.objectKey,
    dateint: s.dateint,
    frequencyMs: s.frequencyMs,
    records: s.records,
    bytes: s.bytes,
    minTs: s.minTs,
    maxTs: s.maxTs,
  };
}
