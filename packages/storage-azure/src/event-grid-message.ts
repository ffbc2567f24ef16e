import { type ObjectEvent, parseEventGridEvents, WebhookRejection } from '@lakerunner/core';

/** Most characters of a queue message read as an event (Azure Queue Storage allows 64 KiB). */
const MAX_TEXT = 64 * 1024;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The object events of one Azure Storage queue message that Event Grid delivered
 * (`parseEventGridEvents`: Event Grid or CloudEvents schema, one event or an array, only
 * BlobCreated ingested). Event Grid writes the JSON base64-encoded (it once wrote plain text; both
 * are read). A message that is none of these throws a WebhookRejection with the reason: no retry
 * can make it one.
 */
export function parseEventGridMessage(text: string): { events: ObjectEvent[]; ignored: string[] } {
  if (text.length > MAX_TEXT) throw new WebhookRejection(`the message is longer than ${MAX_TEXT} characters`);
  const { events, ignored } = parseEventGridEvents(decodePayload(text));
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
