import { CreateBucketCommand, PutBucketNotificationConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { NotificationSource, ObjectEvent } from '../../packages/core/src/index.js';
import { createS3Store, createSqsSource } from '../../packages/storage-s3/src/index.js';
import { notificationSourceConformance } from '../conformance/notification-source.js';
import { objectStoreConformance } from '../conformance/object-store.js';
import { until } from '../support/wait.js';

/**
 * The S3 adapter against moto's server (S3 and SQS in one process, as AWS links them): the
 * object store conformance suite, and the notification path bucket → SQS → source with a real
 * bucket notification configuration, nothing faked.
 */
const endpoint = inject('motoEndpoint');
const aws = { region: 'us-east-1', endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
let names = 0;
const unique = (label: string) => `${label}-${Date.now().toString(36)}-${++names}`;
const s3 = () => new S3Client({ ...aws, forcePathStyle: true });

async function bucketWithQueue() {
  const bucket = unique('lake');
  const client = s3();
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  const sqs = new SQSClient(aws);
  const queue = await sqs.send(new CreateQueueCommand({ QueueName: unique('events') }));
  const queueUrl = queue.QueueUrl as string;
  const arn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes?.QueueArn;
  await client.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: bucket,
      NotificationConfiguration: {
        QueueConfigurations: [{ QueueArn: arn, Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'] }],
      },
    }),
  );
  const store = createS3Store({ client, bucket });
  return { bucket, store, sqs, queueUrl };
}

/** Messages the queue still holds, visible or in flight. */
async function pending(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes?.ApproximateNumberOfMessages) +
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible)
  );
}

objectStoreConformance('storage-s3 (moto)', async () => {
  const client = s3();
  const bucket = unique('conformance');
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return createS3Store({ client, bucket });
});

notificationSourceConformance('storage-s3 SQS source (moto)', async () => {
  const env = await bucketWithQueue();
  return {
    store: env.store,
    makeSource: () =>
      createSqsSource({
        client: new SQSClient(aws),
        queueUrl: env.queueUrl,
        store: env.store,
        waitTimeSeconds: 1,
        visibilityTimeoutSeconds: 10,
      }),
    sendGarbage: async () => {
      await env.sqs.send(new SendMessageCommand({ QueueUrl: env.queueUrl, MessageBody: 'not json at all' }));
    },
    close: async () => env.store.close?.(),
  };
});

describe('storage-s3: SQS notifications from a real bucket notification configuration (moto)', () => {
  let env: Awaited<ReturnType<typeof bucketWithQueue>>;
  let source: NotificationSource | undefined;
  const events: ObjectEvent[] = [];

  beforeAll(async () => {
    env = await bucketWithQueue();
    source = createSqsSource({
      client: new SQSClient(aws),
      queueUrl: env.queueUrl,
      store: env.store,
      waitTimeSeconds: 1,
      visibilityTimeoutSeconds: 10,
    });
    await source.start(async (event) => {
      events.push(event);
    });
  });
  afterAll(async () => {
    await source?.stop();
    await env.store.close?.();
  });

  const keys = () => events.map((e) => e.key);

  it('announces a created object with its size and the version the store reports, then deletes the message', async () => {
    const put = await env.store.put('otel-raw/acme/logs 1é.json', Buffer.from('{"a":1}\n'));
    await until('the event', () => keys().includes('otel-raw/acme/logs 1é.json'), 20_000);
    expect(events.find((e) => e.key === 'otel-raw/acme/logs 1é.json')).toEqual({
      bucket: env.bucket,
      key: 'otel-raw/acme/logs 1é.json',
      size: 8,
      version: put.version,
    });
    // The s3:TestEvent sent when the configuration was put, and this message, are both gone.
    await until('an empty queue', async () => (await pending(env.sqs, env.queueUrl)) === 0, 20_000);
  });

  it('ingests nothing from events for another bucket', async () => {
    const before = events.length;
    await env.sqs.send(
      new SendMessageCommand({
        QueueUrl: env.queueUrl,
        MessageBody: JSON.stringify({
          Records: [
            {
              eventName: 'ObjectCreated:Put',
              s3: { bucket: { name: 'someone-elses' }, object: { key: 'x.json', size: 1, eTag: 'e' } },
            },
          ],
        }),
      }),
    );
    // A marker after them: once it is announced, the others were handled.
    await env.store.put('otel-raw/acme/marker.json', Buffer.from('{}\n'));
    await until('the marker', () => keys().includes('otel-raw/acme/marker.json'), 20_000);
    await until('an empty queue', async () => (await pending(env.sqs, env.queueUrl)) === 0, 20_000);
    expect(events.slice(before).map((e) => e.key)).toEqual(['otel-raw/acme/marker.json']);
  });

  it('an object deleted before its event is read is skipped', async () => {
    await source?.stop();
    await env.store.put('otel-raw/acme/gone.json', Buffer.from('{}\n'));
    await env.store.delete('otel-raw/acme/gone.json');
    await env.store.put('otel-raw/acme/after-gone.json', Buffer.from('{}\n'));
    source = createSqsSource({
      client: new SQSClient(aws),
      queueUrl: env.queueUrl,
      store: env.store,
      waitTimeSeconds: 1,
      visibilityTimeoutSeconds: 10,
    });
    await source.start(async (event) => {
      events.push(event);
    });
    await until('the later object', () => keys().includes('otel-raw/acme/after-gone.json'), 20_000);
    await until('an empty queue', async () => (await pending(env.sqs, env.queueUrl)) === 0, 20_000);
    expect(keys()).not.toContain('otel-raw/acme/gone.json');
  });

  it('an identical re-upload is announced with the same version, a changed one with another', async () => {
    const key = 'otel-raw/acme/same.json';
    const announced = async (n: number) => {
      await until(`event ${n} of ${key}`, () => keys().filter((k) => k === key).length === n, 20_000);
      return events.filter((e) => e.key === key).at(-1)?.version;
    };
    const first = await env.store.put(key, Buffer.from('{"same":1}\n'));
    expect(await announced(1)).toBe(first.version);
    await env.store.put(key, Buffer.from('{"same":1}\n'));
    expect(await announced(2)).toBe(first.version);
    const changed = await env.store.put(key, Buffer.from('{"same":2}\n'));
    expect(changed.version).not.toBe(first.version);
    expect(await announced(3)).toBe(changed.version);
  });
});

/**
 * The same contract against real S3 when the environment names a bucket to use (and the SDK's
 * default chain finds credentials): LAKERUNNER_TEST_S3_BUCKET, optionally AWS_REGION.
 */
const realBucket = process.env.LAKERUNNER_TEST_S3_BUCKET;
if (realBucket) {
  objectStoreConformance(`storage-s3 (AWS bucket ${realBucket})`, async () =>
    createS3Store({
      client: new S3Client({ region: process.env.AWS_REGION ?? 'us-east-1' }),
      bucket: realBucket,
    }),
  );
} else {
  describe.skip('storage-s3 on real AWS: set LAKERUNNER_TEST_S3_BUCKET (and AWS credentials) to run', () => {
    it('object store conformance', () => {});
  });
}
