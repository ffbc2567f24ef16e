import { type AdapterOptionsSpec, defineAdapterOptions, optionCheck, optionChecks } from '@lakerunner/core';

/**
 * `storage.options` of `@lakerunner/storage-gcs`. Credentials come from Application Default
 * Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud's login, the workload's service account),
 * never from this file; emulators need none.
 */
export interface GcsAdapterOptions {
  bucket: string;
  projectId?: string;
  apiEndpoint?: string;
  subscription?: string;
  pubsubApiEndpoint?: string;
  ackDeadlineSeconds?: number;
  maxMessages?: number;
  resumableThresholdBytes?: number;
  requestTimeoutMs?: number;
}

const MiB = 1024 * 1024;

/** host:port, or an http(s) URL, as Pub/Sub's client takes its endpoint. */
const hostPort = optionCheck(
  'host:port or an http(s) URL',
  (v) =>
    (typeof v === 'string' && /^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(v)) || optionChecks.url(v) === undefined,
);

export const gcsAdapterOptions: AdapterOptionsSpec<GcsAdapterOptions> =
  defineAdapterOptions<GcsAdapterOptions>('@lakerunner/storage-gcs', 'storage', {
    bucket: {
      check: optionChecks.nonEmptyString,
      required: 'the bucket name is required',
      description: 'The bucket: raw objects land in it and the lake is written to it.',
    },
    projectId: {
      check: optionChecks.nonEmptyString,
      default: "the credentials' project (GOOGLE_CLOUD_PROJECT)",
      description: 'The Google Cloud project; needed with emulators.',
    },
    apiEndpoint: {
      check: optionChecks.url,
      default: "Google's",
      description: 'A GCS-compatible endpoint (an emulator such as fake-gcs-server).',
    },
    subscription: {
      check: optionChecks.nonEmptyString,
      default: 'no source',
      description:
        "The Pub/Sub subscription on the topic the bucket's notification configuration publishes to: an id in `projectId`, or `projects/P/subscriptions/S`.",
    },
    pubsubApiEndpoint: {
      check: hostPort,
      default: 'PUBSUB_EMULATOR_HOST, else Google’s',
      description: "The Pub/Sub endpoint, when not Google's: an emulator's host:port.",
    },
    ackDeadlineSeconds: {
      // Pub/Sub's ack deadlines are 10 s to 10 min.
      check: optionChecks.integer(10, 600, 'seconds'),
      default: '60',
      description: 'The lease of a received message; the client extends it while the message is handed over.',
    },
    maxMessages: {
      check: optionChecks.integer(1, 10_000, 'messages'),
      default: '100',
      description: 'Messages held at once.',
    },
    resumableThresholdBytes: {
      check: optionChecks.integer(0, 1024 * MiB, 'bytes'),
      default: '10 MiB',
      description: 'Objects up to this size go up in one request; larger ones by resumable upload.',
    },
    requestTimeoutMs: {
      check: optionChecks.integer(1000, 3_600_000, 'milliseconds'),
      default: '60000',
      description: 'A request the store leaves unanswered this long fails as an outage (and is retried).',
    },
  });
