export { azureStorageAdapter } from './adapter.js';
export { type AzureAdapterOptions, azureAdapterOptions } from './adapter-options.js';
export { type AzureBlobStoreOptions, createAzureBlobStore } from './blob-store.js';
export { parseEventGridMessage } from './event-grid-message.js';
export { type AzureQueueSourceOptions, createAzureQueueSource } from './queue-source.js';
