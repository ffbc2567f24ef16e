import { Duration, type Message, type PubSub, type Subscription } from '@google-cloud/pubsub';
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
import { parseGcsNotification } from './gcs-notification.js';

const SOURCE = 'gcs-pubsub';

export interface PubSubSourceOptions {
  /** The subscription to read; the source sets its flow control, lease and close options. */
  subscription?: Subscription;
  /** Or a client and the subscription's name (an id in the client's project, or projects/P/subscriptions/S). */
  pubsub?: PubSub;
  subscriptionName?: string;
  /**
   * The deployment's store: events for another bucket are not ingested, and size and version
   * come from `store.head` (an object deleted since is skipped). Without it events are trusted,
   * and those without a payload (payloadFormat NONE) skipped.
   */
  store?: ObjectStore;
  /** Messages handed over at once (flow control; default 100); the rest wait in Pub/Sub. */
  maxMessages?: number;
  /**
   * The lease the client library asks for and keeps renewing while a message is handed over
   * (default 60 s), so a slow Kafka never makes Pub/Sub deliver it to a second reader.
   */
  ackDeadlineSeconds?: number;
  /** How long `stop` waits for hand-overs in progress before giving their messages back (default 30 s). */
  stopTimeoutMs?: number;
  /** Close the Pub/Sub client on `stop()` (default true: the adapter made it). */
  ownsClient?: boolean;
  log?: Logger;
  metrics?: RuntimeMetrics;
}

/** Most messages whose failures are remembered for their backoff; older ones start over. */
const MAX_TRACKED = 10_000;

/**
 * Object events from a Pub/Sub subscription on the topic a bucket's notification configuration
 * publishes to (`gcloud storage buckets notifications create`). A message is acknowledged only
 * after its object was handed over (pubsub: Kafka acknowledged), or when it names none that can
 * be ingested (a deletion or other event type, another bucket, an object gone since): each of
 * those is logged and counted. A message that is no Cloud Storage notification at all is
 * acknowledged too, with an error log quoting it: no retry can make it one. While a message is
 * handed over the client library keeps extending its lease; when handing over fails it is held
 * for a growing delay and then nacked, so Pub/Sub delivers it again — never acknowledged on
 * failure, so a long Kafka outage loses nothing (within the subscription's retention).
 */
