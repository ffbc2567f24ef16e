import { mkdtempSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ObjectStore } from '../../packages/core/src/index.js';
import { createFsStore } from '../../packages/storage-fs/src/index.js';
import { created, startWebhook, type WebhookHarness } from './webhook-support.js';

const brokers = inject('kafkaBrokers');

/** With the deployment's store, the webhook checks the bucket and asks the store what an object is. */
describe('webhook with the store (real HTTP, real Kafka, a local bucket)', () => {
  let h: WebhookHarness;
  let store: ObjectStore;
  let root: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'lakerunner-webhook-store-'));
    store = createFsStore({ root, bucket: 'raw' });
    h = await startWebhook(brokers, 'webhook-store', { store });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('does not ingest an event for another bucket, and says so (200, so it is not resent forever)', async () => {
    await store.put('otel-raw/acme/c1/logs_elsewhere.jsonl', Buffer.from('{}\n'));
    const res = await h.post(created([{ bucket: 'not-ours', key: 'otel-raw/acme/c1/logs_elsewhere.jsonl' }]));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      message: 'accepted 0 object(s); not ingested: 1 unknown bucket',
      skipped: { 'unknown bucket': 1 },
    });
    expect(h.webhook.counts()).toMatchObject({ 'unknown bucket': 1 });
    expect(h.pubsub.stats().published).toEqual({});
    expect(h.logged).toContainEqual(
      expect.objectContaining({ level: 'warn', fields: expect.objectContaining({ bucket: 'not-ours' }) }),
    );
  });

  it('skips an object that no longer exists', async () => {
    const res = await h.post(created([{ key: 'otel-raw/acme/c1/logs_gone.jsonl' }]));
    expect(res.status).toBe(200);
    expect(h.webhook.counts()).toMatchObject({ 'object gone': 1 });
    expect(h.pubsub.stats().published).toEqual({});
  });

  it('answers 503 when the store fails, so the sender retries', async () => {
    // The bucket directory away for a moment (an unmounted volume): that is the store failing,
    // not every object being gone.
    await store.put('otel-raw/acme/c1/logs_x.jsonl', Buffer.from('{}\n'));
    renameSync(root, `${root}.away`);
    try {
      const res = await h.post(created([{ key: 'otel-raw/acme/c1/logs_x.jsonl' }]));
      expect(res.status).toBe(503);
      expect(h.webhook.counts()).toMatchObject({ failed: 1 });
    } finally {
      renameSync(`${root}.away`, root);
    }
  });

  it('takes size and version from the store: the same bytes under two eTags are one version', async () => {
    const key = 'otel-raw/acme/c1/logs_same.jsonl';
    const info = await store.put(key, Buffer.from('{"body":"hello"}\n'));
    const first = await h.post(created([{ key, size: 1, etag: 'multipart-etag-2' }]));
    const second = await h.post(created([{ key, size: 999, etag: 'single-part-etag' }]));
    expect([first.status, second.status]).toEqual([200, 200]);
    const seen = await h.published(2);
    expect(seen).toEqual([
      expect.objectContaining({ bucket: 'raw', key, size: info.size, version: info.version }),
      expect.objectContaining({ bucket: 'raw', key, size: info.size, version: info.version }),
    ]);
  });
});
