export { createPubSubClient, gcsStorageAdapter } from './adapter.js';
export { type GcsAdapterOptions, gcsAdapterOptions } from './adapter-options.js';
export { type PubSubMessageLike, parseGcsNotification } from './gcs-notification.js';
export { createGcsStore, type GcsStoreOptions } from './gcs-store.js';
export { createPubSubSource, type PubSubSourceOptions } from './pubsub-source.js';
