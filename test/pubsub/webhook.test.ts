import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  buildTopicRegistry,
  configSchema,
  createKafkaClient,
  createMessageProducer,
  createPubsub,
  createWebhookSource,
  type MessageProducer,
  type PubsubService,
  type WebhookSource,
} from '../../packages/core/src/index.js';
import { logsPlugin } from '../../packages/plugin-logs/src/index.js';
import { type TestDeployment, testDeployment } from '../support/deployment.js';

const brokers = inject('kafkaBrokers');
const SECRET = 'a-shared-secret-of-some-length';

const s3Event = (records: { name: string; key: string; size?: number; etag?: string }[]) => ({
  Records: records.map((r) => ({
    eventName: r.name,
    s3: { bucket: { name: 'raw' }, object: { key: r.key, size: r.size ?? 10, eTag: r.etag ?? 'abc' } },
  })),
});

describe('pubsub webhook source (real Kafka)', () => {
  let d: TestDeployment;
  let webhook: WebhookSource;
  let pubsub: PubsubService;
  let producer: MessageProducer;
  const post = (body: unknown, secret = SECRET) =>
    fetch(`http://127.0.0.1:${webhook.port()}/notifications`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    d = await testDeployment(brokers, 'webhook');
    producer = await createMessageProducer(
      createKafkaClient(configSchema.parse({ kafka: { brokers } }).kafka),
    );
    webhook = createWebhookSource({ port: 0, secret: SECRET });
    pubsub = createPubsub({
      registry: buildTopicRegistry([logsPlugin], d.prefix),
      plugins: [logsPlugin],
      sources: [webhook],
      producer,
      lakePrefix: 'lake',
    });
    await pubsub.start();
  });
  afterAll(async () => {
    await pubsub.stop();
  });

  it('publishes created objects (URL-decoded keys) after Kafka acknowledged them; skips removals', async () => {
    const res = await post(
      s3Event([
        { name: 'ObjectCreated:Put', key: 'otel-raw/acme/c1/logs_a+b%3D1.jsonl', size: 42, etag: 'e1' },
        { name: 'ObjectRemoved:Delete', key: 'otel-raw/acme/c1/logs_gone.jsonl' },
      ]),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ message: 'accepted 1 object(s)' });
    expect(webhook.counts()).toMatchObject({ accepted: 1, 'ignored ObjectRemoved:Delete': 1 });

    const consumer = d.kafka.consumer({ groupId: `${d.prefix}-check` });
    const seen: Record<string, unknown>[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: d.topic('objstore.ingest.logs'), fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => void seen.push(JSON.parse(message.value?.toString() ?? '')),
    });
    const deadline = Date.now() + 20_000;
    while (seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await consumer.disconnect();
    expect(seen).toEqual([
      expect.objectContaining({
        type: 'object',
        org: 'acme',
        signal: 'logs',
        collector: 'c1',
        bucket: 'raw',
        key: 'otel-raw/acme/c1/logs_a b=1.jsonl',
        size: 42,
        version: 'e1',
      }),
    ]);
  });

  it('counts unroutable objects instead of dropping them silently', async () => {
    const res = await post(s3Event([{ name: 'ObjectCreated:Put', key: 'somewhere/else.json' }]));
    expect(res.status).toBe(200);
    expect(pubsub.stats().skipped).toMatchObject({ 'no route matches the key': 1 });
  });

  it('accepts SNS-wrapped events and the S3 test event', async () => {
    const wrapped = {
      Type: 'Notification',
      Message: JSON.stringify(
        s3Event([{ name: 'ObjectCreated:Copy', key: 'otel-raw/acme/c1/logs_sns.jsonl' }]),
      ),
    };
    expect((await post(wrapped)).status).toBe(200);
    expect((await post({ Event: 's3:TestEvent', Bucket: 'raw' })).status).toBe(200);
  });

  it('rejects a wrong secret (401) and a body that is not an S3 event (400)', async () => {
    expect((await post(s3Event([]), 'wrong-secret-wrong-secret')).status).toBe(401);
    expect((await post('not json')).status).toBe(400);
    expect((await post({ hello: 'world' })).status).toBe(400);
  });

  it('answers 503 when the notification could not reach Kafka, so the sender retries', async () => {
    await producer.close();
    const res = await post(s3Event([{ name: 'ObjectCreated:Put', key: 'otel-raw/acme/c1/logs_late.jsonl' }]));
    expect(res.status).toBe(503);
  });
});
