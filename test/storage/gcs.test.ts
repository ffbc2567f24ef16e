import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createRuntimeMetrics,
  type NotificationSource,
  type ObjectEvent,
  type ObjectStore,
} from '../../packages/core/src/index.js';
import {
  createGcsStore,
  createPubSubClient,
  createPubSubSource,
  gcsStorageAdapter,
} from '../../packages/storage-gcs/src/index.js';
import { notificationSourceConformance } from '../conformance/notification-source.js';
import { objectStoreConformance } from '../conformance/object-store.js';
import { until } from '../support/wait.js';
import { codeOf, counterValue, recordingLogger } from './support.js';

/**
 * The GCS adapter against fake-gcs-server, which publishes its object notifications to pstest
 * (the Pub/Sub fake of Google's Go client): the object store conformance suite, and the
 * notification path bucket → Pub/Sub topic → subscription → source, with real notification
 * configurations (`bucket.createNotification`, as `gcloud storage buckets notifications create`
 * makes them) and with the server-wide topic every bucket publishes to. Nothing is faked
 * between the bucket and the source.
 */
const gcs = inject('gcs');
const storage = new Storage({ apiEndpoint: gcs.endpoint, projectId: gcs.projectId });
const pubsub = () => createPubSubClient({ projectId: gcs.projectId, apiEndpoint: gcs.pubsubHost });
let names = 0;
const unique = (label: string) => `${label}-${Date.now().toString(36)}-${++names}`;

async function newBucket(label: string) {
  const name = unique(label);
  await storage.createBucket(name);
  return name;
}

/** A topic of its own and a subscription on it, created before anything is published. */
async function topicWithSubscription(client = pubsub()) {
  const [topic] = await client.createTopic(unique('events'));
  const [subscription] = await topic.createSubscription(unique('lakerunner'), { ackDeadlineSeconds: 10 });
  return { topic, subscriptionName: subscription.name };
}

/** A bucket whose notification configuration publishes to a topic of its own. */
async function bucketWithNotifications(payloadFormat: 'JSON_API_V1' | 'NONE' = 'JSON_API_V1') {
  const client = pubsub();
  const bucket = await newBucket('lake');
  const { topic, subscriptionName } = await topicWithSubscription(client);
  await storage.bucket(bucket).createNotification(topic.name, { payloadFormat });
  const store = createGcsStore({ storage, bucket });
  return { bucket, store, topic, subscriptionName, client };
}

const source = (subscriptionName: string, store: ObjectStore, extra: Record<string, unknown> = {}) =>
  createPubSubSource({ pubsub: pubsub(), subscriptionName, store, ackDeadlineSeconds: 10, ...extra });

objectStoreConformance('storage-gcs (fake-gcs-server)', async () =>
  createGcsStore({ storage, bucket: await newBucket('conformance') }),
);

notificationSourceConformance('storage-gcs Pub/Sub source (fake-gcs-server → pstest)', async () => {
  const env = await bucketWithNotifications();
  return {
    store: env.store,
    makeSource: () => source(env.subscriptionName, env.store),
    sendGarbage: async () => {
      await env.topic.publishMessage({ data: Buffer.from('not json at all') });
    },
    close: async () => {
      await env.store.close?.();
      await env.client.close();
    },
  };
});

