import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutBucketNotificationConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createPgliteCatalog } from '../../packages/catalog-postgres/src/index.js';
import { createS3Store } from '../../packages/storage-s3/src/index.js';
import { testDeployment } from '../support/deployment.js';
import { ServiceProcess } from '../support/processes.js';
import { segmentRows } from '../support/segments.js';
import { until } from '../support/wait.js';

const brokers = inject('kafkaBrokers');
const endpoint = inject('motoEndpoint');
const credentials = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' };
const aws = {
  region: 'us-east-1',
  endpoint,
  credentials: {
    accessKeyId: credentials.AWS_ACCESS_KEY_ID,
    secretAccessKey: credentials.AWS_SECRET_ACCESS_KEY,
  },
};

/**
 * `lakerunner run --all` with the S3 adapter chosen by config: objects put into a bucket reach
 * the lake through the bucket's own notification configuration → SQS → pubsub → Kafka → ingest,
 * and the lake's segments are written back to the same bucket. An identical re-upload adds no
 * rows; a removal ingests nothing.
 */
describe('lakerunner run --all on S3 + SQS (moto) with PGlite', () => {
  let service: ServiceProcess | undefined;
  afterAll(async () => {
    await service?.kill('SIGKILL');
  });

  it('ingests objects announced through SQS, exactly once, into segments in the same bucket', async () => {
    const d = await testDeployment(brokers, 's3-e2e');
    const bucket = `lake-${d.prefix.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`.slice(0, 63);
    const s3 = new S3Client({ ...aws, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const sqs = new SQSClient(aws);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${bucket}-events` }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: bucket,
        NotificationConfiguration: {
          QueueConfigurations: [
            {
              QueueArn: Attributes?.QueueArn,
              Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'],
              // Only raw telemetry: the lake's own segments land in the same bucket.
              Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'otel-raw/' }] } },
            },
          ],
        },
      }),
    );

    const data = mkdtempSync(join(tmpdir(), 'lakerunner-s3-e2e-'));
    writeFileSync(
      join(d.dir, 'lakerunner.yaml'),
      [
        `kafka: { brokers: [${brokers.join(', ')}] }`,
        `kafkaTopics: { topicPrefix: ${d.prefix} }`,
        "plugins: ['@lakerunner/plugin-logs']",
        'storage:',
        "  module: '@lakerunner/storage-s3'",
        `  options: { bucket: ${bucket}, endpoint: '${endpoint}', forcePathStyle: true, queueUrl: '${QueueUrl}', sqsEndpoint: '${endpoint}', waitTimeSeconds: 1 }`,
        `catalog: { options: { dataDir: ${JSON.stringify(join(data, 'catalog'))} } }`,
        'runtime: { boxerFlushIntervalMs: 200 }',
        '',
      ].join('\n'),
    );
    service = new ServiceProcess(['--all'], d.dir, credentials);
    service.start();
    await until('the services', () => service?.log.includes('"msg":"running"'), 90_000);

    const store = createS3Store({ client: s3, bucket, ownsClient: false });
    const lines = (n: number, from: number) =>
      Array.from({ length: n }, (_, i) =>
        JSON.stringify({
          ts: Date.UTC(2026, 10, 28, 9) + (from + i) * 1000,
          level: 'info',
          message: `m${from + i}`,
        }),
      ).join('\n');
    await store.put('otel-raw/acme/c1/logs_1.jsonl', Buffer.from(lines(40, 0)));
    await store.put('otel-raw/acme/c1/logs_2.jsonl', Buffer.from(lines(20, 40)));
    // The same bytes again, and a removal: neither may add rows.
    await store.put('otel-raw/acme/c1/logs_1.jsonl', Buffer.from(lines(40, 0)));
    await store.put('otel-raw/acme/c1/tmp.jsonl', Buffer.from(lines(1, 100)));
    await store.delete('otel-raw/acme/c1/tmp.jsonl');

    const segmentKeys = async () => {
      const keys: string[] = [];
      for await (const o of store.list('lake/logs/')) keys.push(o.key);
      return keys;
    };
    await until('segments in the bucket', async () => (await segmentKeys()).length > 0, 90_000);
    await until(
      'the SQS queue to drain',
      async () => {
        const q = await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        );
        return (
          Number(q.Attributes?.ApproximateNumberOfMessages) +
            Number(q.Attributes?.ApproximateNumberOfMessagesNotVisible) ===
          0
        );
      },
      60_000,
    );
    // Give the pipeline time to write whatever it would still write, then stop it and count.
    await new Promise((r) => setTimeout(r, 5000));
    expect(await service.kill('SIGTERM')).toBe(0);

    const catalog = await createPgliteCatalog({ dataDir: join(data, 'catalog') });
    try {
      const live = await catalog.segments({ signal: 'logs', publishedOnly: true });
      const rows = await segmentRows(
        store,
        live.map((s) => s.objectKey),
      );
      const messages = rows
        .map((r) => r.body as string)
        .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
      // The tmp object may or may not have been read before its removal; nothing else may vary.
      expect(messages.filter((m) => m !== 'm100')).toEqual(Array.from({ length: 60 }, (_, i) => `m${i}`));
      expect(await catalog.failures()).toEqual([]);
    } finally {
      await catalog.close();
    }
  }, 240_000);
});
