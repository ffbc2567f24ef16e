import { eventObjectKey, isJsonObject } from './event-key.js';
import type { ObjectEvent } from './object-store.js';
import { WebhookRejection } from './webhook-rejection.js';

type Json = Record<string, unknown>;

/** Most characters of a version (eTag) taken from an event. */
const MAX_VERSION_LENGTH = 1024;
const BLOB_CREATED = 'Microsoft.Storage.BlobCreated';
const SUBSCRIPTION_VALIDATION = 'Microsoft.EventGrid.SubscriptionValidationEvent';
/** `/blobServices/default/containers/<container>/blobs/<blob name>`, as storage events name a blob. */
const SUBJECT = /^\/blobServices\/default\/containers\/([^/]+)\/blobs\/(.+)$/s;
/** Container names: 3–63 lower-case letters, digits and hyphens; `$root` and `$web` are Azure's own. */
const CONTAINER = /^(?:\$root|\$web|[a-z0-9][a-z0-9-]{1,61}[a-z0-9])$/;

export interface EventGridEvents {
  events: ObjectEvent[];
  ignored: string[];
  /** The code of a SubscriptionValidationEvent, which a webhook endpoint must echo back. */
  validationCode?: string;
}

/** Whether a parsed body looks like Event Grid's (an event or an array of them), not S3's. */
export function isEventGridPayload(payload: unknown): boolean {
  const first = Array.isArray(payload) ? payload[0] : payload;
  return isJsonObject(first) && (typeof first.eventType === 'string' || first.specversion !== undefined);
}

/**
 * The object events of Azure storage events as Event Grid delivers them, to a Storage queue or a
 * webhook: the Event Grid schema or CloudEvents 1.0, one event or an array. Only
 * `Microsoft.Storage.BlobCreated` is ingested; other events (BlobDeleted, BlobTierChanged…) are
 * returned as `ignored`, as is the BlobCreated a Data Lake `CreateFile` sends for a file that is
 * still empty (its `FlushWithClose` announces the content). A SubscriptionValidationEvent gives
 * its `validationCode`. A payload that is none of these throws a WebhookRejection with the reason.
 */
export function parseEventGridEvents(payload: unknown, { maxEvents = 1000 } = {}): EventGridEvents {
  const items = Array.isArray(payload) ? payload : [payload];
  if (items.length === 0) throw new WebhookRejection('an empty array of events');
  if (items.length > maxEvents)
    throw new WebhookRejection(`${items.length} events; at most ${maxEvents} are accepted`);
  const result: EventGridEvents = { events: [], ignored: [] };
  for (const item of items) {
    if (!isJsonObject(item))
      throw new WebhookRejection('not an Event Grid or CloudEvents event (not an object)');
    // Event Grid schema: eventType; CloudEvents 1.0: type (with specversion).
    const type =
      typeof item.eventType === 'string' ? item.eventType : item.specversion ? item.type : undefined;
    if (typeof type !== 'string') {
      throw new WebhookRejection('not an Event Grid or CloudEvents event (no eventType or type)');
    }
    const data = isJsonObject(item.data) ? item.data : undefined;
    if (type === SUBSCRIPTION_VALIDATION && typeof data?.validationCode === 'string') {
      result.validationCode = data.validationCode.slice(0, 256);
      result.ignored.push(type);
      continue;
    }
    if (type !== BLOB_CREATED) {
      result.ignored.push(eventLabel(type));
      continue;
    }
    if (!data) throw new WebhookRejection(`a ${BLOB_CREATED} event has no data object`);
    if (data.api === 'CreateFile') {
      result.ignored.push(`${BLOB_CREATED} (CreateFile)`);
      continue;
    }
    result.events.push(blobCreated(item, data));
  }
  return result;
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
