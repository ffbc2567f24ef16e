import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import {
  backoffMs,
  handOverMessage,
  type Logger,
  type NotificationSource,
  type ObjectEvent,
  type ObjectStore,
  type RuntimeMetrics,
  silentLogger,
} from '@lakerunner/core';
import { parseSqsMessage } from './sqs-message.js';

const SOURCE = 'sqs';

export interface SqsSourceOptions {
  client: SQSClient;
  queueUrl: string;
  /**
   * The deployment's store: events for another bucket are not ingested, and size and version
   * come from `store.head` (an object deleted since is skipped). Without it events are trusted.
   */
  store?: ObjectStore;
  /** Long-poll wait per receive, 0–20 s (default 20). */
  waitTimeSeconds?: number;
  /** Messages per receive, 1–10 (default 10). */
  maxMessages?: number;
  /**
   * How long a received message stays invisible to other readers (default 60 s); extended while
   * its objects are being handed over, so a slow Kafka never makes two readers send one.
   */
  visibilityTimeoutSeconds?: number;
  /** Close the client on `stop()` (default true: the adapter made it). */
  ownsClient?: boolean;
  log?: Logger;
  metrics?: RuntimeMetrics;
}

/**
 * Object events from an SQS queue that S3 (directly, through SNS, or through EventBridge) sends
 * its notifications to. A message is deleted only after every object it names was handed over
 * (pubsub: Kafka acknowledged), or when it names none that can be ingested (a removal, a test
 * event, another bucket, an object gone since): each of those is logged and counted. A message
 * that is not an object event at all is deleted too, with an error log quoting it: no retry can
 * make it one. When handing over fails, the message is left for SQS to deliver again after a
 * growing delay; it is never deleted on failure, so a long Kafka outage loses nothing (within
 * the queue's retention).
 */
export function createSqsSource(options: SqsSourceOptions): NotificationSource {
  const log = options.log ?? silentLogger;
  const { client, queueUrl } = options;
  const wait = options.waitTimeSeconds ?? 20;
  const visibility = options.visibilityTimeoutSeconds ?? 60;
  let running: Promise<void> | undefined;
  let poll: AbortController | undefined;
  let stopping = false;

  /** Hands over one message's objects; resolving means it may be deleted. */
  const handle = (message: Message, onObject: (event: ObjectEvent) => Promise<void>) =>
    handOverMessage(
      {
        parse: () => parseSqsMessage(message.Body ?? ''),
        fields: { queueUrl, messageId: message.MessageId },
        excerpt: () => ({ body: (message.Body ?? '').slice(0, 500) }),
        store: options.store,
        source: SOURCE,
        log,
        metrics: options.metrics,
      },
      onObject,
    );

  /** Keeps `messages` invisible while they are handled. */
  function holdWhile(messages: Message[]): () => void {
    const timer = setInterval(
      () => {
        void client
          .send(
            new ChangeMessageVisibilityBatchCommand({
              QueueUrl: queueUrl,
              Entries: messages.map((m, i) => ({
                Id: String(i),
                ReceiptHandle: m.ReceiptHandle,
                VisibilityTimeout: visibility,
              })),
            }),
          )
          .catch((err) => log.warn('could not extend SQS visibility', { queueUrl, error: String(err) }));
      },
      (visibility * 1000) / 2,
    );
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Makes failed messages visible again after a delay that grows with their receive count. */
  async function retryLater(messages: Message[]) {
    if (messages.length === 0) return;
    await client
      .send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: messages.map((m, i) => {
            const received = Number(m.Attributes?.ApproximateReceiveCount ?? 1);
            const delay = Math.ceil(backoffMs(received, 1000, 300_000) / 1000);
            return { Id: String(i), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: delay };
          }),
        }),
      )
      .catch((err) => log.warn('could not reschedule failed SQS messages', { queueUrl, error: String(err) }));
  }

  async function loop(onObject: (event: ObjectEvent) => Promise<void>) {
    let failures = 0;
    while (!stopping) {
      poll = new AbortController();
      let messages: Message[];
      try {
        const out = await client.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: options.maxMessages ?? 10,
            WaitTimeSeconds: wait,
            VisibilityTimeout: visibility,
            MessageSystemAttributeNames: ['ApproximateReceiveCount'],
          }),
          { abortSignal: poll.signal },
        );
        messages = out.Messages ?? [];
        failures = 0;
      } catch (err) {
        if (stopping) return;
        failures++;
        log.warn('SQS receive failed; retrying', { queueUrl, error: String(err), attempt: failures });
        await new Promise((r) => setTimeout(r, backoffMs(failures, 500, 30_000)));
        continue;
      }
      if (messages.length === 0) continue;
      const release = holdWhile(messages);
      const done: Message[] = [];
      const failed: Message[] = [];
      try {
        await Promise.all(
          messages.map(async (m) => {
            try {
              await handle(m, onObject);
              done.push(m);
            } catch (err) {
              failed.push(m);
              log.warn('handing over an SQS message failed; it is delivered again later', {
                queueUrl,
                messageId: m.MessageId,
                error: String(err),
              });
            }
          }),
        );
      } finally {
        release();
      }
      if (done.length > 0) {
        const out = await client
          .send(
            new DeleteMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
            }),
          )
          .catch((err) => {
            // Delivered again later: pubsub publishes the same object twice, which is harmless.
            log.warn('could not delete handled SQS messages', { queueUrl, error: String(err) });
            return undefined;
          });
        for (const f of out?.Failed ?? []) {
          log.warn('could not delete a handled SQS message', { queueUrl, code: f.Code, message: f.Message });
        }
      }
      await retryLater(failed);
    }
  }

  return {
    name: `sqs:${queueUrl}`,
    async start(onObject) {
      stopping = false;
      running = loop(onObject).catch((err) =>
        log.error('SQS source stopped', { queueUrl, error: String(err) }),
      );
    },
    async stop() {
      stopping = true;
      poll?.abort();
      await running;
      if (options.ownsClient ?? true) client.destroy();
    },
  };
}
