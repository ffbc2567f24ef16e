import { randomUUID } from 'node:crypto';
import type { QueueClient } from '@azure/storage-queue';
import type { ObjectStore } from '../../packages/core/src/index.js';

/**
 * What Event Grid would deliver to a Storage queue for a blob, for tests against Azurite (which
 * has no Event Grid): the documented Microsoft.Storage.BlobCreated / BlobDeleted payload of
 * "Azure Blob Storage as an Event Grid source" (learn.microsoft.com/azure/event-grid/
 * event-schema-blob-storage), with the blob's real container, name, ETag and length filled in.
 */
export type EventSchema = 'event-grid' | 'cloud-events';

let sequencer = 0;

export function storageEvent(
  type: 'Microsoft.Storage.BlobCreated' | 'Microsoft.Storage.BlobDeleted',
  account: string,
  container: string,
  key: string,
  blob: { etag?: string; contentLength?: number; contentType?: string } = {},
  schema: EventSchema = 'event-grid',
) {
  const source = `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/Storage/providers/Microsoft.Storage/storageAccounts/${account}`;
  const created = type === 'Microsoft.Storage.BlobCreated';
  const data = {
    api: created ? 'PutBlob' : 'DeleteBlob',
    clientRequestId: randomUUID(),
    requestId: randomUUID(),
    ...(created ? { eTag: blob.etag, contentLength: blob.contentLength } : {}),
    contentType: blob.contentType ?? 'application/octet-stream',
    blobType: 'BlockBlob',
    url: `https://${account}.blob.core.windows.net/${container}/${key.split('/').map(encodeURIComponent).join('/')}`,
    sequencer: (++sequencer).toString(16).toUpperCase().padStart(32, '0'),
    storageDiagnostics: { batchId: randomUUID() },
  };
  const common = {
    subject: `/blobServices/default/containers/${container}/blobs/${key}`,
    id: randomUUID(),
    data,
  };
  return schema === 'event-grid'
    ? {
        topic: source,
        ...common,
        eventType: type,
        eventTime: new Date().toISOString(),
        dataVersion: '',
        metadataVersion: '1',
      }
    : { source, ...common, type, time: new Date().toISOString(), specversion: '1.0' };
}

/** As Event Grid writes into a Storage queue: one event's JSON per message, base64-encoded. */
export async function enqueueEvent(queue: QueueClient, payload: unknown): Promise<void> {
  await queue.sendMessage(Buffer.from(JSON.stringify(payload)).toString('base64'));
}

/**
 * `store` as seen through Event Grid: every put is followed by the BlobCreated event for the
 * blob as stored (its ETag, length and type read back from Azurite), every delete by a
 * BlobDeleted, each enqueued on `queue`.
 */
export function announcingStore(
  store: ObjectStore,
  queue: QueueClient,
  account: string,
  properties: (key: string) => Promise<{ etag?: string; contentLength?: number; contentType?: string }>,
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

/** Messages a queue still holds, visible or not. */
export async function queueLength(queue: QueueClient): Promise<number> {
  return (await queue.getProperties()).approximateMessagesCount ?? 0;
}
