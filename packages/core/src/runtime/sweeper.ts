import type { Catalog } from '../catalog/catalog.js';
import type { ObjectStore } from '../storage/object-store.js';

/**
 * Deletes the objects of segments that were replaced (unpublished by compaction) longer than
 * `graceMs` ago, then forgets them in the catalog. The grace period counts from unpublish time,
 * so queries and rollups still reading a just-replaced segment find it.
 */
export async function sweepReplacedSegments(options: {
  catalog: Catalog;
  store: ObjectStore;
  signal: string;
  graceMs: number;
  now?: number;
}): Promise<{ deleted: number; bytes: number }> {
  const cutoff = (options.now ?? Date.now()) - options.graceMs;
  const expired = (await options.catalog.segments({ signal: options.signal, publishedOnly: false })).filter(
    (s) => !s.published && s.unpublishedAt !== null && s.unpublishedAt.getTime() <= cutoff,
  );
  for (const s of expired) await options.store.delete(s.objectKey);
  const deleted = await options.catalog.deleteUnpublished(expired.map((s) => s.segmentId));
  return { deleted, bytes: expired.reduce((n, s) => n + s.bytes, 0) };
}
