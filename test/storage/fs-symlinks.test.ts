import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRuntimeMetrics } from '../../packages/core/src/index.js';
import { createDirectoryWatchSource, createFsStore, TEMP_DIR } from '../../packages/storage-fs/src/index.js';
import { until } from '../support/wait.js';
import { codeOf, collector, counterValue, recordingLogger, sleep, tempDir } from './support.js';

/** A bucket with a real file and a symlinked file that points at a secret outside the root. */
function bucketWithOutsideLink() {
  const root = tempDir('fs-links');
  const outside = tempDir('outside');
  writeFileSync(join(outside, 'secret.json'), '{"secret":"from outside the bucket"}');
  mkdirSync(join(root, 'otel-raw', 'a'), { recursive: true });
  writeFileSync(join(root, 'otel-raw', 'a', 'real.json'), '{}');
  symlinkSync(join(outside, 'secret.json'), join(root, 'otel-raw', 'a', 'link.json'));
  return { root, outside };
}

describe('storage-fs: symlinks inside the bucket are never followed', () => {
  it('a symlinked file is not an object: not listed, and get, getBytes and head refuse it', async () => {
    const { root } = bucketWithOutsideLink();
    const { log, about } = recordingLogger();
    const metrics = createRuntimeMetrics();
    const store = createFsStore({ root, log, metrics });

    const keys: string[] = [];
    for await (const o of store.list()) keys.push(o.key);
    expect(keys).toEqual(['otel-raw/a/real.json']);

    const key = 'otel-raw/a/link.json';
    for (const op of [() => store.get(key), () => store.getBytes(key), () => store.head(key)]) {
      const err = await op().then(
        () => undefined,
        (e: Error & { code?: string }) => e,
      );
      expect(err?.code).toBe('LR_STORAGE_KEY_INVALID');
      expect(err?.message).toContain(key);
      expect(err?.message).toContain('symlink');
    }
    // Three refused operations and one listing skip, each with a log line and a count.
    expect(about(key).map((l) => [l.level, l.fields.op ?? 'list'])).toEqual([
      ['warn', 'list'],
      ['warn', 'get'],
      ['warn', 'get'],
      ['warn', 'head'],
    ]);
    expect(await counterValue(metrics.storageRefused, { store: 'fs', reason: 'symlink' })).toBe(4);
  });

  it('the watcher never announces a symlinked file, and reports it once', async () => {
    const { root } = bucketWithOutsideLink();
    const { log, about } = recordingLogger();
    const metrics = createRuntimeMetrics();
    const c = collector();
    const source = createDirectoryWatchSource({ root, pollIntervalMs: 100, settleMs: 100, log, metrics });
    await source.start(c.onObject);
    try {
      await until('the real file', () => c.events.length === 1, 10_000, 50);
      await sleep(1000); // ten more rescans
      expect(c.keys()).toEqual(['otel-raw/a/real.json']);
      const lines = about('otel-raw/a/link.json');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        level: 'warn',
        fields: { reason: 'symlink', source: 'directory-watch' },
      });
      expect(
        await counterValue(metrics.sourceSkipped, { source: 'directory-watch', reason: 'symlink' }),
      ).toBe(1);
    } finally {
      await source.stop();
    }
  });

  it('a directory symlink planted under lake/ cannot be written, read or deleted through', async () => {
    const root = tempDir('fs-planted');
    const outside = tempDir('outside');
    writeFileSync(join(outside, 'keep.txt'), 'outside');
    mkdirSync(join(root, 'lake'));
    symlinkSync(outside, join(root, 'lake', 'evil'));
    symlinkSync(join(outside, 'keep.txt'), join(root, 'lake', 'file-link.parquet'));
    const { log, lines } = recordingLogger();
    const metrics = createRuntimeMetrics();
    const store = createFsStore({ root, log, metrics });

    expect(await codeOf(store.put('lake/evil/x.parquet', Buffer.from('PAR1')))).toBe(
      'LR_STORAGE_KEY_INVALID',
    );
    expect(await codeOf(store.put('lake/evil/deeper/x.parquet', Buffer.from('PAR1')))).toBe(
      'LR_STORAGE_KEY_INVALID',
    );
    expect(await codeOf(store.put('lake/evil/y.parquet', Buffer.from('PAR1'), { ifNoneMatch: true }))).toBe(
      'LR_STORAGE_KEY_INVALID',
    );
    // A symlink as the key itself is not replaced (nor written through) either.
    expect(await codeOf(store.put('lake/file-link.parquet', Buffer.from('PAR1')))).toBe(
      'LR_STORAGE_KEY_INVALID',
    );
    expect(await codeOf(store.getBytes('lake/evil/keep.txt'))).toBe('LR_STORAGE_KEY_INVALID');
    expect(await codeOf(store.delete('lake/evil/keep.txt'))).toBe('LR_STORAGE_KEY_INVALID');
    expect(await codeOf(store.delete('lake/file-link.parquet'))).toBe('LR_STORAGE_KEY_INVALID');

    expect(readdirSync(outside)).toEqual(['keep.txt']);
    expect(readFileSync(join(outside, 'keep.txt'), 'utf8')).toBe('outside');
    expect(readdirSync(join(root, TEMP_DIR))).toEqual([]);
    expect(lines.filter((l) => l.level === 'warn' && l.fields.at === 'lake/evil')).toHaveLength(5);
    expect(await counterValue(metrics.storageRefused, { store: 'fs', reason: 'symlink' })).toBe(7);

    // Writes elsewhere in the lake still work.
    await store.put('lake/good/x.parquet', Buffer.from('PAR1'));
    expect((await store.getBytes('lake/good/x.parquet')).toString()).toBe('PAR1');
  });

  it('a symlink to a directory inside the root is not traversed either', async () => {
    const root = tempDir('fs-inner-link');
    mkdirSync(join(root, 'real'));
    writeFileSync(join(root, 'real', 'x.json'), '{}');
    symlinkSync(join(root, 'real'), join(root, 'alias'));
    const { log, about } = recordingLogger();
    const metrics = createRuntimeMetrics();
    const store = createFsStore({ root, log, metrics });

    const keys: string[] = [];
    for await (const o of store.list()) keys.push(o.key);
    expect(keys).toEqual(['real/x.json']);
    const under: string[] = [];
    for await (const o of store.list('alias/')) under.push(o.key);
    expect(under).toEqual([]);
    expect(await codeOf(store.getBytes('alias/x.json'))).toBe('LR_STORAGE_KEY_INVALID');
    expect(await codeOf(store.head('alias/x.json'))).toBe('LR_STORAGE_KEY_INVALID');
    expect(await codeOf(store.put('alias/y.json', Buffer.from('{}')))).toBe('LR_STORAGE_KEY_INVALID');
    expect(readdirSync(join(root, 'real'))).toEqual(['x.json']);

    const c = collector();
    const source = createDirectoryWatchSource({ root, pollIntervalMs: 100, settleMs: 100, log, metrics });
    await source.start(c.onObject);
    try {
      await until('the real file', () => c.events.length === 1, 10_000, 50);
      await sleep(600);
      expect(c.keys()).toEqual(['real/x.json']);
      expect(about('alias').filter((l) => l.fields.source === 'directory-watch')).toHaveLength(1);
      expect(
        await counterValue(metrics.sourceSkipped, { source: 'directory-watch', reason: 'symlink' }),
      ).toBe(1);
    } finally {
      await source.stop();
    }
  });

  it('a symlink planted as the watch state directory is neither read nor written through', async () => {
    const root = tempDir('fs-state-link');
    const outside = tempDir('outside');
    writeFileSync(join(root, 'a.json'), '{}');
    symlinkSync(outside, join(root, '.lakerunner-watch'));
    const { log, lines } = recordingLogger();
    const c = collector();
    const source = createDirectoryWatchSource({ root, pollIntervalMs: 100, settleMs: 100, log });
    await source.start(c.onObject);
    try {
      await until('a.json', () => c.events.length === 1, 10_000, 50);
      await until('the refusal', () => lines.some((l) => l.level === 'error'), 10_000, 50);
      expect(readdirSync(outside)).toEqual([]);
      const failure = lines.find((l) => l.level === 'error');
      expect(failure?.message).toContain('directory scan failed');
      expect(String(failure?.fields.error)).toContain('symlink at .lakerunner-watch');
    } finally {
      await source.stop();
    }
  });
});
