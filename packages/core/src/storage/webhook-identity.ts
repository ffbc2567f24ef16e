import { isLakerunnerError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ObjectEvent, ObjectStore } from './object-store.js';
import { WebhookRejection } from './webhook-rejection.js';

/**
 * An event says which object changed; the store says what it is. Events for another bucket are
 * not ingested (the deployment reads only its own store, so the notification could never be
 * processed), and size and version come from `store.head`, so the same bytes announced twice
 * with different eTags (multipart vs single-part, a sender that makes them up) are one object
 * version, and an object deleted since the event is skipped instead of failing downstream.
 */
export interface ResolvedEvents {
  events: ObjectEvent[];
  /** Reason ('unknown bucket', 'object gone') → how many events it skipped. */
  skipped: Record<string, number>;
}

/**
 * Throws a WebhookRejection when the store refuses the key, and the store's own error when it
 * failed (the sender should retry, even when the failure is configuration such as refused
 * credentials); then nothing has been published yet.
 */
export async function resolveEvents(
  events: readonly ObjectEvent[],
  store: ObjectStore | undefined,
  log: Logger,
): Promise<ResolvedEvents> {
  if (!store) return { events: [...events], skipped: {} };
  const resolved: ObjectEvent[] = [];
  const skipped: Record<string, number> = {};
  const skip = (reason: string) => {
    skipped[reason] = (skipped[reason] ?? 0) + 1;
  };
  for (const event of events) {
    if (event.bucket !== store.bucket) {
      skip('unknown bucket');
      log.warn('object event for a bucket this deployment does not read; not ingested', {
        bucket: event.bucket,
        expected: store.bucket,
        key: event.key,
      });
      continue;
    }
    let info: Awaited<ReturnType<ObjectStore['head']>>;
    try {
      info = await store.head(event.key);
    } catch (err) {
      // Only a key the store refuses is wrong in the event itself; any other failure (an
      // outage, expired credentials) is the store's, and the event must be retried, not dropped.
      if (isLakerunnerError(err) && err.code === 'LR_STORAGE_KEY_INVALID')
        throw new WebhookRejection(err.message);
      throw err;
    }
    if (!info) {
      skip('object gone');
      log.info('object event for an object that no longer exists; skipped', { key: event.key });
      continue;
    }
    resolved.push({ bucket: store.bucket, key: event.key, size: info.size, version: info.version });
  }
  return { events: resolved, skipped };
}
