// A bucket on fake-gcs-server and a topic and a subscription on pstest for one lakerunner
// deployment, made with the Google Cloud SDKs only (not the repo's packages), so the tests and the
// demo can provision without a build.
import { PubSub } from '@google-cloud/pubsub';
import { Storage } from '@google-cloud/storage';

/**
 * GCS (fake-gcs-server) and Pub/Sub (pstest) emulators; fake-gcs-server publishes to `topic`.
 * @typedef {object} GcsEmulators
 * @property {string} endpoint The Storage client's apiEndpoint.
 * @property {string} pubsubHost The Pub/Sub client's apiEndpoint (host:port), as PUBSUB_EMULATOR_HOST would say.
 * @property {string} projectId
 * @property {string} topic Where fake-gcs-server publishes every bucket's finalize and delete notifications.
 * @property {string | null} pubsubAdmin Our pstest's `GET /unacked?topic=…` (messages of a topic no subscriber acknowledged yet), null for emulators the repo's script did not start.
 */

/**
 * What a deployment on the provisioned bucket needs, and the clients that reach it.
 * @typedef {object} ProvisionedGcs
 * @property {{ bucket: string, projectId: string, apiEndpoint: string, subscription: string, pubsubApiEndpoint: string, ackDeadlineSeconds: number }} options The `storage.options` of the storage-gcs adapter.
 * @property {{}} env Nothing: the emulators need no credentials (on Google Cloud they come from ADC, never the file).
 * @property {(() => Promise<number>) | undefined} pending Notifications not acknowledged yet; undefined when the emulators cannot tell (not ours).
 * @property {string} bucket
 * @property {string} topic The topic's full name (projects/P/topics/T).
 * @property {string} subscription The subscription's short name, as the options give it.
 * @property {Storage} storage
 */

/**
 * A bucket named after `label` (within GCS's naming rules) on fake-gcs-server, a topic
 * `<bucket>-events` and a subscription `<bucket>-lakerunner` on pstest, linked by a real
 * notification configuration for the raw prefix (the lake's segments land in the same bucket and
 * must not be announced), as an operator would set them up with
 * `gcloud storage buckets notifications create`.
 * @param {GcsEmulators} gcs
 * @param {string} label
 * @returns {Promise<ProvisionedGcs>}
 */
export async function provisionGcs(gcs, label) {
  const bucket = label
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, 50)
    .replace(/-+$/, '');
  const subscription = `${bucket}-lakerunner`;
  const storage = new Storage({ apiEndpoint: gcs.endpoint, projectId: gcs.projectId });
  await storage.createBucket(bucket);
  // pstest speaks plain gRPC; the universe domain keeps the client from probing for credentials
  // (or the GCE metadata server) it does not need.
  const pubsub = new PubSub({
    projectId: gcs.projectId,
    apiEndpoint: gcs.pubsubHost,
    emulatorMode: true,
    universeDomain: 'googleapis.com',
  });
  let topic;
  try {
    [topic] = await pubsub.createTopic(`${bucket}-events`);
    await topic.createSubscription(subscription, { ackDeadlineSeconds: 10 });
  } finally {
    await pubsub.close();
  }
  const topicName = topic.name;
  await storage.bucket(bucket).createNotification(topicName, {
    payloadFormat: 'JSON_API_V1',
    objectNamePrefix: 'otel-raw/',
  });
  const admin = gcs.pubsubAdmin;
  return {
    options: {
      bucket,
      projectId: gcs.projectId,
      apiEndpoint: gcs.endpoint,
      subscription,
      pubsubApiEndpoint: gcs.pubsubHost,
      ackDeadlineSeconds: 10,
    },
    env: {},
    // The topic has this one subscription: what it has not acknowledged is still pending.
    pending: admin
      ? async () => {
          const res = await fetch(`${admin}/unacked?topic=${encodeURIComponent(topicName)}`);
          return (await res.json()).unacked;
        }
      : undefined,
    bucket,
    topic: topicName,
    subscription,
    storage,
  };
}
