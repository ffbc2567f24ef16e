import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Logger, silentLogger } from '../logger.js';
import { isEventGridPayload, parseEventGridEvents } from './event-grid-events.js';
import type { NotificationSource, ObjectStore } from './object-store.js';
import { answerSnsHandshake, parseSnsSubscription } from './sns-subscription.js';
import { resolveEvents } from './webhook-identity.js';
import { WebhookRejection } from './webhook-rejection.js';
import { AUTH_CHALLENGE, hasSecret, readBody } from './webhook-request.js';
import { parseS3Event } from './webhook-s3-event.js';

export { parseS3Event } from './webhook-s3-event.js';

/**
 * An HTTP endpoint for S3-style event notifications (S3, MinIO, Ceph, SNS-wrapped S3 events)
 * and for Azure storage events that Event Grid delivers to a webhook (Event Grid or CloudEvents
 * schema; the subscription handshakes of both are answered, for requests that carry the secret,
 * which Event Grid sends as a custom delivery header). It answers 2xx only after every object of the request was handed over (pubsub: Kafka
 * acknowledged it); on failure it answers 503 so the sender retries. Requests must carry the
 * shared secret (`Authorization: Bearer <secret>`, or basic auth with the secret as password,
 * which is how SNS sends it). Removal and other non-create events are acknowledged and counted,
 * not ingested. A request that is wrong in itself (not JSON, an unsafe key, too many records)
 * gets 400 and nothing of it is ingested; a body over `maxBodyBytes` gets 413 unread.
 *
 * With `store`, an event for another bucket is not ingested, and it still gets 200, even when
 * every record of the request was refused: the refusal is configuration, which a retry cannot
 * change, and senders that retry 4xx (MinIO's queue) would do so forever. Such events are
 * counted ('unknown bucket'), logged and listed in the response's `skipped`.
 *
 * SNS subscription handshakes are answered as sns-subscription.ts describes. SNS message
 * signatures are not verified (that needs AWS's signing certificates, which this process does
 * not fetch); the shared secret is what authenticates the sender.
 */
export interface WebhookSourceOptions {
  port: number;
  host?: string;
  secret: string;
  path?: string;
  /** Largest accepted body (default 1 MiB). */
  maxBodyBytes?: number;
  /** Most records one request may carry (default 1000; real senders send one). */
  maxRecords?: number;
  /**
   * The deployment's store. When given, events for another bucket are not ingested and an
   * object's size and version come from `store.head`, not from the event. Without it the event
   * is trusted as sent.
   */
  store?: ObjectStore;
  /** SNS topics whose SubscriptionConfirmation is confirmed; for others the SubscribeURL is logged. */
  snsTopicArns?: readonly string[];
  /**
   * Hosts a SubscribeURL may name, matched against the whole host name (default: SNS endpoints,
   * `sns.<region>.amazonaws.com[.cn]`, over https). Plain http is allowed for loopback
   * addresses only, for tests that play SNS locally.
   */
  snsSubscribeHost?: RegExp;
  /** Time a client has to send a whole request, headers included (default 30 s). */
  requestTimeoutMs?: number;
  log?: Logger;
}

export interface WebhookSource extends NotificationSource {
  /** The bound port (useful with port 0). */
  port(): number;
  counts(): Record<string, number>;
}

/** Time a client has to send the request headers, at most (slow-loris). */
const HEADERS_TIMEOUT_MS = 10_000;

