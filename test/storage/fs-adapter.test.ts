import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRuntimeMetrics } from '../../packages/core/src/index.js';
import { fsStorageAdapter } from '../../packages/storage-fs/src/index.js';
import { until } from '../support/wait.js';
import { collector, counterValue, recordingLogger, sleep, tempDir } from './support.js';

/** The error `create` rejects with. */
const createError = (options: Record<string, unknown>) =>
  fsStorageAdapter.create(options as never).then(
    () => undefined,
    (e: Error & { code?: string }) => e,
  );

describe('storage-fs adapter options', () => {
  it('accepts every documented option, including ignorePrefixes as lakerunner run passes it', async () => {
    const root = join(tempDir('fs-adapter'), 'bucket');
    const { store, sources } = await fsStorageAdapter.create({
      ignorePrefixes: ['lake/'],
      root,
      bucket: 'raw',
      pollIntervalMs: 200,
      settleMs: 500,
    });
    expect(store.bucket).toBe('raw');
    expect(sources.map((s) => s.name)).toEqual(['directory-watch']);
    await store.put('x.json', Buffer.from('{}'));
  });

  it.each([
    [{ pollInterval: 100 }, 'pollInterval'],
    [{ pollIntervalMs: '100' }, 'pollIntervalMs'],
    [{ pollIntervalMs: 0 }, 'pollIntervalMs'],
    [{ settleMs: -1 }, 'settleMs'],
    [{ settleMs: 1.5 }, 'settleMs'],
    [{ ignorePrefixes: 'lake/' }, 'ignorePrefixes'],
    [{ ignorePrefixes: ['lake/', 3] }, 'ignorePrefixes'],
    [{ bucket: 7 }, 'bucket'],
    [{ root: '' }, 'root'],
    [{ root: undefined }, 'root'],
  ])('rejects %j naming storage.options.%s', async (bad, key) => {
    const err = await createError({ root: tempDir('fs-adapter-bad'), ...bad });
    expect(err?.code).toBe('LR_CONFIG_INVALID');
    expect(err?.message).toContain(`storage.options.${key}:`);
  });

  it('rejects a root that exists and is not a directory, naming the path', async () => {
    const file = join(tempDir('fs-adapter-file'), 'bucket');
    writeFileSync(file, 'not a directory');
    const err = await createError({ root: file });
    expect(err?.code).toBe('LR_CONFIG_INVALID');
    expect(err?.message).toContain(file);
    expect(err?.message).toContain('not a directory');
  });

  it('rejects a root that cannot be created, naming the path', async () => {
    const file = join(tempDir('fs-adapter-parent'), 'file');
    writeFileSync(file, 'a file where a directory should be');
    const root = join(file, 'bucket');
    const err = await createError({ root });
    expect(err?.code).toBe('LR_CONFIG_INVALID');
    expect(err?.message).toContain(root);
    expect(err?.message).toContain('cannot be created');
  });

  it("passes the process's log and metrics to the store and the watcher", async () => {
    const root = tempDir('fs-adapter-context');
    const outside = tempDir('outside');
    writeFileSync(join(outside, 'secret.json'), '{}');
    mkdirSync(join(root, 'raw'));
    writeFileSync(join(root, 'raw', 'ok.json'), '{}');
    symlinkSync(join(outside, 'secret.json'), join(root, 'raw', 'link.json'));
    const { log, about } = recordingLogger();
    const metrics = createRuntimeMetrics();
    const { store, sources } = await fsStorageAdapter.create(
      { root, pollIntervalMs: 100, settleMs: 100 },
      { log, metrics },
    );
    await store.getBytes('raw/link.json').catch(() => {});
    expect(await counterValue(metrics.storageRefused, { store: 'fs', reason: 'symlink' })).toBe(1);
    const c = collector();
    const [source] = sources;
    await source?.start(c.onObject);
    try {
      await until('ok.json', () => c.events.length === 1, 10_000, 50);
      await until('the watcher to report the link', () => about('raw/link.json').length === 2, 10_000, 50);
      expect(
        await counterValue(metrics.sourceSkipped, { source: 'directory-watch', reason: 'symlink' }),
      ).toBe(1);
      expect(c.keys()).toEqual(['raw/ok.json']);
    } finally {
      await source?.stop();
    }
  });

  it('honours settleMs: nothing is announced before the quiet period is over', async () => {
    const root = tempDir('fs-adapter-settle');
    writeFileSync(join(root, 'a.json'), '{}');
    const { sources } = await fsStorageAdapter.create({ root, pollIntervalMs: 50, settleMs: 60_000 });
    const c = collector();
    const [source] = sources;
    await source?.start(c.onObject);
    try {
      await sleep(800);
      expect(c.events).toEqual([]);
    } finally {
      await source?.stop();
    }
  });
});
