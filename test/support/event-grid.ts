import type { QueueClient } from '@azure/storage-queue';
import type { ObjectStore } from '../../packages/core/src/index.js';
import {
  type BlobProperties,
  type EventSchema,
  enqueueEvent,
  storageEvent,
} from '../../scripts/services/event-grid.mjs';

/**
 * What Event Grid would deliver to a Storage queue for a blob, for tests against Azurite (which
 * has no Event Grid): the payload builder and the enqueueing live in scripts/services/event-grid.mjs,
 * shared with the demo; the store wrapper below is the tests' own.
 */
export type { EventSchema } from '../../scripts/services/event-grid.mjs';
export { enqueueEvent, queueLength, storageEvent } from '../../scripts/services/event-grid.mjs';

/**
 * `store` as seen through Event Grid: every put is followed by the BlobCreated event for the
 * blob as stored (its ETag, length and type read back from Azurite), every delete by a
 * BlobDeleted, each enqueued on `queue`.
 */
export function announcingStore(
  store: ObjectStore,
  queue: QueueClient,
  account: string,
  properties: (key: string) => Promise<BlobProperties>,
  schema: EventSchema = 'event-grid',
): ObjectStore {
  return {
    ...store,
    async put(key, body, options) {
      const info = await store.put(key, body, options);
      const event = storageEvent(
        'Microsoft.Storage.BlobCreated',
        account,
        store.bucket,
        key,
        await properties(key),
        schema,
      );
      await enqueueEvent(queue, event);
      return info;
    },
    async delete(key) {
      await store.delete(key);
      await enqueueEvent(
        queue,
        storageEvent('Microsoft.Storage.BlobDeleted', account, store.bucket, key, {}, schema),
      );
    },
  };
}
