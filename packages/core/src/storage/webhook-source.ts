import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Logger, silentLogger } from '../logger.js';
import type { NotificationSource, ObjectEvent } from './object-store.js';

/**
 * An HTTP endpoint for S3-style event notifications (S3, MinIO, Ceph, SNS-wrapped S3 events).
 * It answers 2xx only after every object of the request was handed over (pubsub: Kafka
 * acknowledged it); on failure it answers 503 so the sender retries. Requests must carry the
 * shared secret (`Authorization: Bearer <secret>`). Removal and other non-create events are
 * acknowledged and counted, not ingested.
 */
export interface WebhookSourceOptions {
  port: number;
  host?: string;
  secret: string;
  path?: string;
  /** Largest accepted body (default 1 MiB). */
  maxBodyBytes?: number;
  log?: Logger;
}

export interface WebhookSource extends NotificationSource {
  /** The bound port (useful with port 0). */
  port(): number;
  counts(): Record<string, number>;
}

interface S3Record {
  eventName?: string;
  s3?: {
    bucket?: { name?: string };
    object?: { key?: string; size?: number; eTag?: string; versionId?: string; sequencer?: string };
  };
}

export function parseS3Event(body: unknown): { events: ObjectEvent[]; ignored: string[] } {
  let payload = body as Record<string, unknown>;
  // SNS delivers the S3 event as a JSON string in Message.
  if (payload?.Type === 'Notification' && typeof payload.Message === 'string')
    payload = JSON.parse(payload.Message);
  if (payload?.Event === 's3:TestEvent') return { events: [], ignored: ['s3:TestEvent'] };
  const records = (payload?.Records ?? undefined) as S3Record[] | undefined;
  if (!Array.isArray(records)) throw new Error('not an S3 event notification (no Records array)');
  const events: ObjectEvent[] = [];
  const ignored: string[] = [];
  for (const r of records) {
    if (!r.eventName?.startsWith('ObjectCreated')) {
      ignored.push(r.eventName ?? 'unnamed event');
      continue;
    }
    const bucket = r.s3?.bucket?.name;
    const rawKey = r.s3?.object?.key;
    if (!bucket || !rawKey) throw new Error('an ObjectCreated record lacks s3.bucket.name or s3.object.key');
    const object = r.s3?.object ?? {};
    events.push({
      bucket,
      // S3 URL-encodes keys in events, with '+' for spaces.
      key: decodeURIComponent(rawKey.replace(/\+/g, ' ')),
      size: object.size ?? 0,
      version: object.versionId ?? object.eTag ?? object.sequencer ?? `size-${object.size ?? 0}`,
    });
  }
  return { events, ignored };
}

export function createWebhookSource(options: WebhookSourceOptions): WebhookSource {
  const log = options.log ?? silentLogger;
  const path = options.path ?? '/notifications';
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  const secret = Buffer.from(options.secret);
  const counts: Record<string, number> = {};
  const count = (what: string, n = 1) => {
    counts[what] = (counts[what] ?? 0) + n;
  };
  let server: Server | undefined;

  const authorized = (req: IncomingMessage) => {
    const given = Buffer.from(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '');
    return given.length === secret.length && timingSafeEqual(given, secret);
  };

  async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > maxBody) return undefined;
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  const reply = (res: ServerResponse, status: number, message: string) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ status, message }));
  };

  return {
    name: 'webhook',
    port: () => (server?.address() as AddressInfo | null)?.port ?? 0,
    counts: () => ({ ...counts }),
    async start(onObject) {
      server = createServer(async (req, res) => {
        if (req.url?.split('?')[0] !== path) return reply(res, 404, `POST S3 event notifications to ${path}`);
        if (req.method !== 'POST') return reply(res, 405, 'only POST');
        if (!authorized(req)) {
          count('unauthorized');
          return reply(res, 401, 'missing or wrong bearer secret');
        }
        const body = await readBody(req);
        if (!body) return reply(res, 413, `body larger than ${maxBody} bytes`);
        let parsed: ReturnType<typeof parseS3Event>;
        try {
          parsed = parseS3Event(JSON.parse(body.toString('utf8')));
        } catch (err) {
          count('rejected');
          return reply(res, 400, (err as Error).message);
        }
        for (const what of parsed.ignored) count(`ignored ${what}`);
        try {
          for (const event of parsed.events) await onObject(event);
        } catch (err) {
          count('failed');
          log.warn('webhook notification not handed over; the sender should retry', { error: String(err) });
          return reply(res, 503, 'not accepted, retry later');
        }
        count('accepted', parsed.events.length);
        return reply(res, 200, `accepted ${parsed.events.length} object(s)`);
      });
      await new Promise<void>((resolve, reject) => {
        server?.once('error', reject);
        server?.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
      });
    },
    async stop() {
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    },
  };
}
