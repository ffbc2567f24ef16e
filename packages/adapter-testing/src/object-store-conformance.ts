import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ObjectStore } from '@lakerunner/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** What a backend can do; a capability it lacks skips its tests (and says so in the report). */
export interface ObjectStoreConformanceOptions {
  /** Put with `ifNoneMatch` refuses an existing key (default true). */
  conditionalPut?: boolean;
  /** Lists of more than 1000 objects, which takes 1100 puts (default true). */
  largeListings?: boolean;
}

/**
 * The object store conformance suite. Every storage adapter runs it against its real backend
 * (or the emulator closest to it): an adapter is done when this passes.
 */
export function objectStoreConformance(
  name: string,
  makeStore: () => Promise<ObjectStore>,
  { conditionalPut = true, largeListings = true }: ObjectStoreConformanceOptions = {},
) {
  describe(`${name}: object store conformance`, () => {
    let store: ObjectStore;
    const prefix = `conformance-${Date.now().toString(36)}/`;

    beforeAll(async () => {
      store = await makeStore();
    });
    afterAll(async () => {
      await store.close?.();
    });

    const code = async (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: { code?: string }) => e.code ?? String(e),
      );

    it('puts and gets bytes; head reports size and a version', async () => {
      const body = Buffer.from('hello lake');
      const put = await store.put(`${prefix}a/hello.txt`, body);
      expect(put).toMatchObject({ key: `${prefix}a/hello.txt`, size: body.length });
      expect(put.version.length).toBeGreaterThan(0);
      expect(await store.getBytes(`${prefix}a/hello.txt`)).toEqual(body);
      expect(await store.head(`${prefix}a/hello.txt`)).toMatchObject({
        size: body.length,
        version: put.version,
      });
    });

    it('streams an 8 MiB object in and out unchanged', async () => {
      const chunks = Array.from({ length: 8 }, () => randomBytes(1 << 20));
      const want = createHash('sha256').update(Buffer.concat(chunks)).digest('hex');
      await store.put(`${prefix}big.bin`, Readable.from(chunks));
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of await store.get(`${prefix}big.bin`)) {
        hash.update(chunk as Buffer);
        size += (chunk as Buffer).length;
      }
      expect(size).toBe(8 << 20);
      expect(hash.digest('hex')).toBe(want);
    });

    it('a replaced object gets a new version', async () => {
      const first = await store.put(`${prefix}replace.txt`, Buffer.from('one'));
      const second = await store.put(`${prefix}replace.txt`, Buffer.from('two!'));
      expect(second.version).not.toBe(first.version);
      expect((await store.getBytes(`${prefix}replace.txt`)).toString()).toBe('two!');
    });

    it('the version follows the content: identical bytes keep it, different bytes change it', async () => {
      // Identity by content: rewriting the same bytes is not a new object (not ingested twice).
      const first = await store.put(`${prefix}content.txt`, Buffer.from('abcd'));
      const same = await store.put(`${prefix}content.txt`, Buffer.from('abcd'));
      expect(same.version).toBe(first.version);
      expect((await store.head(`${prefix}content.txt`))?.version).toBe(first.version);
      // Same size, different bytes, written right after: a new version all the same.
      const other = await store.put(`${prefix}content.txt`, Buffer.from('abce'));
      expect(other.version).not.toBe(first.version);
      const listed: string[] = [];
      for await (const o of store.list(`${prefix}content.txt`)) listed.push(o.version);
      expect(listed).toEqual([other.version]);
      // Back to the first bytes: the first version again.
      expect((await store.put(`${prefix}content.txt`, Buffer.from('abcd'))).version).toBe(first.version);
    });

    it('a streamed put gets the same version as the same bytes put at once', async () => {
      const bytes = Buffer.from('streamed in three chunks');
      const whole = await store.put(`${prefix}stream-a.txt`, bytes);
      const streamed = await store.put(
        `${prefix}stream-b.txt`,
        Readable.from([bytes.subarray(0, 5), bytes.subarray(5, 11), bytes.subarray(11)]),
      );
      expect(streamed.version).toBe(whole.version);
    });

    it.runIf(conditionalPut)(
      'a conditional put refuses an existing key and leaves it unchanged',
      async () => {
        await store.put(`${prefix}once.txt`, Buffer.from('first'), { ifNoneMatch: true });
        expect(await code(store.put(`${prefix}once.txt`, Buffer.from('second'), { ifNoneMatch: true }))).toBe(
          'LR_STORAGE_PRECONDITION',
        );
        expect((await store.getBytes(`${prefix}once.txt`)).toString()).toBe('first');
      },
    );

    it('reports missing objects: head undefined, get LR_STORAGE_NOT_FOUND, delete is a no-op', async () => {
      expect(await store.head(`${prefix}missing`)).toBeUndefined();
      expect(await code(store.getBytes(`${prefix}missing`))).toBe('LR_STORAGE_NOT_FOUND');
      expect(await code(store.get(`${prefix}missing`))).toBe('LR_STORAGE_NOT_FOUND');
      expect(await code(store.delete(`${prefix}missing`))).toBe('ok');
    });

    it(`lists by prefix in key order, across nested paths${largeListings ? ' and more than 1000 objects' : ''}`, async () => {
      const keys = Array.from(
        { length: largeListings ? 1100 : 120 },
        (_, i) => `${prefix}list/${String(i % 7)}/obj-${String(i).padStart(4, '0')}`,
      );
      for (let i = 0; i < keys.length; i += 100) {
        await Promise.all(keys.slice(i, i + 100).map((k) => store.put(k, Buffer.from(k))));
      }
      await store.put(`${prefix}list-sibling`, Buffer.from('x'));
      const listed: string[] = [];
      for await (const o of store.list(`${prefix}list/`)) listed.push(o.key);
      expect(listed).toEqual([...keys].sort());
      const narrow: string[] = [];
      for await (const o of store.list(`${prefix}list/3/obj-00`)) narrow.push(o.key);
      expect(narrow).toEqual(keys.filter((k) => k.startsWith(`${prefix}list/3/obj-00`)).sort());
    });

    it('deletes objects', async () => {
      await store.put(`${prefix}gone.txt`, Buffer.from('bye'));
      await store.delete(`${prefix}gone.txt`);
      expect(await store.head(`${prefix}gone.txt`)).toBeUndefined();
    });

    it('rejects unsafe keys before touching the backend', async () => {
      for (const key of ['../escape', '/abs/path', 'a/../b', 'nul\0byte', '', 'a//b']) {
        expect(await code(store.put(key, Buffer.from('x'))), key).toBe('LR_STORAGE_KEY_INVALID');
        expect(await code(store.getBytes(key)), key).toBe('LR_STORAGE_KEY_INVALID');
      }
    });

    it('concurrent writers of one key leave one whole version, never a mix', async () => {
      const a = Buffer.alloc(1 << 20, 'a');
      const b = Buffer.alloc(1 << 20, 'b');
      await Promise.all([store.put(`${prefix}race.bin`, a), store.put(`${prefix}race.bin`, b)]);
      const got = await store.getBytes(`${prefix}race.bin`);
      expect(got.equals(a) || got.equals(b)).toBe(true);
    });
  });
}
