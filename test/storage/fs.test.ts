import { mkdtempSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ObjectEvent } from '../../packages/core/src/index.js';
import { createDirectoryWatchSource, createFsStore, TEMP_DIR } from '../../packages/storage-fs/src/index.js';
import { notificationSourceConformance } from '../conformance/notification-source.js';
import { objectStoreConformance } from '../conformance/object-store.js';
import { until } from '../support/wait.js';

const tempRoot = () => mkdtempSync(join(tmpdir(), 'lakerunner-fs-'));

objectStoreConformance('storage-fs', async () => createFsStore({ root: tempRoot(), bucket: 'local' }));

notificationSourceConformance('storage-fs directory watch', async () => {
  const root = tempRoot();
  return {
    store: createFsStore({ root, bucket: 'local' }),
    makeSource: () =>
      createDirectoryWatchSource({ root, bucket: 'local', pollIntervalMs: 200, settleMs: 50 }),
  };
});

describe('storage-fs specifics', () => {
  it('leaves no temporary files behind and hides them from listings', async () => {
    const root = tempRoot();
    const store = createFsStore({ root });
    await store.put('x/y.txt', Buffer.from('1'));
    await store.put('x/y.txt', Buffer.from('2'), { ifNoneMatch: true }).catch(() => {});
    expect(readdirSync(join(root, TEMP_DIR))).toEqual([]);
    const keys: string[] = [];
    for await (const o of store.list()) keys.push(o.key);
    expect(keys).toEqual(['x/y.txt']);
  });
});

function collector() {
  const events: ObjectEvent[] = [];
  return {
    events,
    onObject: async (e: ObjectEvent) => {
      events.push(e);
    },
    keys: () => events.map((e) => e.key).sort(),
  };
}

describe('directory watch source', () => {
  const options = (root: string) => ({ root, pollIntervalMs: 200, settleMs: 50 });

  it('delivers existing files on start and new files as they appear', async () => {
    const root = tempRoot();
    const store = createFsStore({ root });
    await store.put('otel-raw/acme/c1/logs_1.json', Buffer.from('{}'));
    const c = collector();
    const source = createDirectoryWatchSource(options(root));
    await source.start(c.onObject);
    try {
      await until('1 event(s)', () => c.events.length === 1, 10_000, 50);
      await store.put('otel-raw/acme/c1/deep/er/logs_2.json', Buffer.from('{}'));
      await until('2 event(s)', () => c.events.length === 2, 10_000, 50);
      expect(c.keys()).toEqual(['otel-raw/acme/c1/deep/er/logs_2.json', 'otel-raw/acme/c1/logs_1.json']);
      expect(c.events[0]).toMatchObject({ bucket: store.bucket, size: 2 });
    } finally {
      await source.stop();
    }
  });

  it('after a restart delivers only what changed while it was down', async () => {
    const root = tempRoot();
    const store = createFsStore({ root });
    await store.put('a.json', Buffer.from('1'));
    const first = collector();
    const source = createDirectoryWatchSource(options(root));
    await source.start(first.onObject);
    await until('1 event(s)', () => first.events.length === 1, 10_000, 50);
    await source.stop();

    await store.put('b.json', Buffer.from('2'));
    await store.put('a.json', Buffer.from('replaced'));
    await new Promise((r) => setTimeout(r, 100));
    const second = collector();
    const again = createDirectoryWatchSource(options(root));
    await again.start(second.onObject);
    try {
      await until('2 event(s)', () => second.events.length === 2, 10_000, 50);
      await new Promise((r) => setTimeout(r, 400));
      expect(second.keys()).toEqual(['a.json', 'b.json']);
      expect(second.events.find((e) => e.key === 'a.json')?.size).toBe(8);
    } finally {
      await again.stop();
    }
  });

  it('does not report keys under ignored prefixes', async () => {
    const root = tempRoot();
    const store = createFsStore({ root });
    await store.put('lake/logs/org=a/x.parquet', Buffer.from('PAR1'));
    await store.put('otel-raw/a/c/logs_1.json', Buffer.from('{}'));
    const c = collector();
    const source = createDirectoryWatchSource({ ...options(root), ignorePrefixes: ['lake/'] });
    await source.start(c.onObject);
    try {
      await until('1 event(s)', () => c.events.length === 1, 10_000, 50);
      await new Promise((r) => setTimeout(r, 400));
      expect(c.keys()).toEqual(['otel-raw/a/c/logs_1.json']);
    } finally {
      await source.stop();
    }
  });

  it('retries an event whose delivery failed instead of forgetting it', async () => {
    const root = tempRoot();
    await writeFile(join(root, 'flaky.json'), '{}');
    let attempts = 0;
    const delivered: string[] = [];
    const source = createDirectoryWatchSource(options(root));
    await source.start(async (e) => {
      attempts++;
      if (attempts < 3) throw new Error('kafka is down');
      delivered.push(e.key);
    });
    try {
      await until('the delivery', () => delivered.length === 1, 10_000, 50);
      expect(attempts).toBe(3);
    } finally {
      await source.stop();
    }
  });
});
