import { CreateBucketCommand, PutBucketNotificationConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createS3Store } from '../../../packages/storage-s3/src/index.js';
import type { StoreUnderTest } from './store-under-test.js';

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/**
 * A bucket and a queue on moto, linked by a real bucket notification configuration for the raw
 * prefix (the lake's segments land in the same bucket), as an operator would set them up on AWS.
 */
export async function provisionS3(endpoint: string, name: string): Promise<StoreUnderTest> {
  const aws = { region: 'us-east-1', endpoint, credentials: CREDENTIALS };
  const bucket = name
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 63);
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
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'otel-raw/' }] } },
          },
        ],
      },
    }),
  );
  return {
    options: {
      bucket,
      endpoint,
      forcePathStyle: true,
      queueUrl: QueueUrl,
      sqsEndpoint: endpoint,
      waitTimeSeconds: 1,
    },
    env: {
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_REGION: 'us-east-1',
    },
    store: createS3Store({ client: s3, bucket }),
    async pending() {
      const q = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      return (
        Number(q.Attributes?.ApproximateNumberOfMessages) +
        Number(q.Attributes?.ApproximateNumberOfMessagesNotVisible)
      );
    },
  };
}
