import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { until } from '../support/wait.js';
import { created, SECRET, startWebhook, type WebhookHarness } from './webhook-support.js';

const brokers = inject('kafkaBrokers');
const MiB = 1024 * 1024;
const REQUEST_TIMEOUT_MS = 2000;

/**
 * A raw connection, to send what fetch will not (a slow or never-ending body); resolves with
 * what the server wrote once it closed the connection, and after how long.
 */
function raw(port: number, send: (socket: Socket) => void): Promise<{ text: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1', () => send(socket));
    let text = '';
    socket.on('data', (d) => {
      text += d.toString('latin1');
    });
    socket.on('error', (err) =>
      (err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err),
    );
    socket.on('close', () => resolve({ text, ms: Date.now() - started }));
  });
}

const head = (lines: string[]) =>
  [
    'POST /notifications HTTP/1.1',
    'Host: 127.0.0.1',
    `Authorization: Bearer ${SECRET}`,
    ...lines,
    '',
    '',
  ].join('\r\n');

describe('webhook: body size and time limits (real HTTP, real Kafka)', () => {
  let h: WebhookHarness;
  const timers: NodeJS.Timeout[] = [];

  beforeAll(async () => {
    h = await startWebhook(brokers, 'webhook-limits', { requestTimeoutMs: REQUEST_TIMEOUT_MS });
  });
  afterAll(async () => {
    for (const t of timers) clearInterval(t);
    await h?.stop();
  });

  it('answers 413 to a body over the limit (default 1 MiB) and closes the connection', async () => {
    const res = await h.post('x'.repeat(2 * MiB));
    expect(res.status).toBe(413);
    expect(res.headers.get('connection')).toBe('close');
    expect(await res.json()).toMatchObject({ message: `body larger than ${MiB} bytes` });
    expect(h.webhook.counts()).toMatchObject({ 'too large': 1 });
    // The server is fine afterwards.
    expect((await h.post({ Event: 's3:TestEvent' })).status).toBe(200);
  });

  it('answers 413 on the declared length alone, before the body arrives', async () => {
    const { text, ms } = await raw(h.webhook.port(), (s) =>
      s.write(`${head([`Content-Length: ${100 * MiB}`])}{"Re`),
    );
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(ms).toBeLessThan(REQUEST_TIMEOUT_MS);
  });

  it('answers 413 to a chunked body once it passes the limit, without waiting for its end', async () => {
    const chunk = 'x'.repeat(64 * 1024);
    const { text, ms } = await raw(h.webhook.port(), (s) => {
      s.write(head(['Transfer-Encoding: chunked']));
      // 1.5 MiB in chunks, and the terminating chunk never comes.
      for (let i = 0; i < 24; i++) s.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    });
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(ms).toBeLessThan(REQUEST_TIMEOUT_MS);
  });

  it('closes a connection whose body trickles in (slow-loris) after the request timeout', async () => {
    const { text, ms } = await raw(h.webhook.port(), (s) => {
      s.write(head(['Content-Length: 1000']));
      timers.push(setInterval(() => s.writable && s.write('x'), 200));
    });
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    expect(ms).toBeLessThan(REQUEST_TIMEOUT_MS + 3000);
  });

  it('closes a connection whose headers trickle in', async () => {
    const { ms } = await raw(h.webhook.port(), (s) => {
      s.write('POST /notifications HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      timers.push(setInterval(() => s.writable && s.write('X-Slow: x\r\n'), 200));
    });
    expect(ms).toBeLessThan(REQUEST_TIMEOUT_MS + 3000);
  });

  it('takes a client that leaves mid-body in its stride', async () => {
    // Timed-out requests above count as aborted too.
    const before = h.webhook.counts().aborted ?? 0;
    await raw(h.webhook.port(), (s) => {
      s.write(`${head(['Content-Length: 1000'])}{"Records":`);
      setTimeout(() => s.destroy(), 100);
    });
    await until('the abort is counted', () => h.webhook.counts().aborted === before + 1, 5000, 50);
    const res = await h.post(created([{ key: 'otel-raw/acme/c1/logs_after.jsonl', etag: 'e-after' }]));
    expect(res.status).toBe(200);
  });
});
