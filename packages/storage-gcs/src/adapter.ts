import { PubSub } from '@google-cloud/pubsub';
import { Storage } from '@google-cloud/storage';
import { defineStorageAdapter, type NotificationSource, silentLogger } from '@lakerunner/core';
import { parseGcsAdapterOptions } from './adapter-options.js';
import { createGcsStore } from './gcs-store.js';
import { createPubSubSource } from './pubsub-source.js';

/** The project a full subscription name (projects/P/subscriptions/S) names. */
const projectOf = (subscription: string) =>
  /^projects\/([^/]+)\/subscriptions\/[^/]+$/.exec(subscription)?.[1];

/**
 * A Pub/Sub client. For an endpoint that is not Google's (an emulator, as the client library
 * itself tells them apart) it speaks plain gRPC, and is told the universe domain so that it
 * never probes for credentials (or the GCE metadata server) that an emulator does not need.
 */
export function createPubSubClient(options: { projectId?: string; apiEndpoint?: string }): PubSub {
  const endpoint = options.apiEndpoint ?? process.env.PUBSUB_EMULATOR_HOST;
  const host = endpoint?.replace(/^https?:\/\//, '').split(/[:/]/)[0];
  if (!endpoint || host?.endsWith('googleapis.com')) {
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
export const gcsStorageAdapter = defineStorageAdapter({
  name: '@lakerunner/storage-gcs',
  async create(raw, context) {
    const options = parseGcsAdapterOptions(raw);
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