describe('storage-gcs: notifications on the server-wide topic every bucket publishes to', () => {
  const metrics = createRuntimeMetrics();
  const events: ObjectEvent[] = [];
  let store: ObjectStore;
  let other: ObjectStore;
  let subscriptionName: string;
  let running: NotificationSource | undefined;
  const keys = () => events.map((e) => e.key);
  const start = async () => {
    running = source(subscriptionName, store, { metrics });
    await running.start(async (event) => {
      events.push(event);
    });
  };

  beforeAll(async () => {
    // fake-gcs-server publishes every bucket's finalize and delete events to gcs.topic; this
    // subscription sees those of the other tests' buckets too, as a shared topic would.
    const [subscription] = await pubsub()
      .topic(gcs.topic)
      .createSubscription(unique('shared'), { ackDeadlineSeconds: 10 });
    subscriptionName = subscription.name;
    store = createGcsStore({ storage, bucket: await newBucket('lake') });
    other = createGcsStore({ storage, bucket: await newBucket('someone-elses') });
    await start();
  });
  afterAll(async () => {
    await running?.stop();
  });

  it('announces a created object with its size and the version the store reports', async () => {
    const put = await store.put('otel-raw/acme/logs 1é+x.json', Buffer.from('{"a":1}\n'));
    await until('the event', () => keys().includes('otel-raw/acme/logs 1é+x.json'), 20_000);
    expect(events.find((e) => e.key === 'otel-raw/acme/logs 1é+x.json')).toEqual({
      bucket: store.bucket,
      key: 'otel-raw/acme/logs 1é+x.json',
      size: 8,
      version: put.version,
    });
    expect(put.version).toBe(createHash('md5').update('{"a":1}\n').digest('base64'));
  });

  it('ingests nothing from another bucket publishing to the same topic', async () => {
    const before = events.length;
    const skipped = await counterValue(metrics.sourceSkipped, {
      source: 'gcs-pubsub',
      reason: 'unknown bucket',
    });
    await other.put('otel-raw/acme/theirs.json', Buffer.from('{}\n'));
    // A marker after it: once it is announced, the other bucket's event was handled.
    await store.put('otel-raw/acme/marker.json', Buffer.from('{}\n'));
    await until('the marker', () => keys().includes('otel-raw/acme/marker.json'), 20_000);
    await until(
      'the other bucket counted',
      async () =>
        (await counterValue(metrics.sourceSkipped, { source: 'gcs-pubsub', reason: 'unknown bucket' })) >
        skipped,
      20_000,
    );
    expect(events.slice(before).map((e) => e.key)).toEqual(['otel-raw/acme/marker.json']);
  });

  it('an object deleted before its event is read is skipped', async () => {
    await running?.stop();
    await store.put('otel-raw/acme/gone.json', Buffer.from('{}\n'));
    await store.delete('otel-raw/acme/gone.json');
    await store.put('otel-raw/acme/after-gone.json', Buffer.from('{}\n'));
    await start();
    await until('the later object', () => keys().includes('otel-raw/acme/after-gone.json'), 20_000);
    await until(
      'the gone object counted',
      async () =>
        (await counterValue(metrics.sourceSkipped, { source: 'gcs-pubsub', reason: 'object gone' })) > 0,
      20_000,
    );
    expect(keys()).not.toContain('otel-raw/acme/gone.json');
  });

  it('an identical re-upload is announced with the same version, a changed one with another', async () => {
    const key = 'otel-raw/acme/same.json';
    const announced = async (n: number) => {
      await until(`event ${n} of ${key}`, () => keys().filter((k) => k === key).length === n, 20_000);
      return events.filter((e) => e.key === key).at(-1)?.version;
    };
    const first = await store.put(key, Buffer.from('{"same":1}\n'));
    expect(await announced(1)).toBe(first.version);
    const again = await store.put(key, Buffer.from('{"same":1}\n'));
    expect(again.version).toBe(first.version);
    expect(await announced(2)).toBe(first.version);
    const changed = await store.put(key, Buffer.from('{"same":2}\n'));
    expect(changed.version).not.toBe(first.version);
    expect(await announced(3)).toBe(changed.version);
    // Each overwrite also published OBJECT_DELETE for the generation it replaced.
    expect(
      await counterValue(metrics.sourceSkipped, { source: 'gcs-pubsub', reason: 'not a create event' }),
    ).toBeGreaterThanOrEqual(2);
  });
});

