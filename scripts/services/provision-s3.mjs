// A bucket and a queue on moto (S3 + SQS) for one lakerunner deployment, made with the AWS SDK
// only (not the repo's packages), so the tests and the demo can provision without a build.
import { CreateBucketCommand, PutBucketNotificationConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';

/** moto accepts any static credentials; these are what the adapter's SDK finds in its environment. */
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const REGION = 'us-east-1';

/**
 * What a deployment on the provisioned bucket needs, and the clients that reach it.
 * @typedef {object} ProvisionedS3
 * @property {{ bucket: string, endpoint: string, forcePathStyle: boolean, queueUrl: string, sqsEndpoint: string, waitTimeSeconds: number }} options The `storage.options` of the storage-s3 adapter.
 * @property {{ AWS_ACCESS_KEY_ID: string, AWS_SECRET_ACCESS_KEY: string, AWS_REGION: string }} env The adapter's credentials: from the environment, never from the config file.
 * @property {() => Promise<number>} pending Notifications the queue still holds, visible or not.
 * @property {string} bucket
 * @property {string} queueUrl
 * @property {S3Client} s3 Path-style, as moto needs.
 * @property {SQSClient} sqs
 */

/**
 * A bucket named after `name` (within S3's naming rules) and a queue `<bucket>-events` on moto,
 * linked by a real bucket notification configuration for the raw prefix (the lake's segments land
 * in the same bucket and must not be announced), as an operator would set them up on AWS.
 * @param {string} endpoint moto's base URL
 * @param {string} name
 * @returns {Promise<ProvisionedS3>}
 */
export async function provisionS3(endpoint, name) {
  const aws = { region: REGION, endpoint, credentials: CREDENTIALS };
  const bucket = name
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 63);
  const s3 = new S3Client({ ...aws, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const sqs = new SQSClient(aws);
  const { QueueUrl: queueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${bucket}-events` }));
  if (!queueUrl) throw new Error(`moto at ${endpoint} created the queue ${bucket}-events without a URL`);
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
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
      queueUrl,
      sqsEndpoint: endpoint,
      waitTimeSeconds: 1,
    },
    env: {
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_REGION: REGION,
    },
    async pending() {
      const q = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      return (
        Number(q.Attributes?.ApproximateNumberOfMessages) +
        Number(q.Attributes?.ApproximateNumberOfMessagesNotVisible)
      );
    },
    bucket,
    queueUrl,
    s3,
    sqs,
  };
}
