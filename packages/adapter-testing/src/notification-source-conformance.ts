import type { NotificationSource, ObjectEvent, ObjectStore } from '@lakerunner/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from './until.js';

/**
 * A notification source on its real backend (or the emulator closest to it): the store whose
 * objects it announces and a way to make more sources on the same queue/subscription, as a
 * restarted process would.
 */
export interface SourceBackend {
  store: ObjectStore;
  /** A new, unstarted source reading the backend's notifications. */
  makeSource(): NotificationSource;
  /** Puts a message that is not an object event where the source reads (if the backend can). */
  sendGarbage?(): Promise<void>;
  close?(): Promise<void>;
}

/**
 * The notification source conformance suite: every created object is announced with the version
 * the store reports; a hand-over that failed is delivered again (nothing is acknowledged before
 * `onObject` resolved); removals and messages that are no event are not announced, and do not
 * hold up the others; a source stopped in the middle of a hand-over loses nothing.
 */
export interface NotificationSourceConformanceOptions {
  /** How long an event may take to arrive (default 30 s). */
  timeoutMs?: number;
}

export function notificationSourceConformance(
  name: string,
  makeBackend: () => Promise<SourceBackend>,
  { timeoutMs = 30_000 }: NotificationSourceConformanceOptions = {},
) {
  describe(`${name}: notification source conformance`, () => {
    let backend: SourceBackend;
    let source: NotificationSource | undefined;
    const events: ObjectEvent[] = [];
    let onObject: (event: ObjectEvent) => Promise<void> = async (e) => {
      events.push(e);
    };
    const prefix = `otel-raw/conformance-${Date.now().toString(36)}`;
    const announced = (key: string) => events.filter((e) => e.key === key);

    beforeAll(async () => {
      backend = await makeBackend();
      source = backend.makeSource();
      await source.start((e) => onObject(e));
    });
    afterAll(async () => {
      await source?.stop();
      await backend.close?.();
    });

    it('announces every created object with its size and the version the store reports', async () => {
      const keys = Array.from({ length: 5 }, (_, i) => `${prefix}/a/logs_${i}.json`);
      const puts = await Promise.all(keys.map((k, i) => backend.store.put(k, Buffer.from(`{"i":${i}}\n`))));
      await until('every object announced', () => keys.every((k) => announced(k).length > 0), timeoutMs);
      for (const put of puts) {
        expect(announced(put.key).at(-1)).toEqual({
          bucket: backend.store.bucket,
          key: put.key,
          size: put.size,
          version: put.version,
        });
      }
    });

    it('delivers again what failed to be handed over', async () => {
      const key = `${prefix}/b/retry.json`;
      let failures = 0;
      onObject = async (e) => {
        if (e.key === key && failures < 2) {
          failures++;
          throw new Error('Kafka is down (conformance)');
        }
        events.push(e);
      };
      await backend.store.put(key, Buffer.from('{"retry":true}\n'));
      await until('the object after two failed hand-overs', () => announced(key).length > 0, timeoutMs * 2);
      expect(failures).toBe(2);
    });

    it('announces no removal and no message that is not an event, and they hold up nothing', async () => {
      const doomed = `${prefix}/c/doomed.json`;
      await backend.store.put(doomed, Buffer.from('{}\n'));
      await until('the doomed object', () => announced(doomed).length > 0, timeoutMs);
      const before = events.length;
      await backend.store.delete(doomed);
      await backend.sendGarbage?.();
      const marker = `${prefix}/c/marker.json`;
      await backend.store.put(marker, Buffer.from('{}\n'));
      await until('the marker behind them', () => announced(marker).length > 0, timeoutMs);
      expect(events.slice(before).map((e) => e.key)).toEqual([marker]);
    });

    it('a source stopped during a hand-over loses nothing: a new one delivers what was pending', async () => {
      let release: () => void = () => {};
      const held = new Promise<void>((r) => {
        release = r;
      });
      const keys = Array.from({ length: 3 }, (_, i) => `${prefix}/d/pending_${i}.json`);
      let started = 0;
      onObject = async (e) => {
        if (keys.includes(e.key) && started++ === 0) {
          // The first hand-over hangs until the source is being stopped, then fails, as a
          // publish cut off by shutdown would.
          await held;
          throw new Error('stopped before Kafka acknowledged (conformance)');
        }
        events.push(e);
      };
      for (const key of keys) await backend.store.put(key, Buffer.from('{}\n'));
      await until('a hand-over in progress', () => started > 0, timeoutMs);
      const stopping = source?.stop();
      release();
      await stopping;
      source = backend.makeSource();
      await source.start((e) => onObject(e));
      await until('every pending object', () => keys.every((k) => announced(k).length > 0), timeoutMs * 2);
    });
  });
}
