import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { createAzureBlobStore } from '../../../packages/storage-azure/src/index.js';
import { announcingStore, queueLength } from '../event-grid.js';
import type { StoreUnderTest } from './store-under-test.js';

/** Azure Blob + Queue Storage emulator (Azurite): the endpoints include the account (path-style). */
export interface AzuriteAccount {
  blobEndpoint: string;
  queueEndpoint: string;
  accountName: string;
  accountKey: string;
}

/**
 * A container and a queue on Azurite. Azurite has no Event Grid, so the raw objects are put
 * through a store that enqueues the documented BlobCreated / BlobDeleted event for each, as an
 * Event Grid subscription filtered to the raw prefix would (the lake's segments get none).
 */
export async function provisionAzure(azurite: AzuriteAccount, label: string): Promise<StoreUnderTest> {
  const name = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 56)
    .replace(/-+$/, '');
  const credential = new StorageSharedKeyCredential(azurite.accountName, azurite.accountKey);
  const containerClient = new BlobServiceClient(azurite.blobEndpoint, credential).getContainerClient(name);
  await containerClient.create();
  const queue = new QueueServiceClient(azurite.queueEndpoint, credential).getQueueClient(`${name}-events`);
  await queue.create();
  const store = announcingStore(
    createAzureBlobStore({ containerClient }),
    queue,
    azurite.accountName,
    (key) => containerClient.getBlockBlobClient(key).getProperties(),
  );
  return {
    // The connection string comes from the environment, never from the file.
    options: { container: name, queueName: `${name}-events`, pollIntervalMs: 200 },
    env: {
      AZURE_STORAGE_CONNECTION_STRING: azuriteConnectionString(azurite),
    },
    store,
    pending: () => queueLength(queue),
  };
}

/** The connection string of an Azurite account, as the SDKs and the adapter read it. */
export function azuriteConnectionString(azurite: AzuriteAccount): string {
  return (
    `DefaultEndpointsProtocol=http;AccountName=${azurite.accountName};AccountKey=${azurite.accountKey};` +
    `BlobEndpoint=${azurite.blobEndpoint};QueueEndpoint=${azurite.queueEndpoint};`
  );
}