export function createWebhookSource(options: WebhookSourceOptions): WebhookSource {
  const log = options.log ?? silentLogger;
  const path = options.path ?? '/notifications';
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  const secret = Buffer.from(options.secret);
  const counts: Record<string, number> = {};
  const count = (what: string, n = 1) => {
    counts[what] = (counts[what] ?? 0) + n;
  };
  let server: Server | undefined;

  const reply = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    message: string,
    extra: Record<string, unknown> = {},
  ) => {
    if (res.headersSent || res.destroyed) return;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    // Node would read and discard an unread body to keep the connection; close it instead.
    if (!req.complete) headers.connection = 'close';
    if (status === 401) headers['www-authenticate'] = AUTH_CHALLENGE;
    res.writeHead(status, headers).end(JSON.stringify({ status, message, ...extra }));
  };

  async function handle(req: IncomingMessage, res: ServerResponse, onObject: OnObject) {
    if (req.url?.split('?')[0] !== path)
      return reply(req, res, 404, `POST S3 event notifications to ${path}`);
    if (!hasSecret(req, secret)) {
      count('unauthorized');
      return reply(req, res, 401, 'missing or wrong secret');
    }
    const origin = req.headers['webhook-request-origin'];
    if (req.method === 'OPTIONS' && typeof origin === 'string') {
      // The CloudEvents webhook handshake (Event Grid with the CloudEvents schema): allow the origin.
      count('cloudevents validation');
      res.writeHead(200, { 'webhook-allowed-origin': origin, 'webhook-allowed-rate': '*' });
      return res.end();
    }
    if (req.method !== 'POST') return reply(req, res, 405, 'only POST');
    const tooLarge = () => {
      count('too large');
      reply(req, res, 413, `body larger than ${maxBody} bytes`);
    };
    if (Number(req.headers['content-length'] ?? 0) > maxBody) return tooLarge();
    const body = await readBody(req, maxBody);
    if (body === 'too large') return tooLarge();

    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      count('rejected');
      return reply(req, res, 400, 'the body is not JSON');
    }
    const handshake = parseSnsSubscription(json);
    if (handshake) {
      const answer = await answerSnsHandshake(handshake, {
        topicArns: options.snsTopicArns ?? [],
        allowedHost: options.snsSubscribeHost,
        log,
        count,
      });
      return reply(req, res, answer.status, answer.message);
    }

    const parsed = isEventGridPayload(json)
      ? parseEventGridEvents(json, { maxEvents: options.maxRecords })
      : parseS3Event(json, { maxRecords: options.maxRecords });
    if ('validationCode' in parsed && parsed.validationCode !== undefined) {
      // Event Grid's subscription handshake: echoing the code proves this endpoint asked for it.
      count('event grid validation');
      log.info('answered an Event Grid subscription validation');
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ validationResponse: parsed.validationCode }));
    }
    for (const what of parsed.ignored) count(`ignored ${what}`);
    let resolved: Awaited<ReturnType<typeof resolveEvents>>;
    try {
      resolved = await resolveEvents(parsed.events, options.store, log);
      for (const event of resolved.events) await onObject(event);
    } catch (err) {
      if (err instanceof WebhookRejection) throw err;
      count('failed');
      log.warn('webhook notification not handed over; the sender should retry', { error: String(err) });
      return reply(req, res, 503, 'not accepted, retry later');
    }
    for (const [reason, n] of Object.entries(resolved.skipped)) count(reason, n);
    count('accepted', resolved.events.length);
    const skipped = Object.entries(resolved.skipped).map(([reason, n]) => `${n} ${reason}`);
    const accepted = `accepted ${resolved.events.length} object(s)`;
    if (skipped.length === 0) return reply(req, res, 200, accepted);
    return reply(req, res, 200, `${accepted}; not ingested: ${skipped.join(', ')}`, {
      skipped: resolved.skipped,
    });
  }

  return {
    name: 'webhook',
    port: () => (server?.address() as AddressInfo | null)?.port ?? 0,
    counts: () => ({ ...counts }),
    async start(onObject) {
      server = createServer(
        {
          // Bounds for clients that send slowly (slow-loris): Node answers 408 and closes.
          requestTimeout,
          headersTimeout: Math.min(HEADERS_TIMEOUT_MS, requestTimeout),
          connectionsCheckingInterval: Math.min(1000, requestTimeout),
        },
        (req, res) => {
          handle(req, res, onObject).catch((err: unknown) => {
            if (err instanceof WebhookRejection) {
              count('rejected');
              log.warn('webhook request rejected', { reason: err.message });
              return reply(req, res, 400, err.message);
            }
            // A client that went away mid-body needs no answer; anything else is a bug to see.
            if (req.destroyed && !req.complete) return count('aborted');
            count('error');
            log.error('webhook request failed', { error: String(err) });
            reply(req, res, 500, 'internal error');
          });
        },
      );
      await new Promise<void>((resolve, reject) => {
        server?.once('error', reject);
        server?.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
      });
    },
    async stop() {
      await new Promise<void>((resolve) => {
        if (!server) return resolve();
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
  };
}

type OnObject = Parameters<NotificationSource['start']>[0];
