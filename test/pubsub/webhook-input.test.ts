import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { created, messageOf, startWebhook, type WebhookHarness } from './webhook-support.js';

const brokers = inject('kafkaBrokers');

/** What a request from outside may carry: keys, encodings, shapes. None of it may reach Kafka. */
describe('webhook: unsafe keys and odd bodies (real HTTP, real Kafka)', () => {
  let h: WebhookHarness;

  beforeAll(async () => {
    h = await startWebhook(brokers, 'webhook-input');
  });
  afterAll(async () => {
    await h?.stop();
  });

  it.each([
    ['%00', 'otel-raw/acme/c1/logs_%00.jsonl', /control character/],
    ['%0A', 'otel-raw/acme/c1/logs_%0A.jsonl', /control character/],
    ['%7F', 'otel-raw/acme/c1/logs_%7F.jsonl', /control character/],
    ['..', 'otel-raw/acme/../../etc/logs_x.jsonl', /"\.\." segment/],
    ['an absolute key', '%2Fotel-raw/acme/c1/logs_x.jsonl', /absolute/],
    ['%zz', 'otel-raw/acme/c1/logs_%zz.jsonl', /not valid percent-encoding/],
    ['a lone surrogate', 'otel-raw/acme/c1/logs_\ud800.jsonl', /not valid UTF-16/],
  ])(
    'answers 400 with the reason for a key with %s, and ingests nothing of the request',
    async (_, key, why) => {
      const res = await h.post(created([{ key: 'otel-raw/acme/c1/logs_fine.jsonl' }, { key }]));
      expect(res.status).toBe(400);
      expect(await messageOf(res)).toMatch(why);
      expect(h.pubsub.stats().published).toEqual({});
    },
  );

  it('answers 400 for fields of the wrong type instead of passing them on', async () => {
    const record = (object: Record<string, unknown>) => ({
      Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'raw' }, object } }],
    });
    for (const body of [
      record({ key: 42 }),
      record({ key: 'otel-raw/acme/c1/logs_a.jsonl', size: '12' }),
      record({ key: 'otel-raw/acme/c1/logs_a.jsonl', size: -1 }),
      {
        Records: [
          { eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'r\u0000' }, object: { key: 'a' } } },
        ],
      },
      { Type: 'Notification', Message: '{not json' },
      'null',
      '[]',
    ]) {
      expect((await h.post(body)).status).toBe(400);
    }
    expect(h.pubsub.stats().published).toEqual({});
  });

  it('survives a body nested 100,000 levels deep', async () => {
    const depth = 100_000;
    const deep = `{"Records":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const res = await h.post(deep);
    expect([200, 400]).toContain(res.status);
    const nestedMessage = { Type: 'Notification', Message: `${'['.repeat(depth)}${']'.repeat(depth)}` };
    expect((await h.post(nestedMessage)).status).toBe(400);
    expect((await h.post({ Event: 's3:TestEvent' })).status).toBe(200);
  });

  it('bounds the records of one request, and handles as many as allowed', async () => {
    const removal = {
      eventName: 'ObjectRemoved:Delete',
      s3: { bucket: { name: 'raw' }, object: { key: 'a' } },
    };
    const tooMany = await h.post({ Records: Array.from({ length: 1001 }, () => removal) });
    expect(tooMany.status).toBe(400);
    expect(await messageOf(tooMany)).toMatch(/at most 1000/);
    const allowed = await h.post({ Records: Array.from({ length: 1000 }, () => removal) });
    expect(allowed.status).toBe(200);
    expect(h.webhook.counts()).toMatchObject({ 'ignored ObjectRemoved:Delete': 1000 });
  });

  it('counts event names from outside only when they look like one', async () => {
    const before = h.webhook.counts()['ignored unnamed event'] ?? 0;
    const res = await h.post({ Records: [{ eventName: 'x'.repeat(10_000) }, { eventName: { a: 1 } }, 7] });
    expect(res.status).toBe(200);
    expect(h.webhook.counts()['ignored unnamed event']).toBe(before + 3);
    expect(Object.keys(h.webhook.counts()).every((k) => k.length < 100)).toBe(true);
  });

  it('still ingests a valid key after all of that', async () => {
    const res = await h.post(created([{ key: 'otel-raw/acme/c1/logs_a%20b.jsonl', etag: 'e9' }]));
    expect(res.status).toBe(200);
    const seen = await h.published(1);
    expect(seen).toEqual([
      expect.objectContaining({ key: 'otel-raw/acme/c1/logs_a b.jsonl', version: 'e9' }),
    ]);
  });
});
