import { type OptionCheck, optionChecks, parseAdapterOptions } from '@lakerunner/core';

/**
 * `storage.options` of `@lakerunner/storage-gcs`. Credentials come from Application Default
 * Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud's login, the workload's service account),
 * never from this file; emulators need none.
 */
export interface GcsAdapterOptions {
  bucket: string;
  /** Default: the project of the credentials (GOOGLE_CLOUD_PROJECT); needed with emulators. */
  projectId?: string;
  /** A GCS-compatible endpoint (an emulator such as fake-gcs-server); default Google's. */
  apiEndpoint?: string;
  /**
   * The Pub/Sub subscription on the topic the bucket's notification configuration publishes
   * to: an id in `projectId`, or projects/P/subscriptions/S. Without it the adapter has no source.
   */
  subscription?: string;
  /** The Pub/Sub endpoint, when not Google's: an emulator's host:port (default PUBSUB_EMULATOR_HOST). */
  pubsubApiEndpoint?: string;
  ackDeadlineSeconds?: number;
  maxMessages?: number;
  resumableThresholdBytes?: number;
  /** A request the store leaves unanswered this long fails as an outage (default 60 s). */
  requestTimeoutMs?: number;
}

const MiB = 1024 * 1024;

/** host:port, or an http(s) URL, as Pub/Sub's client takes its endpoint. */
const hostPort: OptionCheck = (v) => {
  if (typeof v === 'string' && /^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(v)) return undefined;
  return optionChecks.url(v) === undefined ? undefined : 'host:port or an http(s) URL';
};

const CHECKS: Record<keyof GcsAdapterOptions, OptionCheck> = {
  bucket: optionChecks.nonEmptyString,
  projectId: optionChecks.nonEmptyString,
  apiEndpoint: optionChecks.url,
  subscription: optionChecks.nonEmptyString,
  pubsubApiEndpoint: hostPort,
  // Pub/Sub's ack deadlines are 10 s to 10 min.
  ackDeadlineSeconds: optionChecks.integer(10, 600, 'seconds'),
  maxMessages: optionChecks.integer(1, 10_000, 'messages'),
  resumableThresholdBytes: optionChecks.integer(0, 1024 * MiB, 'bytes'),
  requestTimeoutMs: optionChecks.integer(1000, 3_600_000, 'milliseconds'),
};

export function parseGcsAdapterOptions(options: object): GcsAdapterOptions {
  return parseAdapterOptions<GcsAdapterOptions>('@lakerunner/storage-gcs', options, CHECKS, {
    bucket: 'the bucket name is required',
  });
}
