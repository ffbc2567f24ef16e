import { setTimeout as sleep } from 'node:timers/promises';
import type { DequeuedMessageItem, QueueClient } from '@azure/storage-queue';
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
import { parseEventGridMessage } from './event-grid-message.js';

const SOURCE = 'azure-queue';

export interface AzureQueueSourceOptions {
  queueClient: QueueClient;
  /**
   * The deployment's store: events for another container are not ingested, and size and version
   * come from `store.head` (an object deleted since is skipped). Without it events are trusted.
   */
  store?: ObjectStore;
  /** Messages per receive, 1–32 (default 32). */
  maxMessages?: number;
  /**
   * How long a received message stays invisible to other readers (default 60 s); extended while
   * its objects are being handed over, so a slow Kafka never makes two readers send one.
   */
  visibilityTimeoutSeconds?: number;
  /** The pause before polling an empty queue again (default 1000 ms): Azure queues have no long polling. */
  pollIntervalMs?: number;
  /**
   * A message received more often than this whose hand-over still fails is logged at error level
   * on every further failure (default 5, as Azure Functions moves such a message to a poison
   * queue); it stays in the queue all the same.
   */
  maxDequeues?: number;
  /**
   * How long one queue request may wait for its answer, the SDK's retries included (default
   * 30 s); then it fails and is retried, so a queue service that stops answering never stalls the
   * source for good.
   */
  requestTimeoutMs?: number;
  log?: Logger;
  metrics?: RuntimeMetrics;
}

/**
 * A received message and its current pop receipt. Every update of a message's visibility
 * returns a new receipt and invalidates the old one, so the operations on one message run one
 * after another, each with the receipt the previous one left.
 */
class Lease {
  popReceipt: string;
  private chain: Promise<void> = Promise.resolve();

  constructor(readonly message: DequeuedMessageItem) {
    this.popReceipt = message.popReceipt;
  }

  get id() {
    return this.message.messageId;
  }

  run(op: (popReceipt: string) => Promise<{ popReceipt?: string } | undefined>): Promise<void> {
    const next = this.chain.then(async () => {
      const out = await op(this.popReceipt);
      if (out?.popReceipt) this.popReceipt = out.popReceipt;
    });
    this.chain = next.catch(() => {});
    return next;
  }
}

/**
 * Object events from an Azure Storage queue that an Event Grid subscription on the storage
 * account delivers blob events to. A message is deleted only after every object it names was
 * handed over (pubsub: Kafka acknowledged), or when it names none that can be ingested (a
 * removal, another event type, another container, an object gone since): each of those is logged
 * and counted. A message that is not an event at all is deleted too, with an error log quoting
 * it: no retry can make it one. When handing over fails — or the store refuses the lookup for
 * good (credentials, a missing container), which an operator can fix — the message is left in
 * the queue and made visible again after a growing delay; it is never deleted on failure, so a
 * long Kafka outage loses nothing (within the queue's message time-to-live).
 */
