import { createHash } from 'node:crypto';
import { objectIdentity } from '../../../messages/object-notification.js';
import { type ObjectInput, type WorkUnit, workUnitSchema } from '../../../messages/work-unit.js';
import type { TopicRegistry } from '../../../topics/registry.js';
import type { StoredDeadLetter } from './stored-dead-letter.js';

/** What `deadletter replay` does with one record. */
export type ReplayStep =
  | { action: 'unit'; topic: string; unit: WorkUnit; identity: string }
  | { action: 'resend'; topic: string; value: Buffer }
  | { action: 'skip'; why: string };

/**
 * How a dead letter is replayed. An input object that failed as a whole goes back to its stage's
 * worker as a work unit of its own, whose id is derived from the failed unit and this dead
 * letter: a fresh id, so the worker does not take it for the unit it already finished, and the
 * same one at every replay of this record, so replaying twice is one unit. The catalog lets that
 * unit take over an object its failed unit left nothing of in the lake, and refuses it once the
 * object is ingested. A message that failed as a whole is sent again to the topic it came from.
 * An input some of whose records reached the lake is not replayed (it would duplicate them), nor
 * is a segment: the unit that failed on it consumed it.
 */
export function replayStep(d: StoredDeadLetter, registry: TopicRegistry): ReplayStep {
  const { record } = d;
  const input = record.input as { kind?: string; bucket?: string; key?: string } | undefined;
  if (!input) {
    return {
      action: 'resend',
      topic: record.source.topic,
      value: Buffer.from(record.originalBase64, 'base64'),
    };
  }
  if (input.kind !== 'object') {
    return {
      action: 'skip',
      why: 'a segment: the unit that failed on it consumed it, so it is not replayed',
    };
  }
  if (record.ingestedRecords !== 0) {
    return {
      action: 'skip',
      why:
        record.ingestedRecords === undefined
          ? 'its handler did not say how many of its records reached the lake, so it is not replayed'
          : `partly ingested (${record.ingestedRecords} of its records are in the lake); replaying it would duplicate them`,
    };
  }
  const failed = workUnitSchema.safeParse(d.original);
  const object = failed.success ? findObject(failed.data, input) : undefined;
  if (!failed.success || !object) return { action: 'skip', why: 'the original work unit cannot be read' };
  const { org, signal, stage, groupKey } = failed.data;
  const binding = registry.bindings.find(
    (b) => b.kind === 'segments' && b.signal === signal && b.stage === stage,
  );
  if (!binding) return { action: 'skip', why: `this deployment has no ${stage} stage for signal ${signal}` };
  const id = createHash('sha256')
    .update(`replay\u0000${failed.data.id}\u0000${d.partition}:${d.offset}`)
    .digest('hex')
    .slice(0, 32);
  return {
    action: 'unit',
    topic: binding.topic,
    unit: { v: 1, type: 'work-unit', id, org, signal, stage, groupKey, inputs: [object] },
    identity: objectIdentity(object),
  };
}

function findObject(unit: WorkUnit, input: { bucket?: string; key?: string }): ObjectInput | undefined {
  for (const i of unit.inputs)
    if (i.kind === 'object' && i.bucket === input.bucket && i.key === input.key) return i;
  return undefined;
}
