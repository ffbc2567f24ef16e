import {
  eventBucketName,
  eventObjectKey,
  isJsonObject,
  type ObjectEvent,
  WebhookRejection,
} from '@lakerunner/core';
import { objectVersion } from './errors.js';

type Json = Record<string, unknown>;

/**
 * Most bytes of a notification's data read as an object resource. GCS's is a few KiB (custom
 * metadata is capped at 8 KiB); Pub/Sub itself allows 10 MB, which is no notification.
 */
const MAX_DATA = 256 * 1024;

/** A Pub/Sub message as the client library hands it over: string attributes and the data bytes. */
export interface PubSubMessageLike {
  attributes?: Record<string, string> | null;
  data?: Buffer | Uint8Array | string | null;
}

/**
 * The object event of one Cloud Storage Pub/Sub notification. Which object and what happened
 * are in the attributes (`eventType`, `bucketId`, `objectId`, `payloadFormat`); with
 * `payloadFormat: JSON_API_V1` the data is the object's resource, whose size and md5Hash (or,
 * for a composite object, generation) give the event's size and version. With `NONE` there is
 * no data: the event has size 0 and no version, and is only worth ingesting once `store.head`
 * filled them in. OBJECT_DELETE, OBJECT_ARCHIVE and OBJECT_METADATA_UPDATE give no event (an
 * overwrite sends OBJECT_DELETE for the old generation as well as OBJECT_FINALIZE for the new).
 * A message that is no Cloud Storage notification throws a WebhookRejection with the reason: no
 * retry can make it one.
 */
export function parseGcsNotification(message: PubSubMessageLike): {
  events: ObjectEvent[];
  ignored: string[];
} {
  const attributes = message.attributes ?? {};
  const { eventType, bucketId, objectId, payloadFormat } = attributes;
  if (typeof eventType !== 'string' || typeof bucketId !== 'string' || typeof objectId !== 'string') {
    throw new WebhookRejection('the message has no eventType, bucketId and objectId attributes');
  }
  if (eventType === '' || bucketId === '' || objectId === '') {
    throw new WebhookRejection('the eventType, bucketId or objectId attribute is empty');
  }
  // A name from outside is logged only when it looks like one.
  if (eventType !== 'OBJECT_FINALIZE') {
    return { events: [], ignored: [/^[A-Z_]{1,64}$/.test(eventType) ? eventType : 'unnamed event'] };
  }

  eventObjectKey(objectId, 'the objectId attribute');
  eventBucketName(bucketId, 'the bucketId attribute');
  const generation = attributes.objectGeneration;

  if (payloadFormat === 'NONE') {
    return { events: [{ bucket: bucketId, key: objectId, size: 0, version: '' }], ignored: [] };
  }
  if (payloadFormat !== 'JSON_API_V1') {
    throw new WebhookRejection(
      `payloadFormat ${JSON.stringify(payloadFormat)} is neither JSON_API_V1 nor NONE`,
    );
  }
  const object = parseData(message.data);
  // The attributes are what GCS routes by; a resource naming another object is no notification.
  if (object.name !== objectId || object.bucket !== bucketId) {
    throw new WebhookRejection('the object resource names another object than the attributes');
  }
  const size = object.size ?? '0';
  const n = typeof size === 'string' && /^\d{1,16}$/.test(size) ? Number(size) : size;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new WebhookRejection('the object resource size is not a non-negative integer');
  }
  const version = objectVersion({
    md5Hash: typeof object.md5Hash === 'string' && object.md5Hash.length <= 64 ? object.md5Hash : undefined,
    generation: [object.generation, generation].find(
      (g): g is string => typeof g === 'string' && /^\d{1,20}$/.test(g),
    ),
  });
  return { events: [{ bucket: bucketId, key: objectId, size: n, version }], ignored: [] };
}

function parseData(data: PubSubMessageLike['data']): Json {
  const length = data == null ? 0 : typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
  if (length === 0) throw new WebhookRejection('a JSON_API_V1 notification has no data');
  if (length > MAX_DATA) throw new WebhookRejection(`the message data is longer than ${MAX_DATA} bytes`);
  const text = typeof data === 'string' ? data : Buffer.from(data as Uint8Array).toString('utf8');
  let object: unknown;
  try {
    object = JSON.parse(text);
  } catch {
    throw new WebhookRejection('the message data is not JSON');
  }
  if (!isJsonObject(object) || object.kind !== 'storage#object') {
    throw new WebhookRejection('the message data is not a storage#object resource');
  }
  return object;
}