export function createAzureQueueSource(options: AzureQueueSourceOptions): NotificationSource {
  const log = options.log ?? silentLogger;
  const { queueClient } = options;
  // Account and queue name, never the URL: it may carry a SAS token.
  const queue = `${queueClient.accountName}/${queueClient.name}`;
  const visibility = options.visibilityTimeoutSeconds ?? 60;
  const pollInterval = options.pollIntervalMs ?? 1000;
  const maxDequeues = options.maxDequeues ?? 5;
  const timeout = options.requestTimeoutMs ?? 30_000;
  const deadline = () => AbortSignal.timeout(timeout);
  let running: Promise<void> | undefined;
  let poll: AbortController | undefined;
  let stopping = false;

  /** Hands over one message's objects; resolving means it may be deleted. */
  const handle = (message: DequeuedMessageItem, onObject: (event: ObjectEvent) => Promise<void>) =>
    handOverMessage(
      {
        parse: () => parseEventGridMessage(message.messageText),
        fields: { queue, messageId: message.messageId },
        excerpt: () => ({ body: message.messageText.slice(0, 500) }),
        store: options.store,
        source: SOURCE,
        log,
        metrics: options.metrics,
      },
      onObject,
    );

  /** Keeps the leased messages invisible while they are handled. */
  function holdWhile(leases: Lease[]): () => void {
    const timer = setInterval(
      () => {
        for (const lease of leases) {
          void lease
            .run((receipt) =>
              queueClient.updateMessage(lease.id, receipt, undefined, visibility, {
                abortSignal: deadline(),
              }),
            )
            .catch((err) =>
              log.warn('could not extend a queue message’s visibility', {
                queue,
                messageId: lease.id,
                error: String(err),
              }),
            );
        }
      },
      (visibility * 1000) / 2,
    );
    timer.unref();
    return () => clearInterval(timer);
  }

  /**
   * Makes a failed message visible again after a delay that grows with its dequeue count (at
   * once when the source is stopping, for whoever reads the queue next).
   */
  async function retryLater(lease: Lease) {
    const delay = stopping ? 0 : Math.ceil(backoffMs(lease.message.dequeueCount, 1000, 300_000) / 1000);
    await lease
      .run((receipt) =>
        queueClient.updateMessage(lease.id, receipt, undefined, delay, { abortSignal: deadline() }),
      )
      .catch((err) =>
        log.warn('could not reschedule a failed queue message; it is visible again when its lease ends', {
          queue,
          messageId: lease.id,
          error: String(err),
        }),
      );
  }

  function failed(lease: Lease, err: unknown) {
    const fields = {
      queue,
      messageId: lease.id,
      dequeueCount: lease.message.dequeueCount,
      error: String(err),
    };
    if (lease.message.dequeueCount > maxDequeues) {
      // Not moved to a poison queue nor deleted: the message names objects that exist, and
      // what fails is the hand-over (Kafka, the store), which an operator can repair. So it
      // stays, as the SQS source keeps its messages, and every further failure says so loudly.
      log.error('a queue message keeps failing to be handed over; it stays in the queue and is retried', {
        ...fields,
        maxDequeues,
      });
    } else {
      log.warn('handing over a queue message failed; it is delivered again later', fields);
    }
  }

  async function loop(onObject: (event: ObjectEvent) => Promise<void>) {
    let failures = 0;
    while (!stopping) {
      poll = new AbortController();
      let messages: DequeuedMessageItem[];
      try {
        const out = await queueClient.receiveMessages({
          numberOfMessages: options.maxMessages ?? 32,
          visibilityTimeout: visibility,
          abortSignal: AbortSignal.any([poll.signal, deadline()]),
        });
        messages = out.receivedMessageItems;
        failures = 0;
      } catch (err) {
        if (stopping) return;
        failures++;
        log.warn('queue receive failed; retrying', { queue, error: String(err), attempt: failures });
        await pause(backoffMs(failures, 500, 30_000), poll.signal);
        continue;
      }
      if (messages.length === 0) {
        await pause(pollInterval, poll.signal);
        continue;
      }
      const leases = messages.map((m) => new Lease(m));
      const release = holdWhile(leases);
      const done: Lease[] = [];
      const failedLeases: Lease[] = [];
      try {
        await Promise.all(
          leases.map(async (lease) => {
            try {
              await handle(lease.message, onObject);
              done.push(lease);
            } catch (err) {
              failedLeases.push(lease);
              failed(lease, err);
            }
          }),
        );
      } finally {
        release();
      }
      await Promise.all([
        ...done.map((lease) =>
          lease
            .run(async (receipt) => {
              await queueClient.deleteMessage(lease.id, receipt, { abortSignal: deadline() });
              return undefined;
            })
            .catch((err) =>
              // Delivered again later: pubsub publishes the same object twice, which is harmless.
              log.warn('could not delete a handled queue message', {
                queue,
                messageId: lease.id,
                error: String(err),
              }),
            ),
        ),
        ...failedLeases.map(retryLater),
      ]);
    }
  }

  return {
    name: `azure-queue:${queue}`,
    async start(onObject) {
      stopping = false;
      running = loop(onObject).catch((err) =>
        log.error('queue source stopped', { queue, error: String(err) }),
      );
    },
    async stop() {
      stopping = true;
      poll?.abort();
      await running;
    },
  };
}

/** Waits `ms`, or less when `signal` aborts (the source is stopping). */
async function pause(ms: number, signal: AbortSignal) {
  await sleep(ms, undefined, { signal }).catch(() => {});
}
