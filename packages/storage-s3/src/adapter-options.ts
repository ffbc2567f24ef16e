import { type OptionCheck, optionChecks, parseAdapterOptions } from '@lakerunner/core';

/**
 * `storage.options` of `@lakerunner/storage-s3`. Credentials come from the AWS SDK's default
 * chain (environment, shared config, instance or task role), never from this file.
 */
export interface S3AdapterOptions {
  bucket: string;
  /** Default: AWS_REGION, else us-east-1. */
  region?: string;
  /** An S3-compatible endpoint (MinIO, Ceph, an emulator); default AWS. */
  endpoint?: string;
  /** Path-style addressing (`endpoint/bucket/key`), which most S3-compatible stores need. */
  forcePathStyle?: boolean;
  /** The SQS queue the bucket's notifications go to; without it the adapter has no source. */
  queueUrl?: string;
  /** The SQS endpoint, when not AWS (an emulator). */
  sqsEndpoint?: string;
  partSizeBytes?: number;
  /** A request whose socket stays silent this long fails as an outage (default 60 s; above the 20 s SQS long poll). */
  requestTimeoutMs?: number;
  waitTimeSeconds?: number;
  visibilityTimeoutSeconds?: number;
}

const MiB = 1024 * 1024;

const CHECKS: Record<keyof S3AdapterOptions, OptionCheck> = {
  bucket: optionChecks.nonEmptyString,
  region: optionChecks.nonEmptyString,
  endpoint: optionChecks.url,
  forcePathStyle: optionChecks.boolean,
  queueUrl: optionChecks.url,
  sqsEndpoint: optionChecks.url,
  // S3 parts are 5 MiB to 5 GiB.
  partSizeBytes: optionChecks.integer(5 * MiB, 5 * 1024 * MiB, 'bytes'),
  requestTimeoutMs: optionChecks.integer(21_000, 3_600_000, 'milliseconds'),
  // At least 1 s: a 0 s poll of an empty queue would spin.
  waitTimeSeconds: optionChecks.integer(1, 20, 'seconds'),
  visibilityTimeoutSeconds: optionChecks.integer(10, 43_200, 'seconds'),
};

export function parseS3AdapterOptions(options: object): S3AdapterOptions {
  return parseAdapterOptions<S3AdapterOptions>('@lakerunner/storage-s3', options, CHECKS, {
    bucket: 'the bucket name is required',
  });
}
