import { Storage } from '@google-cloud/storage';
import { createGcsStore, createPubSubClient } from '../../../packages/storage-gcs/src/index.js';
import type { StoreUnderTest } from './store-under-test.js';

/** GCS (fake-gcs-server) and Pub/Sub (pstest) emulators; fake-gcs-server publishes to `topic`. */
export interface GcsEmulators {
  /** The Storage client's apiEndpoint. */
  endpoint: string;
  /** The Pub/Sub client's apiEndpoint (host:port), as PUBSUB_EMULATOR_HOST would say. */
  pubsubHost: string;
  projectId: string;
  /** Where fake-gcs-server publishes every bucket's finalize and delete notifications. */
  topic: string;
  /**
   * Our pstest's `GET /unacked?topic=…` (messages of a topic no subscriber acknowledged yet),
   * null for emulators this setup did not start.
   */
  pubsubAdmin: string | null;
}

/**
 * A bucket on fake-gcs-server, a topic and a subscription on pstest, linked by a real notification
 * configuration for the raw prefix (the lake's segments land in the same bucket), as an operator
 * would set them up with `gcloud storage buckets notifications create`.
 */
export async function provisionGcs(gcs: GcsEmulators, label: string): Promise<StoreUnderTest> {
  const bucket = label
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, 50)
    .replace(/-+$/, '');
  const storage = new Storage({ apiEndpoint: gcs.endpoint, projectId: gcs.projectId });
  await storage.createBucket(bucket);
  const pubsub = createPubSubClient({ projectId: gcs.projectId, apiEndpoint: gcs.pubsubHost });
  const [topic] = await pubsub.createTopic(`${bucket}-events`);
  await topic.createSubscription(`${bucket}-lakerunner`, { ackDeadlineSeconds: 10 });
  await pubsub.close();
  await storage.bucket(bucket).createNotification(topic.name, {
    payloadFormat: 'JSON_API_V1',
    objectNamePrefix: 'otel-raw/',
  });
  const admin = gcs.pubsubAdmin;
  return {
    options: {
      bucket,
      projectId: gcs.projectId,
      apiEndpoint: gcs.endpoint,
      subscription: `${bucket}-lakerunner`,
      pubsubApiEndpoint: gcs.pubsubHost,
      ackDeadlineSeconds: 10,
    },
    // The emulators need no credentials; on Google Cloud they come from ADC, never the file.
    env: {},
    store: createGcsStore({ storage, bucket }),
    // The topic has this one subscription: what it has not acknowledged is still pending.
    pending: admin
      ? async () => {
          const res = await fetch(`${admin}/unacked?topic=${encodeURIComponent(topic.name)}`);
          return ((await res.json()) as { unacked: number }).unacked;
        }
      : undefined,
  };
}
