import { type ObjectNotification, objectIdentity } from '../../../messages/object-notification.js';
import { type WorkUnit, workUnitSchema } from '../../../messages/work-unit.js';
import type { SignalPlugin } from '../../../plugin/signal-plugin.js';
import type { TopicRegistry } from '../../../topics/registry.js';
import type { StoredDeadLetter } from './stored-dead-letter.js';

/** What `deadletter replay` does with one record. */
export type ReplayStep =
  | { action: 'notify'; topic: string; key: string; notification: ObjectNotification; identity: string }
  | { action: 'resend'; topic: string; value: Buffer }
  | { action: 'skip'; why: string };

/**
 * How a dead letter is replayed. An input object that failed as a whole is announced again to its
 * signal's ingest, as if it had just landed: the catalog lets a unit take over an object whose
 * earlier unit left none of it in the lake, and refuses it once it is ingested, so a replay after a
 * fix ingests it and a second replay changes nothing. A message that failed as a whole is sent
 * again to the topic it came from. An input some of whose records reached the lake (rejected
 * records beside good ones, a limit hit halfway) is not replayed, nor is a segment of the lake.
 */
export function replayStep(
  d: StoredDeadLetter,
  registry: TopicRegistry,
  plugins: readonly SignalPlugin[],
): ReplayStep {
  const { record } = d;
  const input = record.input as { kind?: string; bucket?: string; key?: string } | undefined;
  if (!input) {
    return {
      action: 'resend',
      topic: record.source.topic,
      value: Buffer.from(record.originalBase64, 'base64'),
    };
  }
  if (input.kind === 'object' && record.ingestedRecords !== 0) {
    const some =
      record.ingestedRecords === undefined
        ? 'some of its records'
        : `${record.ingestedRecords} of its records`;
    return {
      action: 'skip',
      why: `partly ingested (${some} are in the lake); replaying it would duplicate them`,
    };
  }
  if (input.kind !== 'object')
    return { action: 'skip', why: 'a segment of the lake; compaction reads it again by itself' };
  const unit = workUnitSchema.safeParse(d.original);
  const object = unit.success ? findObject(unit.data, input) : undefined;
  if (!unit.success || !object) return { action: 'skip', why: 'the original work unit cannot be read' };
  const binding = registry.bindings.find(
    (b) => b.kind === 'objstore' && b.signal === unit.data.signal && b.stage === 'ingest',
  );
  if (!binding)
    return { action: 'skip', why: `this deployment has no ingest for signal ${unit.data.signal}` };
  const notification: ObjectNotification = {
    v: 1,
    type: 'object',
    org: unit.data.org,
    signal: unit.data.signal,
    ...(object.collector ? { collector: object.collector } : {}),
    bucket: object.bucket,
    key: object.key,
    size: object.size,
    version: object.version,
    receivedAt: new Date().toISOString(),
  };
  // Keyed as pubsub keys it, so it meets its boxer's group on the same partition.
  const policy = plugins.find((p) => p.signal === unit.data.signal)?.stages.ingest?.boxer;
  return {
    action: 'notify',
    topic: binding.topic,
    key: policy ? policy.groupKey(notification) : notification.org,
    notification,
    identity: objectIdentity(object),
  };
}

function findObject(unit: WorkUnit, input: { bucket?: string; key?: string }) {
  for (const i of unit.inputs)
    if (i.kind === 'object' && i.bucket === input.bucket && i.key === input.key) return i;
  return undefined;
}
