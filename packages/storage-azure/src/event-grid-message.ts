import { eventObjectKey, isJsonObject, type ObjectEvent, WebhookRejection } from '@lakerunner/core';

type Json = Record<string, unknown>;

/** Most characters of a queue message read as an event (Azure Queue Storage allows 64 KiB). */
const MAX_TEXT = 64 * 1024;
/** Most characters of a version (eTag) taken from an event. */
const MAX_VERSION_LENGTH = 1024;
const BLOB_CREATED = 'Microsoft.Storage.BlobCreated';
/** `/blobServices/default/containers/<container>/blobs/<blob name>`, as storage events name a blob. */
const SUBJECT = /^\/blobServices\/default\/containers\/([^/]+)\/blobs\/(.+)$/s;
/** Container names: 3–63 lower-case letters, digits and hyphens; `$root` and `$web` are Azure's own. */
const CONTAINER = /^(?:\$root|\$web|[a-z0-9][a-z0-9-]{1,61}[a-z0-9])$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The object events of one Azure Storage queue message that Event Grid delivered: a storage event
 * in the Event Grid schema or the CloudEvents 1.0 schema, one event or an array of them. Event Grid
 * writes the JSON base64-encoded (it once wrote plain text; both are read). Only
 * `Microsoft.Storage.BlobCreated` is ingested; other events (BlobDeleted, BlobTierChanged, a
 * SubscriptionValidationEvent…) are returned as `ignored`, as is the BlobCreated a Data Lake
 * `CreateFile` sends for a file that is still empty (its `FlushWithClose` announces the content).
 * A message that is none of these throws a WebhookRejection with the reason: no retry can make
 * it one.
 */
export function parseEventGridMessage(text: string): { events: ObjectEvent[]; ignored: string[] } {
  if (text.length > MAX_TEXT) throw new WebhookRejection(`the message is longer than ${MAX_TEXT} characters`);
  const payload = decodePayload(text);
  const items = Array.isArray(payload) ? payload : [payload];
  if (items.length === 0) throw new WebhookRejection('the message is an empty array of events');
  const events: ObjectEvent[] = [];
  const ignored: string[] = [];
  for (const item of items) {
    if (!isJsonObject(item))
      throw new WebhookRejection('not an Event Grid or CloudEvents event (not an object)');
    // Event Grid schema: eventType; CloudEvents 1.0: type (with specversion).
    const type =
      typeof item.eventType === 'string' ? item.eventType : item.specversion ? item.type : undefined;
    if (typeof type !== 'string') {
      throw new WebhookRejection('not an Event Grid or CloudEvents event (no eventType or type)');
    }
    if (type !== BLOB_CREATED) {
      ignored.push(eventLabel(type));
      continue;
    }
    const data = isJsonObject(item.data) ? item.data : undefined;
    if (!data) throw new WebhookRejection(`a ${BLOB_CREATED} event has no data object`);
    if (data.api === 'CreateFile') {
      ignored.push(`${BLOB_CREATED} (CreateFile)`);
      continue;
    }
    events.push(blobCreated(item, data));
  }
  return { events, ignored };
}

/** The message's JSON, read as is or base64-decoded. */
function decodePayload(text: string): unknown {
  const trimmed = text.trim();
  let json = trimmed;
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) {
    if (!BASE64.test(trimmed) || trimmed.length % 4 !== 0) {
      throw new WebhookRejection('the message is neither JSON nor base64-encoded JSON');
    }
    try {
      json = utf8.decode(Buffer.from(trimmed, 'base64'));
    } catch {
      throw new WebhookRejection('the base64-decoded message is not UTF-8');
    }
  }
  try {
    return JSON.parse(json);
  } catch {
    throw new WebhookRejection('the message is not JSON');
  }
}

/**
 * The blob a BlobCreated event names. `subject` carries the container and the blob name as they
 * are; `data.url` (the blob's URL, percent-encoded) is read only when there is no subject.
 */
function blobCreated(event: Json, data: Json): ObjectEvent {
  const { container, name } = blobOf(event, data);
  if (!CONTAINER.test(container)) {
    throw new WebhookRejection(`the container name ${JSON.stringify(container.slice(0, 100))} is not valid`);
  }
  eventObjectKey(name, 'the blob name');
  const size = data.contentLength ?? 0;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw new WebhookRejection('data.contentLength is not a non-negative integer');
  }
  const etag = typeof data.eTag === 'string' ? data.eTag.replace(/^"|"$/g, '') : '';
  if (etag.length > MAX_VERSION_LENGTH) {
    throw new WebhookRejection(`data.eTag is longer than ${MAX_VERSION_LENGTH} characters`);
  }
  return { bucket: container, key: name, size, version: etag || `size-${size}` };
}

function blobOf(event: Json, data: Json): { container: string; name: string } {
  if (typeof event.subject === 'string' && event.subject !== '') {
    const match = SUBJECT.exec(event.subject);
    if (!match) {
      throw new WebhookRejection(
        `subject ${JSON.stringify(event.subject.slice(0, 200))} does not name a blob (/blobServices/default/containers/<container>/blobs/<name>)`,
      );
    }
    return { container: match[1] as string, name: match[2] as string };
  }
  if (typeof data.url !== 'string')
    throw new WebhookRejection(`a ${BLOB_CREATED} event has no subject or data.url`);
  let url: URL;
  try {
    url = new URL(data.url);
  } catch {
    throw new WebhookRejection('data.url is not a URL');
  }
  // https://<account>.blob.core.windows.net/<container>/<percent-encoded blob name>
  const [, container = '', ...rest] = url.pathname.split('/');
  try {
    return { container: decodeURIComponent(container), name: decodeURIComponent(rest.join('/')) };
  } catch {
    throw new WebhookRejection('data.url is not valid percent-encoding');
  }
}

/** Ignored events are counted by type; a type from outside is used only when it looks like one. */
function eventLabel(type: string): string {
  return /^[\w.:*-]{1,128}$/.test(type) ? type : 'unnamed event';
}
