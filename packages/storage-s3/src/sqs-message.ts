import {
  eventBucketName,
  eventObjectKey,
  isJsonObject,
  type ObjectEvent,
  parseS3Event,
  WebhookRejection,
} from '@lakerunner/core';

type Json = Record<string, unknown>;

/** Most bytes of an SQS message body read as an event (SQS itself allows 256 KiB). */
const MAX_BODY = 256 * 1024;

/**
 * The object events of one SQS message body: an S3 event notification sent to the queue
 * directly or through SNS (`parseS3Event`), or an EventBridge "Object Created" event. Removal
 * and other events, and `s3:TestEvent`, give no events. A body that is none of these throws a
 * WebhookRejection with the reason: no retry can make it one.
 */
export function parseSqsMessage(body: string): { events: ObjectEvent[]; ignored: string[] } {
  if (body.length > MAX_BODY) throw new WebhookRejection(`the message is longer than ${MAX_BODY} characters`);
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    throw new WebhookRejection('the message is not JSON');
  }
  if (isJsonObject(payload) && payload.source === 'aws.s3' && typeof payload['detail-type'] === 'string') {
    return parseEventBridge(payload);
  }
  return parseS3Event(payload);
}

/**
 * EventBridge's S3 events carry one object in `detail`; its key is not URL-encoded (unlike the
 * S3 notification format).
 */
function parseEventBridge(event: Json): { events: ObjectEvent[]; ignored: string[] } {
  const type = event['detail-type'] as string;
  // A name from outside is logged only when it looks like one.
  if (type !== 'Object Created')
    return { events: [], ignored: [/^[\w :*-]{1,64}$/.test(type) ? type : 'unnamed event'] };
  const detail = isJsonObject(event.detail) ? event.detail : {};
  const bucket = isJsonObject(detail.bucket) ? detail.bucket.name : undefined;
  const object = isJsonObject(detail.object) ? detail.object : {};
  if (typeof bucket !== 'string' || bucket === '' || typeof object.key !== 'string' || object.key === '') {
    throw new WebhookRejection('an Object Created event lacks detail.bucket.name or detail.object.key');
  }
  eventBucketName(bucket, 'detail.bucket.name');
  const key = eventObjectKey(object.key, 'detail.object.key');
  const size = object.size ?? 0;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw new WebhookRejection('detail.object.size is not a non-negative integer');
  }
  const version = [object['version-id'], object.etag].find(
    (v): v is string => typeof v === 'string' && v !== '',
  );
  if (version !== undefined && version.length > 1024) {
    throw new WebhookRejection('the object version is longer than 1024 characters');
  }
  return { events: [{ bucket, key, size, version: version ?? `size-${size}` }], ignored: [] };
}