export function createPubSubSource(options: PubSubSourceOptions): NotificationSource {
  const log = options.log ?? silentLogger;
  const name = options.subscription?.name ?? options.subscriptionName ?? '(no subscription given)';
  if (!options.subscription && !(options.pubsub && options.subscriptionName)) {
    throw new Error('createPubSubSource needs a subscription, or pubsub and subscriptionName');
  }
  const ackDeadline = Duration.from({ seconds: options.ackDeadlineSeconds ?? 60 });
  const subscriberOptions = {
    flowControl: { maxMessages: options.maxMessages ?? 100, allowExcessMessages: false },
    // Leases of exactly this length, renewed by the library until the message is settled.
    minAckDeadline: ackDeadline,
    maxAckDeadline: ackDeadline,
    // Messages still held when the subscription closes are nacked: delivered again at once.
    closeOptions: { behavior: 'NACK' as const, timeout: Duration.from({ seconds: 10 }) },
  };
  const failures = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();
  const wakeUps = new Set<() => void>();
  let subscription: Subscription | undefined;
  let stopping = false;
  let closed = false;
  let reopenAttempts = 0;
  let reopenTimer: NodeJS.Timeout | undefined;

  /** The message's events; without a store, those of payload-less notifications are skipped. */
  function parse(message: Message) {
    const parsed = parseGcsNotification(message);
    if (options.store) return parsed;
    // Without a store nothing can say what a payload-less notification's object is.
    for (const e of parsed.events.filter((e) => e.version === '')) {
      options.metrics?.sourceSkipped.inc({ source: SOURCE, reason: 'no payload' });
      log.info('queue message names nothing to ingest', {
        subscription: name,
        reason: 'no payload',
        key: e.key,
      });
    }
    return { ...parsed, events: parsed.events.filter((e) => e.version !== '') };
  }

  /** Hands over one message's object; resolving means it may be acknowledged. */
  const handle = (message: Message, onObject: (event: ObjectEvent) => Promise<void>) =>
    handOverMessage(
      {
        parse: () => parse(message),
        fields: { subscription: name, messageId: message.id, key: message.attributes?.objectId },
        excerpt: () => ({
          attributes: JSON.stringify(message.attributes ?? {}).slice(0, 500),
          data: (message.data ?? Buffer.alloc(0)).subarray(0, 500).toString('utf8'),
        }),
        store: options.store,
        source: SOURCE,
        log,
        metrics: options.metrics,
      },
      onObject,
    );

  /** Holds a failed message for a delay that grows with its failures, unless stopping. */
  function holdBeforeRetry(message: Message): Promise<void> {
    const count = Math.max(message.deliveryAttempt, (failures.get(message.id) ?? 0) + 1);
    failures.delete(message.id);
    failures.set(message.id, count);
    if (failures.size > MAX_TRACKED) failures.delete(failures.keys().next().value as string);
    if (stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        wakeUps.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, backoffMs(count - 1, 1000, 60_000));
      wakeUps.add(wake);
    });
  }

  async function onMessage(message: Message, onObject: (event: ObjectEvent) => Promise<void>) {
    if (stopping) {
      if (!closed) message.nack();
      return;
    }
    let ack = false;
    try {
      await handle(message, onObject);
      ack = true;
    } catch (err) {
      log.warn('handing over a Pub/Sub message failed; it is delivered again later', {
        subscription: name,
        messageId: message.id,
        error: String(err),
      });
      await holdBeforeRetry(message);
    }
    // Once closed, the library has given every held message back already.
    if (closed) return;
    if (ack) {
      failures.delete(message.id);
      message.ack();
    } else {
      message.nack();
    }
  }

  function open(onObject: (event: ObjectEvent) => Promise<void>) {
    const sub = options.subscription ?? (options.pubsub as PubSub).subscription(name);
    sub.setOptions(subscriberOptions);
    sub.on('message', (message: Message) => {
      reopenAttempts = 0;
      const p = onMessage(message, onObject).catch((err) =>
        log.error('Pub/Sub message handling failed', { subscription: name, error: String(err) }),
      );
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    });
    // Retriable stream errors the library handles itself; what reaches here closed the stream
    // (a missing subscription, refused permissions): configuration, which may yet be fixed, so
    // the subscription is opened again after a growing delay.
    sub.on('error', (err: unknown) => {
      log.error('Pub/Sub subscription failed; opening it again after a delay', {
        subscription: name,
        error: String(err),
        attempt: reopenAttempts + 1,
      });
    });
    sub.on('close', () => {
      if (stopping) return;
      reopenAttempts++;
      clearTimeout(reopenTimer);
      reopenTimer = setTimeout(
        () => {
          if (!stopping) sub.open();
        },
        backoffMs(reopenAttempts, 500, 30_000),
      );
    });
    subscription = sub;
  }

  return {
    name: `gcs-pubsub:${name}`,
    async start(onObject) {
      stopping = false;
      closed = false;
      open(onObject);
    },
    async stop() {
      stopping = true;
      clearTimeout(reopenTimer);
      // Messages waiting out their retry delay are given back now; hand-overs in progress may
      // finish (and be acknowledged) for a while, then the subscription gives back the rest.
      for (const wake of [...wakeUps]) wake();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise((r) => {
          timer = setTimeout(r, options.stopTimeoutMs ?? 30_000);
        }),
      ]);
      clearTimeout(timer);
      const sub = subscription;
      subscription = undefined;
      // From here hand-overs still running settle nothing: closing nacks every message the
      // library holds, theirs included, so Pub/Sub delivers them again.
      closed = true;
      if (sub) {
        await sub
          .close()
          .catch((err: unknown) =>
            log.warn('closing the Pub/Sub subscription failed', { subscription: name, error: String(err) }),
          );
        // Removed only now: removing the last message listener closes the subscription too,
        // without waiting for the nacks to be sent. The error listener stays for late errors.
        sub.removeAllListeners('message');
        sub.removeAllListeners('close');
      }
      if (options.ownsClient ?? true) {
        await (sub?.pubsub ?? options.pubsub)?.close().catch(() => {});
      }
    },
  };
}