describe('storage-gcs specifics', () => {
  it('reads notifications without a payload (payloadFormat NONE) through store.head', async () => {
    const env = await bucketWithNotifications('NONE');
    const events: ObjectEvent[] = [];
    const s = source(env.subscriptionName, env.store);
    await s.start(async (e) => {
      events.push(e);
    });
    try {
      const put = await env.store.put('otel-raw/bare.json', Buffer.from('{"bare":true}\n'));
      await until('the event', () => events.length > 0, 20_000);
      expect(events).toEqual([
        { bucket: env.bucket, key: 'otel-raw/bare.json', size: 14, version: put.version },
      ]);
    } finally {
      await s.stop();
      await env.client.close();
    }
  });

  it('logs, counts and acknowledges a message that is no notification, quoting it', async () => {
    const env = await bucketWithNotifications();
    const metrics = createRuntimeMetrics();
    const recorder = recordingLogger();
    const events: ObjectEvent[] = [];
    const s = source(env.subscriptionName, env.store, { metrics, log: recorder.log });
    await s.start(async (e) => {
      events.push(e);
    });
    try {
      await env.topic.publishMessage({
        data: Buffer.from('{"hello":"world"}'),
        attributes: { eventType: 'OBJECT_FINALIZE', objectId: 'a/../../etc/passwd', bucketId: env.bucket },
      });
      await until(
        'the message counted',
        async () =>
          (await counterValue(metrics.sourceSkipped, { source: 'gcs-pubsub', reason: 'invalid message' })) ===
          1,
        20_000,
      );
      const line = recorder.lines.find((l) => l.level === 'error');
      expect(line?.fields).toMatchObject({
        data: '{"hello":"world"}',
        reason: expect.stringMatching(/\.\./),
      });
      expect(events).toEqual([]);
    } finally {
      await s.stop();
      await env.client.close();
    }
    // Acknowledged: a new reader of the subscription does not get it again.
    const again: ObjectEvent[] = [];
    const metricsAgain = createRuntimeMetrics();
    const next = source(env.subscriptionName, env.store, { metrics: metricsAgain });
    await next.start(async (e) => {
      again.push(e);
    });
    await env.store.put('otel-raw/after.json', Buffer.from('{}\n'));
    await until('the next object', () => again.length > 0, 20_000);
    await next.stop();
    expect(
      await counterValue(metricsAgain.sourceSkipped, { source: 'gcs-pubsub', reason: 'invalid message' }),
    ).toBe(0);
  });

  it('a subscription that does not exist yet is reported and retried until it does', async () => {
    const client = pubsub();
    const bucket = await newBucket('later');
    const store = createGcsStore({ storage, bucket });
    const [topic] = await client.createTopic(unique('events'));
    await storage.bucket(bucket).createNotification(topic.name, { payloadFormat: 'JSON_API_V1' });
    const recorder = recordingLogger();
    const events: ObjectEvent[] = [];
    const name = unique('later');
    const s = source(name, store, { log: recorder.log });
    await s.start(async (e) => {
      events.push(e);
    });
    try {
      await until('the failure reported', () => recorder.lines.some((l) => l.level === 'error'), 20_000);
      await topic.createSubscription(name, { ackDeadlineSeconds: 10 });
      const put = await store.put('otel-raw/late.json', Buffer.from('{}\n'));
      await until('the object', () => events.length > 0, 30_000);
      expect(events).toEqual([{ bucket, key: 'otel-raw/late.json', size: 3, version: put.version }]);
    } finally {
      await s.stop();
      await client.close();
    }
  });

  it('a stream over the threshold goes up resumably, with the version of the same bytes put at once', async () => {
    const bucket = await newBucket('resumable');
    const store = createGcsStore({ storage, bucket, resumableThresholdBytes: 256 * 1024 });
    const chunks = Array.from({ length: 12 }, () => randomBytes(100_000));
    const whole = await store.put('whole.bin', Buffer.concat(chunks));
    const streamed = await store.put('streamed.bin', Readable.from(chunks));
    expect(streamed).toMatchObject({ size: 1_200_000, version: whole.version });
    expect((await store.getBytes('streamed.bin')).equals(Buffer.concat(chunks))).toBe(true);
    // The precondition holds for resumable uploads too.
    expect(await codeOf(store.put('streamed.bin', Readable.from(chunks), { ifNoneMatch: true }))).toBe(
      'LR_STORAGE_PRECONDITION',
    );
  });

  it('the adapter validates its options and builds a store and a source from them', async () => {
    await expect(gcsStorageAdapter.create({} as never)).rejects.toThrow(/storage\.options\.bucket/);
    await expect(gcsStorageAdapter.create({ bucket: 'b', ackDeadlineSeconds: 5 })).rejects.toThrow(
      /ackDeadlineSeconds/,
    );
    await expect(gcsStorageAdapter.create({ bucket: 'b', pubsubApiEndpoint: 'not a host' })).rejects.toThrow(
      /pubsubApiEndpoint/,
    );
    const bucket = await newBucket('adapter');
    const { sources: none } = await gcsStorageAdapter.create({
      bucket,
      apiEndpoint: gcs.endpoint,
      projectId: gcs.projectId,
    });
    expect(none).toEqual([]);
    const { store, sources } = await gcsStorageAdapter.create({
      bucket,
      projectId: gcs.projectId,
      apiEndpoint: gcs.endpoint,
      subscription: 'lakerunner',
      pubsubApiEndpoint: gcs.pubsubHost,
    });
    expect(sources.map((s) => s.name)).toEqual([`gcs-pubsub:lakerunner`]);
    expect((await store.put('x.json', Buffer.from('{}'))).version).toBe(
      createHash('md5').update('{}').digest('base64'),
    );
  });
});

/**
 * The same contract against real Cloud Storage when the environment names a bucket to use (with
 * Application Default Credentials): LAKERUNNER_TEST_GCS_BUCKET.
 */
const realGcsBucket = process.env.LAKERUNNER_TEST_GCS_BUCKET;
if (realGcsBucket) {
  objectStoreConformance(`storage-gcs (Cloud Storage bucket ${realGcsBucket})`, async () =>
    createGcsStore({ storage: new Storage(), bucket: realGcsBucket }),
  );
} else {
  describe.skip('storage-gcs on real Cloud Storage: set LAKERUNNER_TEST_GCS_BUCKET (and credentials) to run', () => {
    it('object store conformance', () => {});
  });
}
