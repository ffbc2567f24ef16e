import { PubSub } from '@google-cloud/pubsub';
import { Storage } from '@google-cloud/storage';
import { defineStorageAdapter, type NotificationSource, silentLogger } from '@lakerunner/core';
import { type GcsAdapterOptions, gcsAdapterOptions } from './adapter-options.js';
import { createGcsStore } from './gcs-store.js';
import { createPubSubSource } from './pubsub-source.js';

/** The project a full subscription name (projects/P/subscriptions/S) names. */
const projectOf = (subscription: string) =>
  /^projects\/([^/]+)\/subscriptions\/[^/]+$/.exec(subscription)?.[1];

/**
 * A Pub/Sub client. An emulator — named by PUBSUB_EMULATOR_HOST, or an endpoint on this machine —
 * speaks plain gRPC and is told the universe domain so that the client never probes for
 * credentials (or the GCE metadata server) it does not need. Any other endpoint (a private
 * endpoint, a proxy) gets TLS and credentials, as Google's own does.
 */
export function createPubSubClient(options: { projectId?: string; apiEndpoint?: string }): PubSub {
  const fromEnv = options.apiEndpoint === undefined ? process.env.PUBSUB_EMULATOR_HOST : undefined;
  const endpoint = options.apiEndpoint ?? fromEnv;
  const host =
    endpoint
      ?.replace(/^https?:\/\//, '')
      .replace(/^\[([^\]]+)\].*$/, '$1')
      .split(/[:/]/)[0] ?? '';
  const loopback = host === 'localhost' || host.startsWith('127.') || host === '::1';
  if (!endpoint || !(fromEnv || loopback)) {
    return new PubSub({ projectId: options.projectId, apiEndpoint: endpoint });
  }
  return new PubSub({
    projectId: options.projectId ?? process.env.PUBSUB_PROJECT_ID,
    apiEndpoint: endpoint,
    emulatorMode: true,
    universeDomain: 'googleapis.com',
  });
}

/**
 * `storage: { module: '@lakerunner/storage-gcs', options: { bucket, projectId?, apiEndpoint?,
 * subscription?, pubsubApiEndpoint?, … } }`: a Google Cloud Storage bucket as the bucket, and a
 * Pub/Sub subscription on the topic its notifications go to as the source.
 */
export const gcsStorageAdapter = defineStorageAdapter<GcsAdapterOptions>({
  name: '@lakerunner/storage-gcs',
  options: gcsAdapterOptions,
  async create(raw, context) {
    const options = gcsAdapterOptions.parse(raw);
    // The client's requests have no timeout by default (its documented 60 s is overridden by
    // an unset option); a store that stops answering must fail as an outage (and be retried)
    // instead of holding a worker.
    const requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
    const storage = new Storage({
      projectId: options.projectId,
      apiEndpoint: options.apiEndpoint,
      timeout: requestTimeoutMs,
    });
    const store = createGcsStore({
      storage,
      bucket: options.bucket,
      resumableThresholdBytes: options.resumableThresholdBytes,
      requestTimeoutMs,
    });
    const sources: NotificationSource[] = [];
    if (options.subscription) {
      sources.push(
        createPubSubSource({
          pubsub: createPubSubClient({
            projectId: options.projectId ?? projectOf(options.subscription),
            apiEndpoint: options.pubsubApiEndpoint,
          }),
          subscriptionName: options.subscription,
          store,
          maxMessages: options.maxMessages,
          ackDeadlineSeconds: options.ackDeadlineSeconds,
          log: context?.log ?? silentLogger,
          metrics: context?.metrics,
        }),
      );
    }
    return { store, sources };
  },
});
