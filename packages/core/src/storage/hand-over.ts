import type { Logger } from '../logger.js';
import type { RuntimeMetrics } from '../runtime/metrics.js';
import type { ObjectEvent, ObjectStore } from './object-store.js';
import { resolveEvents } from './webhook-identity.js';
import { WebhookRejection } from './webhook-rejection.js';

export interface QueueMessageHandOver {
  /** The message's events and the names of the events it carries that are not ingested. */
  parse(): { events: ObjectEvent[]; ignored: string[] };
  /** What identifies the message in logs (queue, message id). */
  fields: Record<string, unknown>;
  /** An excerpt of the message for the log line of one that is no event at all. */
  excerpt(): Record<string, unknown>;
  store?: ObjectStore;
  /** Label of the source in `sourceSkipped` (sqs, gcs-pubsub, azure-queue). */
  source: string;
  log: Logger;
  metrics?: RuntimeMetrics;
}

/**
 * One queue message of a notification source, handed over: its created objects go to `onObject`
 * (as `resolveEvents` sees them in the store), and everything not ingested is logged and counted
 * in `sourceSkipped` — ignored event kinds, other buckets, objects gone, and a message that is no
 * event at all (an error log quoting it: no retry can make it one). Resolving means the message
 * may be acknowledged; a throw (the store or Kafka failing) means it must be delivered again.
 */
export async function handOverMessage(
  message: QueueMessageHandOver,
  onObject: (event: ObjectEvent) => Promise<void>,
): Promise<void> {
  const { source, log, metrics, fields } = message;
  const skip = (reason: string, n = 1) => metrics?.sourceSkipped.inc({ source, reason }, n);
  let events: ObjectEvent[];
  try {
    const parsed = message.parse();
    for (const event of parsed.ignored) {
      skip('not a create event');
      log.info('queue message names nothing to ingest', { ...fields, reason: 'not a create event', event });
    }
    const resolved = await resolveEvents(parsed.events, message.store, log);
    for (const [reason, n] of Object.entries(resolved.skipped)) skip(reason, n);
    events = resolved.events;
  } catch (err) {
    if (!(err instanceof WebhookRejection)) throw err;
    skip('invalid message');
    log.error('queue message is not an object event; acknowledged without ingesting', {
      ...fields,
      reason: err.message,
      ...message.excerpt(),
    });
    return;
  }
  for (const event of events) await onObject(event);
}
