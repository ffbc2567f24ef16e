import { type AdapterOptionsSpec, defineAdapterOptions, optionChecks } from '@lakerunner/core';

/**
 * `storage.options` of `@lakerunner/storage-s3`. Credentials come from the AWS SDK's default
 * chain (environment, shared config, instance or task role), never from this file.
 */
export interface S3AdapterOptions {
  bucket: string;
  region?: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  queueUrl?: string;
  sqsEndpoint?: string;
  partSizeBytes?: number;
  requestTimeoutMs?: number;
  waitTimeSeconds?: number;
  visibilityTimeoutSeconds?: number;
}

const MiB = 1024 * 1024;

export const s3AdapterOptions: AdapterOptionsSpec<S3AdapterOptions> = defineAdapterOptions<S3AdapterOptions>(
  '@lakerunner/storage-s3',
  'storage',
  {
    bucket: {
      check: optionChecks.nonEmptyString,
      required: 'the bucket name is required',
      description: 'The bucket: raw objects land in it and the lake is written to it.',
    },
    region: {
      check: optionChecks.nonEmptyString,
      default: 'AWS_REGION, else us-east-1',
      description: "The bucket's (and the queue's) region.",
    },
    endpoint: {
      check: optionChecks.url,
      default: 'AWS',
      description: 'An S3-compatible endpoint (MinIO, Ceph, an emulator).',
    },
    forcePathStyle: {
      check: optionChecks.boolean,
      default: 'false',
      description: 'Path-style addressing (`endpoint/bucket/key`), which most S3-compatible stores need.',
    },
    queueUrl: {
      check: optionChecks.url,
      default: 'no source',
      description:
        "The SQS queue the bucket's ObjectCreated notifications go to (direct, through SNS or EventBridge).",
    },
    sqsEndpoint: {
      check: optionChecks.url,
      default: 'AWS',
      description: 'The SQS endpoint, when not AWS (an emulator).',
    },
    partSizeBytes: {
      // S3 parts are 5 MiB to 5 GiB.
      check: optionChecks.integer(5 * MiB, 5 * 1024 * MiB, 'bytes'),
      default: '64 MiB',
      description:
        'Objects up to this size are uploaded in one request (so the ETag is the MD5 of the content); larger ones in parts of this size.',
    },
    requestTimeoutMs: {
      // Above SQS's 20 s long poll, which must not count as silence.
      check: optionChecks.integer(21_000, 3_600_000, 'milliseconds'),
      default: '60000',
      description: 'A request whose socket stays silent this long fails as an outage (and is retried).',
    },
    waitTimeSeconds: {
      // At least 1 s: a 0 s poll of an empty queue would spin.
      check: optionChecks.integer(1, 20, 'seconds'),
      default: '20',
      description: 'SQS long-poll wait.',
    },
    visibilityTimeoutSeconds: {
      check: optionChecks.integer(10, 43_200, 'seconds'),
      default: '60',
      description: 'How long a received message stays hidden while its objects are handed to Kafka.',
    },
  },
);
