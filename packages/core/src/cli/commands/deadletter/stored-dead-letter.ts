import { partitionRanges } from '../../../kafka/group-state.js';
import type { Admin } from '../../../kafka/kafkajs.js';
import type { PartitionReader } from '../../../kafka/partition-reader.js';
import { type DeadLetter, deadLetterSchema } from '../../../messages/dead-letter.js';
import { objectNotificationSchema } from '../../../messages/object-notification.js';
import { segmentNotificationSchema } from '../../../messages/segment-notification.js';
import { workUnitSchema } from '../../../messages/work-unit.js';

/** A record of the dead-letter topic, with what it is about decoded from the original message. */
export interface StoredDeadLetter {
  partition: number;
  offset: bigint;
  record: DeadLetter;
  /** The original message decoded, when it is one of this project's contracts. */
  original: unknown;
  org?: string;
  signal?: string;
  /** What failed: the input's bucket/key, or the original message's topic and offset. */
  subject: string;
}

/**
 * Every valid dead-letter record from the start of the topic to its end as it is now, partition
 * by partition (a bounded read: records written meanwhile are left for the next call). Anything
 * else on the topic is skipped and counted, never fatal.
 */
export async function* readDeadLetters(
  admin: Admin,
  reader: PartitionReader,
  topic: string,
  onInvalid: () => void = () => {},
): AsyncGenerator<StoredDeadLetter> {
  for (const { partition, low, high } of await partitionRanges(admin, topic)) {
    let offset = low;
    while (offset < high) {
      const batch = await reader.fetch([{ topic, partition, offset }], { maxWaitMs: 200 });
      if (batch.length === 0) break;
      // Offsets may skip (compacted or aborted records): past `high`, the partition is read.
      if (batch.every((m) => m.offset >= high)) break;
      for (const m of batch) {
        if (m.offset >= high) break;
        offset = m.offset + 1n;
        const stored = decode(partition, m.offset, m.value);
        if (stored) yield stored;
        else onInvalid();
      }
    }
  }
}

function decode(partition: number, offset: bigint, value: Buffer | null): StoredDeadLetter | undefined {
  let json: unknown;
  try {
    json = JSON.parse(value?.toString('utf8') ?? '');
  } catch {
    return undefined;
  }
  const parsed = deadLetterSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const record = parsed.data;
  const original = decodeOriginal(record.originalBase64);
  const about = original as { org?: string; signal?: string } | undefined;
  const input = record.input as { bucket?: string; key?: string; objectKey?: string } | undefined;
  const subject = input?.key
    ? `${input.bucket}/${input.key}`
    : input?.objectKey
      ? input.objectKey
      : original && (original as { type?: string }).type === 'object'
        ? `${(original as { bucket: string }).bucket}/${(original as { key: string }).key}`
        : `${record.source.topic}@${record.source.partition}:${record.source.offset}`;
  return { partition, offset, record, original, org: about?.org, signal: about?.signal, subject };
}

/** The original message as JSON when it is a notification or a work unit; raw text otherwise. */
function decodeOriginal(base64: string): unknown {
  const text = Buffer.from(base64, 'base64').toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return text.length > 0 ? text : undefined;
  }
  for (const schema of [workUnitSchema, objectNotificationSchema, segmentNotificationSchema]) {
    const parsed = schema.safeParse(json);
    if (parsed.success) return parsed.data;
  }
  return json;
}
