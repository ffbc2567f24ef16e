export { s3StorageAdapter } from './adapter.js';
export { type S3AdapterOptions, s3AdapterOptions } from './adapter-options.js';
export { createS3Store, type S3StoreOptions } from './s3-store.js';
export { parseSqsMessage } from './sqs-message.js';
export { createSqsSource, type SqsSourceOptions } from './sqs-source.js';
