import { statSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDirectoryWatchSource, createFsStore } from '../../packages/storage-fs/src/index.js';
import { until } from '../support/wait.js';
import { collector, sleep, tempDir } from './support.js';

describe('storage-fs: an object is identified by its content', () => {
  it('the version is a content hash: same bytes, same version, however they were written', async () => {
    const root = tempDir('fs-versions');
    const store = createFsStore({ root });
    const first = await store.put('x/data.json', Buffer.from('{"n":1}'));
    expect(first.version).toMatch(/^[0-9a-f]{32}$/);
    await sleep(20);
    expect((await store.put('x/data.json', Buffer.from('{"n":1}'))).version).toBe(first.version);
    // Rewritten in place by someone else (same inode, new mtime): still the same object.
    writeFileSync(join(root, 'x', 'data.json'), '{"n":1}');
    expect((await store.head('x/data.json'))?.version).toBe(first.version);
    // Same size, different bytes: a new version.
    writeFileSync(join(root, 'x', 'data.json'), '{"n":2}');
    const second = await store.head('x/data.json');
    expect(second?.version).not.toBe(first.version);
    expect(second?.size).toBe(7);
    const listed: string[] = [];
    for await (const o of store.list('x/')) listed.push(o.version);
    expect(listed).toEqual([second?.version]);
  });

  it('the watcher does not announce identical bytes again, and announces different bytes', async () => {
    const root = tempDir('fs-versions-watch');
    const path = join(root, 'logs.json');
    writeFileSync(path, '{"n":1}');
    const c = collector();
    const source = createDirectoryWatchSource({ root, pollIntervalMs: 100, settleMs: 100 });
    await source.start(c.onObject);
    try {
      await until('the first version', () => c.events.length === 1, 10_000, 50);
      writeFileSync(path, '{"n":1}');
      await sleep(1000);
      expect(c.events).toHaveLength(1);
      writeFileSync(path, '{"n":2}');
      await until('the second version', () => c.events.length === 2, 10_000, 50);
      expect(c.events[1]?.version).not.toBe(c.events[0]?.version);
      expect(c.events[1]).toMatchObject({ key: 'logs.json', size: 7 });
    } finally {
      await source.stop();
    }
  });

  it('a state file written before content versions does not make the watcher announce it all again', async () => {
    const root = tempDir('fs-versions-legacy');
    writeFileSync(join(root, 'old.json'), '{"old":true}');
    writeFileSync(join(root, 'new.json'), '{"new":true}');
    // What the store's former version (inode-mtime-size) recorded for old.json.
    const s = statSync(join(root, 'old.json'), { bigint: true });
    await mkdir(join(root, '.lakerunner-watch'));
    writeFileSync(
      join(root, '.lakerunner-watch', 'delivered.json'),
      JSON.stringify({ 'old.json': `${s.ino}-${s.mtimeNs}-${s.size}` }),
    );
    const c = collector();
    const source = createDirectoryWatchSource({ root, pollIntervalMs: 100, settleMs: 100 });
    await source.start(c.onObject);
    try {
      await until('the new file', () => c.events.length === 1, 10_000, 50);
      await sleep(500);
      expect(c.keys()).toEqual(['new.json']);
    } finally {
      await source.stop();
    }
  });
});
