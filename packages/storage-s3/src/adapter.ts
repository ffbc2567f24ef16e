import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { defineStorageAdapter, type NotificationSource, silentLogger } from '@lakerunner/core';
import { type S3AdapterOptions, s3AdapterOptions } from './adapter-options.js';
import { createS3Store } from './s3-store.js';
import { createSqsSource } from './sqs-source.js';

/**
 * `storage: { module: '@lakerunner/storage-s3', options: { bucket, region?, endpoint?,
 * forcePathStyle?, queueUrl?, sqsEndpoint?, … } }`: an S3 bucket (or S3-compatible store) as the
 * bucket, and the SQS queue its ObjectCreated notifications go to as the source.
 */
export const s3StorageAdapter = defineStorageAdapter<S3AdapterOptions>({
  name: '@lakerunner/storage-s3',
  options: s3AdapterOptions,
  async create(raw, context) {
    const options = s3AdapterOptions.parse(raw);
    const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
    // The SDK waits forever for a silent socket by default; a store that stops answering must
    // fail as an outage (and be retried) instead of holding a worker.
    const requestHandler = {
      connectionTimeout: 10_000,
      requestTimeout: options.requestTimeoutMs ?? 60_000,
      throwOnRequestTimeout: true,
    };
    const s3 = new S3Client({
      region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle,
      requestHandler,
    });
    const store = createS3Store({ client: s3, bucket: options.bucket, partSizeBytes: options.partSizeBytes });
    const sources: NotificationSource[] = [];
    if (options.queueUrl) {
      sources.push(
        createSqsSource({
          client: new SQSClient({ region, endpoint: options.sqsEndpoint, requestHandler }),
          queueUrl: options.queueUrl,
          store,
          waitTimeSeconds: options.waitTimeSeconds,
          visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
          log: context?.log ?? silentLogger,
          metrics: context?.metrics,
        }),
      );
    }
    return { store, sources };
  },
});
