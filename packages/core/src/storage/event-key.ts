import { isLakerunnerError } from '../errors.js';
import { validateObjectKey } from './keys.js';
import { WebhookRejection } from './webhook-rejection.js';

/** A JSON object (not null, not an array): what every notification payload is made of. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An object key taken from a notification, already decoded: one the stores accept
 * (validateObjectKey), without control characters, which no real object name needs and which
 * break logs, Kafka keys and the catalog, and without lone surrogates, which PostgreSQL would
 * store as another key. Anything else is a WebhookRejection naming `field`: no retry can fix it.
 */
export function eventObjectKey(key: string, field: string): string {
  const shown = JSON.stringify(key.slice(0, 200));
  if (/\p{Cc}/u.test(key)) throw new WebhookRejection(`${field} ${shown} contains a control character`);
  if (/\p{Cs}/u.test(key)) throw new WebhookRejection(`${field} ${shown} is not valid UTF-16`);
  try {
    return validateObjectKey(key);
  } catch (err) {
    throw new WebhookRejection(isLakerunnerError(err) ? err.message : String(err));
  }
}

/** A bucket (or container) name from a notification: non-empty, without control characters. */
export function eventBucketName(name: unknown, field: string): string {
  if (typeof name !== 'string' || name === '') throw new WebhookRejection(`${field} is missing`);
  if (/[\p{Cc}\p{Cs}]/u.test(name)) throw new WebhookRejection(`${field} contains a control character`);
  return name;
}
