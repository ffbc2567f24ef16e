import { createAzureBlobStore } from '../../../packages/storage-azure/src/index.js';
import {
  type AzuriteAccount,
  provisionAzure as provision,
} from '../../../scripts/services/provision-azure.mjs';
import { announcingStore } from '../event-grid.js';
import type { StoreUnderTest } from './store-under-test.js';

export type { AzuriteAccount } from '../../../scripts/services/provision-azure.mjs';
export { azuriteConnectionString } from '../../../scripts/services/provision-azure.mjs';

/**
 * A container and a queue on Azurite (scripts/services/provision-azure.mjs). Azurite has no Event
 * Grid, so the raw objects are put through a store that enqueues the documented BlobCreated /
 * BlobDeleted event for each, as an Event Grid subscription filtered to the raw prefix would (the
 * lake's segments get none).
 */
export async function provisionAzure(azurite: AzuriteAccount, label: string): Promise<StoreUnderTest> {
  const { options, env, pending, containerClient, queueClient, accountName } = await provision(
    azurite,
    label,
  );
  const store = announcingStore(createAzureBlobStore({ containerClient }), queueClient, accountName, (key) =>
    containerClient.getBlockBlobClient(key).getProperties(),
  );
  return { options, env, pending, store };
}
