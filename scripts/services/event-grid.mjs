// What Event Grid would deliver to a Storage queue for a blob, for Azurite (which has no Event
// Grid): the documented Microsoft.Storage.BlobCreated / BlobDeleted payload of "Azure Blob Storage
// as an Event Grid source" (learn.microsoft.com/azure/event-grid/event-schema-blob-storage), with
// the blob's real container, name, ETag and length filled in, enqueued as Event Grid writes it.
// Only the Azure SDKs are used, so the tests and the demo can call it without a build.
import { randomUUID } from 'node:crypto';

/** @typedef {import('@azure/storage-blob').ContainerClient} ContainerClient */
/** @typedef {import('@azure/storage-queue').QueueClient} QueueClient */

/**
 * The two schemas an Event Grid subscription can deliver in.
 * @typedef {'event-grid' | 'cloud-events'} EventSchema
 */

/** @typedef {'Microsoft.Storage.BlobCreated' | 'Microsoft.Storage.BlobDeleted'} BlobEventType */

/**
 * What a BlobCreated event says of the blob, as its properties report it.
 * @typedef {{ etag?: string, contentLength?: number, contentType?: string }} BlobProperties
 */

/**
 * The clients an announcement needs: the container the blob is in, the queue the subscription
 * delivers to, and the storage account the events name as their source.
 * @typedef {object} AnnouncingClients
 * @property {ContainerClient} containerClient
 * @property {QueueClient} queueClient
 * @property {string} accountName
 */

// Event Grid's sequencer orders the events of one blob; a counter per process is as good here.
let sequencer = 0;

/**
 * The event Event Grid would publish for `key` in `container` of `account`.
 * @param {BlobEventType} type
 * @param {string} account
 * @param {string} container
 * @param {string} key
 * @param {BlobProperties} [blob]
 * @param {EventSchema} [schema]
 */
export function storageEvent(type, account, container, key, blob = {}, schema = 'event-grid') {
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

/**
 * As Event Grid writes into a Storage queue: one event's JSON per message, base64-encoded.
 * @param {QueueClient} queue
 * @param {unknown} payload
 * @returns {Promise<void>}
 */
export async function enqueueEvent(queue, payload) {
  await queue.sendMessage(Buffer.from(JSON.stringify(payload)).toString('base64'));
}

/**
 * Enqueues the BlobCreated event for `key`, a blob just put: its ETag, length and type are read
 * back from the store, so the event describes the blob as stored. Returns the event.
 * @param {AnnouncingClients} clients
 * @param {string} key
 * @param {EventSchema} [schema]
 */
export async function announceBlobCreated(clients, key, schema = 'event-grid') {
  const { etag, contentLength, contentType } = await clients.containerClient
    .getBlockBlobClient(key)
    .getProperties();
  const event = storageEvent(
    'Microsoft.Storage.BlobCreated',
    clients.accountName,
    clients.containerClient.containerName,
    key,
    { etag, contentLength, contentType },
    schema,
  );
  await enqueueEvent(clients.queueClient, event);
  return event;
}

/**
 * Enqueues the BlobDeleted event for `key`, a blob just deleted. Returns the event.
 * @param {AnnouncingClients} clients
 * @param {string} key
 * @param {EventSchema} [schema]
 */
export async function announceBlobDeleted(clients, key, schema = 'event-grid') {
  const event = storageEvent(
    'Microsoft.Storage.BlobDeleted',
    clients.accountName,
    clients.containerClient.containerName,
    key,
    {},
    schema,
  );
  await enqueueEvent(clients.queueClient, event);
  return event;
}

/**
 * Messages a queue still holds, visible or not.
 * @param {QueueClient} queue
 * @returns {Promise<number>}
 */
export async function queueLength(queue) {
  return (await queue.getProperties()).approximateMessagesCount ?? 0;
}
