import { eventBucketName, eventObjectKey, isJsonObject } from './event-key.js';
import type { ObjectEvent } from './object-store.js';
import { WebhookRejection } from './webhook-rejection.js';

/**
 * Parsing of S3-style event notification bodies (S3, MinIO, Ceph, SNS-wrapped S3 events). The
 * body comes from outside, so every field is checked for its type before use: a malformed
 * record fails the whole request with a reason (400) instead of reaching Kafka or the catalog,
 * where a key with a NUL once stalled a partition for good.
 */
export interface S3EventLimits {
  /** Most records one request may carry; real senders send one (default 1000). */
  maxRecords?: number;
}

/** Most characters of a version (eTag, versionId, sequencer) taken from an event. */
const MAX_VERSION_LENGTH = 1024;

type Json = Record<string, unknown>;

export function parseS3Event(
  body: unknown,
  limits: S3EventLimits = {},
): { events: ObjectEvent[]; ignored: string[] } {
  const maxRecords = limits.maxRecords ?? 1000;
  let payload = body;
  // SNS delivers the S3 event as a JSON string in Message.
  if (isJsonObject(payload) && payload.Type === 'Notification' && typeof payload.Message === 'string') {
    try {
      payload = JSON.parse(payload.Message);
    } catch {
      throw new WebhookRejection('the SNS Message is not JSON');
    }
  }
  if (isJsonObject(payload) && payload.Event === 's3:TestEvent')
    return { events: [], ignored: ['s3:TestEvent'] };
  const records = isJsonObject(payload) ? payload.Records : undefined;
  if (!Array.isArray(records)) throw new WebhookRejection('not an S3 event notification (no Records array)');
  if (records.length > maxRecords)
    throw new WebhookRejection(
      `${records.length} records in one request; at most ${maxRecords} are accepted`,
    );
  const events: ObjectEvent[] = [];
  const ignored: string[] = [];
  for (const r of records) {
    const name = isJsonObject(r) ? r.eventName : undefined;
    if (typeof name !== 'string' || !name.startsWith('ObjectCreated')) {
      ignored.push(eventLabel(name));
      continue;
    }
    events.push(createdEvent(r as Json));
  }
  return { events, ignored };
}

function createdEvent(record: Json): ObjectEvent {
  const s3 = isJsonObject(record.s3) ? record.s3 : {};
  const bucket = isJsonObject(s3.bucket) ? s3.bucket.name : undefined;
  const object = isJsonObject(s3.object) ? s3.object : {};
  if (typeof bucket !== 'string' || bucket === '' || typeof object.key !== 'string' || object.key === '')
    throw new WebhookRejection('an ObjectCreated record lacks s3.bucket.name or s3.object.key');
  eventBucketName(bucket, 's3.bucket.name');
  const size = object.size ?? 0;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
    throw new WebhookRejection('s3.object.size is not a non-negative integer');
  const version = [object.versionId, object.eTag, object.sequencer].find(
    (v): v is string => typeof v === 'string' && v !== '',
  );
  if (version !== undefined && version.length > MAX_VERSION_LENGTH)
    throw new WebhookRejection(`the object version is longer than ${MAX_VERSION_LENGTH} characters`);
  return { bucket, key: decodeEventKey(object.key), size, version: version ?? `size-${size}` };
}

/**
 * S3 URL-encodes keys in events, with '+' for spaces. The decoded key must be one the stores
 * accept (validateObjectKey) and free of control characters, which no real object name needs
 * and which break logs, Kafka keys and the catalog; lone surrogates are refused too, as
 * PostgreSQL would silently store a different key.
 */
export function decodeEventKey(raw: string): string {
  let key: string;
  try {
    key = decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    throw new WebhookRejection(`s3.object.key ${JSON.stringify(raw)} is not valid percent-encoding`);
  }
  return eventObjectKey(key, 's3.object.key');
}

/** Ignored events are counted by name; a name from outside is used only when it looks like one. */
function eventLabel(name: unknown): string {
  return typeof name === 'string' && /^[\w:*-]{1,64}$/.test(name) ? name : 'unnamed event';
}
