import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGcsStore } from '../src/index.js';

/**
 * A misbehaving GCS endpoint on loopback: what the store makes of its answers decides whether the
 * pipeline retries (an outage, or configuration that fails every object) or gives up on one input.
 */
describe('GCS store failures', () => {
  let server: Server;
  let mode: 'unavailable' | 'throttled' | 'denied' | 'no-bucket' | 'no-object' | 'hang' = 'unavailable';
  let endpoint = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      if (mode === 'hang') return; // never answers
      const [status, message] = {
        unavailable: [503, 'Service Unavailable'],
        throttled: [429, 'The rate of change requests to the object is too high'],
        denied: [403, 'caller does not have storage.objects.get access'],
        'no-bucket': [404, 'The specified bucket does not exist.'],
        'no-object': [404, 'No such object: telemetry/a/b.json'],
      }[mode] as [number, string];
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(JSON.stringify({ error: { code: status, message, errors: [{ message, reason: 'x' }] } }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  // The client's own retries are not what is tested here: the store's verdict on the failure is.
  const store = (requestTimeoutMs = 2000, resumableThresholdBytes?: number) =>
    createGcsStore({
      storage: new Storage({
        apiEndpoint: endpoint,
        projectId: 'test',
        retryOptions: { autoRetry: false },
        timeout: requestTimeoutMs,
      }),
      bucket: 'telemetry',
      requestTimeoutMs,
      resumableThresholdBytes,
    });
  const stream = () => Readable.from([Buffer.alloc(1000, 'x'), Buffer.alloc(1000, 'y')]);
  const failure = async (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: { code?: string; retriable?: boolean }) => ({ code: e.code, retriable: e.retriable }),
    );
  const outage = { code: 'LR_STORAGE_UNAVAILABLE', retriable: true };
  // Configuration fails every object alike: retried until fixed rather than dead-lettering them all.
  const configuration = { code: 'LR_STORAGE_UNAVAILABLE', retriable: true };

  it('an outage (503) or throttling (429) is retriable, whatever the request', async () => {
    for (const m of ['unavailable', 'throttled'] as const) {
      mode = m;
      expect(await failure(store().getBytes('a/b.json'))).toEqual(outage);
      expect(await failure(store().head('a/b.json'))).toEqual(outage);
      expect(await failure(store().put('a/b.json', Buffer.from('x')))).toEqual(outage);
      expect(await failure(store().put('a/b.json', stream()))).toEqual(outage);
      expect(await failure(store(2000, 0).put('a/b.json', stream()))).toEqual(outage);
      expect(await failure(store().delete('a/b.json'))).toEqual(outage);
      expect(await failure((async () => store().list('a/')[Symbol.asyncIterator]().next())())).toEqual(
        outage,
      );
    }
  });

  it('refused credentials and a missing bucket are retried until fixed', async () => {
    mode = 'denied';
    expect(await failure(store().getBytes('a/b.json'))).toEqual(configuration);
    expect(await failure(store().put('a/b.json', Buffer.from('x')))).toEqual(configuration);
    expect(await failure(store(2000, 0).put('a/b.json', stream()))).toEqual(configuration);
    mode = 'no-bucket';
    expect(await failure(store().getBytes('a/b.json'))).toEqual(configuration);
    expect(await failure(store().head('a/b.json'))).toEqual(configuration);
    expect(await failure(store().delete('a/b.json'))).toEqual(configuration);
  });

  it('a missing object is no failure of the store', async () => {
    mode = 'no-object';
    expect(await store().head('a/b.json')).toBeUndefined();
    expect(await failure(store().getBytes('a/b.json'))).toEqual({
      code: 'LR_STORAGE_NOT_FOUND',
      retriable: false,
    });
    await store().delete('a/b.json');
  });

  it('a store that never answers times out as an outage instead of hanging the worker', async () => {
    mode = 'hang';
    const started = Date.now();
    expect(await failure(store(500).head('a/b.json'))).toEqual(outage);
    expect(await failure(store(500).getBytes('a/b.json'))).toEqual(outage);
    expect(await failure(store(500).put('a/b.json', Buffer.from('x')))).toEqual(outage);
    expect(await failure(store(500, 0).put('a/b.json', stream()))).toEqual(outage);
    expect(await failure((async () => store(500).list('a/')[Symbol.asyncIterator]().next())())).toEqual(
      outage,
    );
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
