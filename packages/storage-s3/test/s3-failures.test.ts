import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Store } from '../src/index.js';

/**
 * A misbehaving S3 endpoint on loopback: what the store makes of its answers decides whether the
 * pipeline retries (an outage) or gives up (configuration).
 */
describe('S3 store failures', () => {
  let server: Server;
  let mode: 'unavailable' | 'denied' | 'no-bucket' | 'bad-request' | 'hang' = 'unavailable';
  let endpoint = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      if (mode === 'hang') return; // never answers
      const [status, code] = {
        unavailable: [503, 'SlowDown'],
        denied: [403, 'AccessDenied'],
        'no-bucket': [404, 'NoSuchBucket'],
        'bad-request': [400, 'InvalidRequest'],
      }[mode] as [number, string];
      res.writeHead(status, { 'content-type': 'application/xml' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`,
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const store = (requestTimeoutMs = 2000) =>
    createS3Store({
      client: new S3Client({
        region: 'us-east-1',
        endpoint,
        forcePathStyle: true,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        maxAttempts: 2,
        requestHandler: { requestTimeout: requestTimeoutMs, throwOnRequestTimeout: true },
      }),
      bucket: 'telemetry',
    });
  const failure = async (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: { code?: string; retriable?: boolean }) => ({ code: e.code, retriable: e.retriable }),
    );

  it('an outage (503) is retriable', async () => {
    mode = 'unavailable';
    expect(await failure(store().getBytes('a/b.json'))).toEqual({
      code: 'LR_STORAGE_UNAVAILABLE',
      retriable: true,
    });
    expect(await failure(store().put('a/b.json', Buffer.from('x')))).toEqual({
      code: 'LR_STORAGE_UNAVAILABLE',
      retriable: true,
    });
  });

  it('refused credentials and a missing bucket are retried until fixed, and never read as a missing object', async () => {
    mode = 'denied';
    expect(await failure(store().getBytes('a/b.json'))).toEqual({
      code: 'LR_STORAGE_UNAVAILABLE',
      retriable: true,
    });
    mode = 'no-bucket';
    expect(await failure(store().getBytes('a/b.json'))).toEqual({
      code: 'LR_STORAGE_UNAVAILABLE',
      retriable: true,
    });
    // HEAD has no body to name the bucket: the store asks the bucket before saying "no object".
    expect(await failure(store().head('a/b.json'))).toEqual({
      code: 'LR_STORAGE_UNAVAILABLE',
      retriable: true,
    });
  });

  it('a request S3 calls wrong for this object is permanent: its input is dead-lettered', async () => {
    mode = 'bad-request';
    expect(await failure(store().getBytes('a/b.json'))).toEqual({
      code: 'LR_STORAGE_UNAVAILABLE',
      retriable: false,
    });
  });

  it('a store that never answers times out as an outage instead of hanging the worker', async () => {
    mode = 'hang';
    const started = Date.now();
    expect(await failure(store(500).head('a/b.json'))).toEqual({
      code: 'LR_STORAGE_UNAVAILABLE',
      retriable: true,
    });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
