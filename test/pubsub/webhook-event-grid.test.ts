import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ObjectStore } from '../../packages/core/src/index.js';
import { createFsStore } from '../../packages/storage-fs/src/index.js';
import { storageEvent } from '../support/event-grid.js';
import { SECRET, startWebhook, type WebhookHarness } from './webhook-support.js';

const brokers = inject('kafkaBrokers');

/**
 * Event Grid delivering Azure storage events to the webhook (real HTTP, real Kafka, a local
 * bucket named like the container): the documented payloads, since Event Grid itself cannot be
 * reached from the tests. The subscription handshakes are answered only for requests carrying the
 * secret, which Event Grid sends as a custom delivery header.
 */
describe('webhook with Event Grid (Event Grid and CloudEvents schemas)', () => {
  let h: WebhookHarness;
  let store: ObjectStore;

  beforeAll(async () => {
    store = createFsStore({
      root: mkdtempSync(join(tmpdir(), 'lakerunner-webhook-eg-')),
      bucket: 'telemetry',
    });
    h = await startWebhook(brokers, 'webhook-event-grid', { store });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const validation = [
    {
      id: '2d1781af-3a4c-4d7c-bd0c-e34b19da4e66',
      topic: '/subscriptions/xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx',
      subject: '',
      data: { validationCode: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6' },
      eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
      eventTime: '2018-01-25T22:12:19.4556811Z',
      metadataVersion: '1',
      dataVersion: '1',
    },
  ];

  it('answers the subscription validation with its code, and only with the secret', async () => {
    const res = await h.post(validation);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ validationResponse: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6' });
    expect((await h.post(validation, { secret: 'wrong' })).status).toBe(401);
  });

  it('answers the CloudEvents webhook handshake (OPTIONS) by allowing the origin', async () => {
    const res = await fetch(h.url, {
      method: 'OPTIONS',
      headers: { 'webhook-request-origin': 'eventgrid.azure.net', authorization: `Bearer ${SECRET}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('webhook-allowed-origin')).toBe('eventgrid.azure.net');
    const anonymous = await fetch(h.url, { method: 'OPTIONS', headers: { 'webhook-request-origin': 'x' } });
    expect(anonymous.status).toBe(401);
  });

  it('ingests BlobCreated in either schema with the version the store reports; ignores BlobDeleted', async () => {
    const a = await store.put('otel-raw/acme/c1/logs_eg.jsonl', Buffer.from('{"a":1}\n'));
    const b = await store.put('otel-raw/acme/c1/logs_ce.jsonl', Buffer.from('{"b":2}\n'));
    const egBatch = [
      storageEvent('Microsoft.Storage.BlobCreated', 'acct', 'telemetry', a.key, {
        etag: '0x1',
        contentLength: 8,
      }),
      storageEvent('Microsoft.Storage.BlobDeleted', 'acct', 'telemetry', 'otel-raw/acme/c1/old.jsonl'),
    ];
    const eg = await h.post(egBatch);
    expect(eg.status).toBe(200);
    const cloudEvent = storageEvent(
      'Microsoft.Storage.BlobCreated',
      'acct',
      'telemetry',
      b.key,
      { etag: '0x2', contentLength: 8 },
      'cloud-events',
    );
    const ce = await h.post(cloudEvent, { headers: { 'content-type': 'application/cloudevents+json' } });
    expect(ce.status).toBe(200);
    expect(h.webhook.counts()).toMatchObject({
      accepted: 2,
      'ignored Microsoft.Storage.BlobDeleted': 1,
    });
    expect(h.pubsub.stats().published).toEqual({ logs: 2 });
  });

  it('refuses an event naming a blob outside the container with a reason (400)', async () => {
    const res = await h.post([
      storageEvent('Microsoft.Storage.BlobCreated', 'acct', 'telemetry', 'otel-raw/../../etc/passwd'),
    ]);
    expect(res.status).toBe(400);
  });
});
