import { createHash } from 'node:crypto';
import { z } from 'zod';
import { objectIdentity } from './object-notification.js';

/**
 * A group of inputs a worker processes together, emitted by a boxer to
 * `<p>.segments.<signal>.<stage>`. Its id is a hash of what it contains, so the same inputs
 * always make the same unit: outputs are named after it and a replay overwrites, never adds.
 */
export const objectInputSchema = z.strictObject({
  kind: z.literal('object'),
  bucket: z.string().min(1),
  key: z.string().min(1),
  size: z.number().int().min(0),
  version: z.string().min(1),
  collector: z.string().min(1).optional(),
});

export const segmentInputSchema = z.strictObject({
  kind: z.literal('segment'),
  segmentId: z.string().min(1),
  objectKey: z.string().min(1),
  dateint: z.number().int(),
  frequencyMs: z.number().int().min(0),
  records: z.number().int().min(0),
  bytes: z.number().int().min(0),
  minTs: z.number().int(),
  maxTs: z.number().int(),
});

export const workInputSchema = z.discriminatedUnion('kind', [objectInputSchema, segmentInputSchema]);

export const workUnitSchema = z.strictObject({
  v: z.literal(1),
  type: z.literal('work-unit'),
  id: z.string().regex(/^[0-9a-f]{32}$/),
  org: z.string().min(1),
  signal: z.string().min(1),
  stage: z.string().min(1),
  /** The boxer grouping key the inputs share. */
  groupKey: z.string().min(1),
  inputs: z.array(workInputSchema).min(1),
});

export type ObjectInput = z.infer<typeof objectInputSchema>;
export type SegmentInput = z.infer<typeof segmentInputSchema>;
export type WorkInput = z.infer<typeof workInputSchema>;
export type WorkUnit = z.infer<typeof workUnitSchema>;

export function inputIdentity(input: WorkInput): string {
  return input.kind === 'object' ? objectIdentity(input) : `segment:${input.segmentId}`;
}

/** Deterministic: the same signal, stage and set of inputs give the same id, in any order. */
export function workUnitId(signal: string, stage: string, inputs: readonly WorkInput[]): string {
  const identities = [...new Set(inputs.map(inputIdentity))].sort();
  return createHash('sha256')
    .update(JSON.stringify([signal, stage, identities]))
    .digest('hex')
    .slice(0, 32);
}

export function makeWorkUnit(fields: Omit<WorkUnit, 'v' | 'type' | 'id'>): WorkUnit {
  return { v: 1, type: 'work-unit', id: workUnitId(fields.signal, fields.stage, fields.inputs), ...fields };
}
