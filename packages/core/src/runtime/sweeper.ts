import type { Catalog } from '../catalog/catalog.js';
import { type Logger, silentLogger } from '../logger.js';
import type { SignalPlugin } from '../plugin/signal-plugin.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { TopicRegistry } from '../topics/registry.js';
import { offerUnmergedSegments } from './compaction-planner.js';
import type { MessageProducer } from './producer.js';
import type { Service } from './service.js';

/**
 * Deletes the objects of segments that were replaced (unpublished by compaction) longer than
 * `graceMs` ago and that every stage reading them has consumed (a compacted 10 s metrics segment
 * stays until rollup read it), then forgets them in the catalog. The grace period counts from
 * unpublish time, so queries still reading a just-replaced segment find it.
 */
export async function sweepReplacedSegments(options: {
  catalog: Catalog;
  store: ObjectStore;
  signal: string;
  graceMs: number;
  now?: number;
}): Promise<{ deleted: number; bytes: number }> {
  const cutoff = (options.now ?? Date.now()) - options.graceMs;
  const expired = await options.catalog.sweepable(options.signal, new Date(cutoff));
  for (const s of expired) await options.store.delete(s.objectKey);
  const deleted = await options.catalog.deleteUnpublished(expired.map((s) => s.segmentId));
  return { deleted, bytes: expired.reduce((n, s) => n + s.bytes, 0) };
}

/**
 * Deletes objects under the signal's part of the lake that no catalog row knows and that are
 * older than `graceMs`: outputs of a unit whose inputs another unit consumed first, or parts a
 * retry no longer wrote. The grace keeps objects a worker is about to register.
 */
export async function sweepOrphanObjects(options: {
  catalog: Catalog;
  store: ObjectStore;
  signal: string;
  lakePrefix: string;
  graceMs: number;
  now?: number;
}): Promise<{ deleted: number }> {
  const cutoff = (options.now ?? Date.now()) - options.graceMs;
  const known = new Set(
    (await options.catalog.segments({ signal: options.signal, publishedOnly: false })).map(
      (s) => s.objectKey,
    ),
  );
  let deleted = 0;
  for await (const object of options.store.list(`${options.lakePrefix}/${options.signal}/`, {
    versions: false,
  })) {
    if (known.has(object.key) || object.modifiedAt.getTime() > cutoff) continue;
    await options.store.delete(object.key);
    deleted++;
  }
  return { deleted };
}

export const SWEEPER_SERVICE = 'sweeper';

export interface SweeperOptions {
  catalog: Catalog;
  store: ObjectStore;
  plugins: readonly SignalPlugin[];
  lakePrefix: string;
  /** Replaced segments and orphans older than this are deleted (default 1 hour). */
  graceMs?: number;
  /** How often to sweep (default 5 minutes). */
  intervalMs?: number;
  log?: Logger;
  /**
   * With both, each pass also offers segments a merging stage left alone to its boxer again
   * (./compaction-planner.ts), so every day ends with the fewest segments the target size allows.
   */
  registry?: TopicRegistry;
  producer?: MessageProducer;
}

/** The sweeper as a service: one pass per interval over every signal. */
export function createSweeper(options: SweeperOptions): Service & { sweepOnce(): Promise<void> } {
  const log = options.log ?? silentLogger;
  const graceMs = options.graceMs ?? 60 * 60 * 1000;
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<void> | undefined;

  async function sweepOnce() {
    for (const plugin of options.plugins) {
      if (options.registry && options.producer) {
        const { offered, groups } = await offerUnmergedSegments({
          catalog: options.catalog,
          registry: options.registry,
          producer: options.producer,
          plugin,
        });
        if (offered > 0)
          log.info('offered unmerged segments again', { signal: plugin.signal, offered, groups });
      }
      const common = { catalog: options.catalog, store: options.store, signal: plugin.signal, graceMs };
      const replaced = await sweepReplacedSegments(common);
      const orphans = await sweepOrphanObjects({ ...common, lakePrefix: options.lakePrefix });
      if (replaced.deleted + orphans.deleted > 0) {
        log.info('swept', {
          signal: plugin.signal,
          replaced: replaced.deleted,
          bytes: replaced.bytes,
          orphans: orphans.deleted,
        });
      }
    }
  }

  const run = () => {
    pass ??= sweepOnce()
      .catch((err) => log.warn('sweep failed; it runs again next interval', { error: String(err) }))
      .finally(() => {
        pass = undefined;
      });
  };

  return {
    name: SWEEPER_SERVICE,
    async start() {
      timer = setInterval(run, options.intervalMs ?? 5 * 60 * 1000);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await pass;
    },
    sweepOnce,
  };
}
