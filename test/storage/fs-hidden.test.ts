import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRuntimeMetrics } from '../../packages/core/src/index.js';
import { createDirectoryWatchSource, createFsStore } from '../../packages/storage-fs/src/index.js';
import { until } from '../support/wait.js';
import { collector, counterValue, recordingLogger, sleep, tempDir } from './support.js';

/** A hidden file, a hidden directory with a file in it, a nested dot-file, and one real object. */
function bucketWithHiddenEntries() {
  const root = tempDir('fs-hidden');
  writeFileSync(join(root, '.secret'), 'token');
  mkdirSync(join(root, '.hidden'));
  writeFileSync(join(root, '.hidden', 'x.json'), '{}');
  mkdirSync(join(root, 'a'));
  writeFileSync(join(root, 'a', '.dotfile'), '{}');
  writeFileSync(join(root, 'a', 'visible.json'), '{}');
  return root;
}

const HIDDEN = ['.hidden', '.secret', 'a/.dotfile'];

describe('storage-fs: hidden entries', () => {
  it('are not listed, and each is logged once however often the store lists', async () => {
    const root = bucketWithHiddenEntries();
    const { log, lines } = recordingLogger();
    const store = createFsStore({ root, log, metrics: createRuntimeMetrics() });
    for (let i = 0; i < 3; i++) {
      const keys: string[] = [];
      for await (const o of store.list()) keys.push(o.key);
      expect(keys).toEqual(['a/visible.json']);
    }
    const skipped = lines.filter((l) => l.fields.reason === 'hidden').map((l) => l.fields.key);
    expect(skipped.sort()).toEqual(HIDDEN);
    // A hidden key is still an object when asked for by name (the health probe relies on head).
    expect((await store.getBytes('.secret')).toString()).toBe('token');
  });

  it('are not announced by the watcher, which logs and counts each once', async () => {
    const root = bucketWithHiddenEntries();
    const { log, lines } = recordingLogger();
    const metrics = createRuntimeMetrics();
    // Skipped on purpose, so without a word: the store's own temporary directory and the
    // watcher's state, and whatever is under an ignored prefix (even a symlink there).
    await createFsStore({ root }).put('lake/seg.parquet', Buffer.from('PAR1'));
    writeFileSync(join(root, 'lake', '.partial'), '');
    symlinkSync(join(root, 'a'), join(root, 'lake', 'link'));
    const c = collector();
    const options = { root, pollIntervalMs: 100, settleMs: 100, log, metrics, ignorePrefixes: ['lake/'] };
    const source = createDirectoryWatchSource(options);
    await source.start(c.onObject);
    try {
      await until('the visible file', () => c.events.length === 1, 10_000, 50);
      await until('three hidden entries reported', () => lines.length >= 3, 10_000, 50);
      await sleep(800);
      expect(c.keys()).toEqual(['a/visible.json']);
      expect(lines.map((l) => [l.level, l.fields.reason, l.fields.key]).sort()).toEqual(
        HIDDEN.map((key) => ['warn', 'hidden', key]),
      );
      expect(await counterValue(metrics.sourceSkipped, { source: 'directory-watch', reason: 'hidden' })).toBe(
        3,
      );
    } finally {
      await source.stop();
    }
    // A restart reports them again (once): the log of one run is complete on its own.
    const again = createDirectoryWatchSource(options);
    await again.start(c.onObject);
    try {
      await until('reported again', () => lines.length >= 6, 10_000, 50);
      await sleep(500);
      expect(lines).toHaveLength(6);
      expect(c.events).toHaveLength(1);
    } finally {
      await again.stop();
    }
  });

  it("a writer's hidden temporary file, renamed into place within the quiet period, is not reported", async () => {
    const root = tempDir('fs-hidden-temp');
    const { log, lines } = recordingLogger();
    const c = collector();
    const source = createDirectoryWatchSource({ root, pollIntervalMs: 50, settleMs: 600, log });
    await source.start(c.onObject);
    try {
      writeFileSync(join(root, '.upload-123.tmp'), '{"a":1}');
      await sleep(200);
      renameSync(join(root, '.upload-123.tmp'), join(root, 'data.json'));
      await until('the renamed file', () => c.events.length === 1, 10_000, 50);
      expect(c.keys()).toEqual(['data.json']);
      expect(lines).toEqual([]);
    } finally {
      await source.stop();
    }
  });

  it('a state file kept inside the root is not announced', async () => {
    const root = tempDir('fs-state-inside');
    writeFileSync(join(root, 'a.json'), '{}');
    const { log, lines } = recordingLogger();
    const c = collector();
    const options = {
      root,
      stateFile: join(root, 'watch-state.json'),
      pollIntervalMs: 100,
      settleMs: 100,
      log,
    };
    const source = createDirectoryWatchSource(options);
    await source.start(c.onObject);
    try {
      await until('a.json', () => c.events.length === 1, 10_000, 50);
      writeFileSync(join(root, 'b.json'), '{}');
      await until('b.json', () => c.events.length === 2, 10_000, 50);
      await sleep(500);
      expect(c.keys()).toEqual(['a.json', 'b.json']);
      expect(lines).toEqual([]);
    } finally {
      await source.stop();
    }
  });
});
