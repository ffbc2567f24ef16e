import { appendFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDirectoryWatchSource } from '../../packages/storage-fs/src/index.js';
import { until } from '../support/wait.js';
import { collector, sleep, tempDir } from './support.js';

const records = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => `{"n":${from + i}}\n`).join('');

describe('storage-fs watcher: the quiet period', () => {
  it('announces a file being appended to once, with its final size, after it stopped changing', async () => {
    const root = tempDir('fs-quiet');
    const path = join(root, 'logs.ndjson');
    const c = collector();
    const source = createDirectoryWatchSource({ root, pollIntervalMs: 100, settleMs: 1000 });
    await source.start(c.onObject);
    try {
      writeFileSync(path, records(0, 100));
      for (const from of [100, 200]) {
        await sleep(300);
        appendFileSync(path, records(from, 100));
      }
      const finalSize = statSync(path).size;
      await until('the announcement', () => c.events.length === 1, 10_000, 50);
      expect(c.events[0]).toMatchObject({ key: 'logs.ndjson', size: finalSize });
      await sleep(1500);
      expect(c.events).toHaveLength(1);
    } finally {
      await source.stop();
    }
  });

  it("does not trust a file's mtime: an old mtime does not make an appended file quiet", async () => {
    const root = tempDir('fs-quiet-mtime');
    const path = join(root, 'logs.ndjson');
    // A writer that preserves an old timestamp (cp -p, tar, a skewed clock) after each append.
    const old = new Date(Date.now() - 3_600_000);
    const c = collector();
    const source = createDirectoryWatchSource({ root, pollIntervalMs: 100, settleMs: 1000 });
    await source.start(c.onObject);
    try {
      writeFileSync(path, records(0, 100));
      utimesSync(path, old, old);
      for (const from of [100, 200]) {
        await sleep(300);
        appendFileSync(path, records(from, 100));
        utimesSync(path, old, old);
      }
      const finalSize = statSync(path).size;
      await until('the announcement', () => c.events.length === 1, 10_000, 50);
      expect(c.events[0]?.size).toBe(finalSize);
      await sleep(1000);
      expect(c.events).toHaveLength(1);
    } finally {
      await source.stop();
    }
  });
});
