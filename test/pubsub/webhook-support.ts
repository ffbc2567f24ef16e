import {
  buildTopicRegistry,
  configSchema,
  createKafkaClient,
  createMessageProducer,
  createPubsub,
  createWebhookSource,
  type LogFields,
  type Logger,
  type MessageProducer,
  type PubsubService,
  type WebhookSource,
  type WebhookSourceOptions,
} from '../../packages/core/src/index.js';
import { logsPlugin } from '../../packages/plugin-logs/src/index.js';
import { type TestDeployment, testDeployment } from '../support/deployment.js';

/** A webhook in front of a real pubsub on the test broker, with its own topics. */
export const SECRET = 'a-shared-secret-of-some-length';

export interface LoggedLine {
  level: keyof Logger;
  message: string;
  fields: LogFields;
}

export interface WebhookHarness {
  d: TestDeployment;
  webhook: WebhookSource;
  pubsub: PubsubService;
  producer: MessageProducer;
  logged: LoggedLine[];
  url: string;
  post(body: unknown, init?: { secret?: string; headers?: Record<string, string> }): Promise<Response>;
  /** Notifications on the logs ingest topic, read from the beginning until `atLeast` arrived. */
  published(atLeast: number, timeoutMs?: number): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

export async function startWebhook(
  brokers: string[],
  label: string,
  options: Omit<WebhookSourceOptions, 'port' | 'secret' | 'log'> = {},
): Promise<WebhookHarness> {
  const d = await testDeployment(brokers, label, { partitions: 1 });
  const producer = await createMessageProducer(
    createKafkaClient(configSchema.parse({ kafka: { brokers } }).kafka),
  );
  const logged: LoggedLine[] = [];
  const line =
    (level: keyof Logger) =>
    (message: string, fields: LogFields = {}) =>
      void logged.push({ level, message, fields });
  const log: Logger = { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
  const webhook = createWebhookSource({ port: 0, secret: SECRET, log, ...options });
  const pubsub = createPubsub({
    registry: buildTopicRegistry([logsPlugin], d.prefix),
    plugins: [logsPlugin],
    sources: [webhook],
    producer,
    lakePrefix: 'lake',
  });
  await pubsub.start();
  const url = `http://127.0.0.1:${webhook.port()}/notifications`;
  let readers = 0;
  return {
    d,
    webhook,
    pubsub,
    producer,
    logged,
    url,
    post: (body, init = {}) =>
      fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${init.secret ?? SECRET}`,
          'content-type': 'application/json',
          ...init.headers,
        },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    async published(atLeast, timeoutMs = 20_000) {
      const consumer = d.kafka.consumer({ groupId: `${d.prefix}-check-${readers++}` });
      const seen: Record<string, unknown>[] = [];
      await consumer.connect();
      try {
        await consumer.subscribe({ topic: d.topic('objstore.ingest.logs'), fromBeginning: true });
        await consumer.run({
          eachMessage: async ({ message }) => void seen.push(JSON.parse(message.value?.toString() ?? '')),
        });
        const deadline = Date.now() + timeoutMs;
        while (seen.length < atLeast && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      } finally {
        await consumer.disconnect();
      }
      return seen;
    },
    async stop() {
      await pubsub.stop();
      await producer.close();
    },
  };
}

/** An S3 event notification of ObjectCreated:Put records. */
export const created = (records: { key: string; bucket?: string; size?: number; etag?: string }[]) => ({
  Records: records.map((r) => ({
    eventName: 'ObjectCreated:Put',
    s3: {
      bucket: { name: r.bucket ?? 'raw' },
      object: { key: r.key, size: r.size ?? 10, eTag: r.etag ?? 'abc' },
    },
  })),
});

/** The `message` of a webhook answer. */
export const messageOf = async (res: Response) => ((await res.json()) as { message: string }).message;
