// A container and a queue on Azurite for one lakerunner deployment, made with the Azure SDKs only
// (not the repo's packages), so the tests and the demo can provision without a build. Azurite has
// no Event Grid: whoever puts a raw blob announces it with announceBlobCreated (and a delete with
// announceBlobDeleted), as an Event Grid subscription filtered to the raw prefix would deliver it.
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { queueLength } from './event-grid.mjs';

export { announceBlobCreated, announceBlobDeleted } from './event-grid.mjs';

/**
 * Azure Blob + Queue Storage emulator (Azurite): the endpoints include the account (path-style).
 * @typedef {object} AzuriteAccount
 * @property {string} blobEndpoint
 * @property {string} queueEndpoint
 * @property {string} accountName
 * @property {string} accountKey
 */

/**
 * What a deployment on the provisioned container needs, and the clients that reach it.
 * @typedef {object} ProvisionedAzure
 * @property {{ container: string, queueName: string, pollIntervalMs: number }} options The `storage.options` of the storage-azure adapter.
 * @property {{ AZURE_STORAGE_CONNECTION_STRING: string }} env The adapter's credentials: from the environment, never from the config file.
 * @property {() => Promise<number>} pending Messages the queue still holds, visible or not.
 * @property {string} container
 * @property {string} queueName
 * @property {string} accountName The account the announced events name as their source.
 * @property {import('@azure/storage-blob').ContainerClient} containerClient
 * @property {import('@azure/storage-queue').QueueClient} queueClient
 */

/**
 * The connection string of an Azurite account, as the SDKs and the adapter read it.
 * @param {AzuriteAccount} azurite
 * @returns {string}
 */
export function azuriteConnectionString(azurite) {
  return (
    `DefaultEndpointsProtocol=http;AccountName=${azurite.accountName};AccountKey=${azurite.accountKey};` +
    `BlobEndpoint=${azurite.blobEndpoint};QueueEndpoint=${azurite.queueEndpoint};`
  );
}

/**
 * A container named after `label` (within Azure's naming rules) and a queue `<container>-events`
 * on Azurite, for the raw objects and the lake's segments alike.
 * @param {AzuriteAccount} azurite
 * @param {string} label
 * @returns {Promise<ProvisionedAzure>}
 */
export async function provisionAzure(azurite, label) {
  const container = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 56)
    .replace(/-+$/, '');
  const queueName = `${container}-events`;
  const credential = new StorageSharedKeyCredential(azurite.accountName, azurite.accountKey);
  const containerClient = new BlobServiceClient(azurite.blobEndpoint, credential).getContainerClient(
    container,
  );
  await containerClient.create();
  const queueClient = new QueueServiceClient(azurite.queueEndpoint, credential).getQueueClient(queueName);
  await queueClient.create();
  return {
    options: { container, queueName, pollIntervalMs: 200 },
    env: { AZURE_STORAGE_CONNECTION_STRING: azuriteConnectionString(azurite) },
    pending: () => queueLength(queueClient),
    container,
    queueName,
    accountName: azurite.accountName,
    containerClient,
    queueClient,
  };
}
