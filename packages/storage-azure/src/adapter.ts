import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import {
  defineStorageAdapter,
  LakerunnerError,
  type NotificationSource,
  silentLogger,
} from '@lakerunner/core';
import { type AzureAdapterOptions, azureAdapterOptions } from './adapter-options.js';
import { createAzureBlobStore } from './blob-store.js';
import { createAzureQueueSource } from './queue-source.js';

/**
 * The SDK retries a failed request itself (by default up to 4 tries, waiting up to 2 minutes);
 * lakerunner retries retriable failures with its own backoff above it, so a few quick tries are
 * enough here. (Its `tryTimeoutInMs` only asks the service to give up; a store that stops
 * answering is caught by the store's and the source's own deadlines.)
 */
const RETRIES = { maxTries: 3, retryDelayInMs: 1000, maxRetryDelayInMs: 10_000 };

/**
 * `storage: { module: '@lakerunner/storage-azure', options: { container, queueName?, accountUrl?,
 * connectionStringEnv?, … } }`: an Azure Blob Storage container as the bucket, and the Storage
 * queue an Event Grid subscription delivers its BlobCreated events to as the source.
 */
export const azureStorageAdapter = defineStorageAdapter<AzureAdapterOptions>({
  name: '@lakerunner/storage-azure',
  options: azureAdapterOptions,
  async create(raw, context) {
    const options = azureAdapterOptions.parse(raw);
    const { blob, queue } = clients(options);
    const store = createAzureBlobStore({
      serviceClient: blob,
      container: options.container,
      blockSizeBytes: options.blockSizeBytes,
      requestTimeoutMs: options.requestTimeoutMs,
    });
    const sources: NotificationSource[] = [];
    if (options.queueName) {
      sources.push(
        createAzureQueueSource({
          queueClient: queue().getQueueClient(options.queueName),
          store,
          maxMessages: options.maxMessages,
          visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
          pollIntervalMs: options.pollIntervalMs,
          maxDequeues: options.maxDequeues,
          requestTimeoutMs: options.requestTimeoutMs,
          log: context?.log ?? silentLogger,
          metrics: context?.metrics,
        }),
      );
    }
    return { store, sources };
  },
});

function clients(options: AzureAdapterOptions): { blob: BlobServiceClient; queue: () => QueueServiceClient } {
  const invalid = (key: string, why: string) =>
    new LakerunnerError('LR_CONFIG_INVALID', `storage.options.${key}: ${why}`);
  if (options.accountUrl) {
    const url = new URL(options.accountUrl);
    const keyEnv = options.accountKeyEnv ?? 'AZURE_STORAGE_KEY';
    const accountKey = process.env[keyEnv];
    // The account is the first label of <account>.blob.core.windows.net unless the environment says.
    const accountName = process.env.AZURE_STORAGE_ACCOUNT || url.hostname.split('.')[0] || '';
    if (!accountKey)
      throw invalid('accountUrl', `set ${keyEnv} to the key of storage account ${accountName}`);
    const credential = new StorageSharedKeyCredential(accountName, accountKey);
    return {
      blob: new BlobServiceClient(options.accountUrl, credential, { retryOptions: RETRIES }),
      queue: () => {
        const queueUrl =
          options.queueAccountUrl ??
          (url.hostname.includes('.blob.') ? options.accountUrl?.replace('.blob.', '.queue.') : undefined);
        if (!queueUrl) {
          throw invalid(
            'queueAccountUrl',
            `the queue service URL cannot be derived from ${url.origin}; give it`,
          );
        }
        return new QueueServiceClient(queueUrl, credential, { retryOptions: RETRIES });
      },
    };
  }
  const env = options.connectionStringEnv ?? 'AZURE_STORAGE_CONNECTION_STRING';
  const connectionString = process.env[env];
  if (!connectionString) {
    throw invalid(
      'connectionStringEnv',
      `set ${env} to the storage account's connection string, or give accountUrl (with AZURE_STORAGE_KEY)`,
    );
  }
  // The SDK's message names the part that is wrong, never the secret.
  const parsed = <T>(make: () => T): T => {
    try {
      return make();
    } catch (err) {
      throw invalid(
        'connectionStringEnv',
        `${env} is not a valid connection string: ${(err as Error).message}`,
      );
    }
  };
  return {
    blob: parsed(() => BlobServiceClient.fromConnectionString(connectionString, { retryOptions: RETRIES })),
    queue: () =>
      parsed(() => QueueServiceClient.fromConnectionString(connectionString, { retryOptions: RETRIES })),
  };
}
