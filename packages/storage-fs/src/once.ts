/**
 * Remembers which (path, reason) pairs were already reported, so a rescan that meets the same
 * symlink or hidden file every second logs it once. `retain` forgets what is gone (a path that
 * comes back is reported again); the limit bounds memory when nothing ever calls it.
 */
export interface Once {
  /** True the first time an id is seen. */
  first(id: string): boolean;
  /** Forget every id for which `keep` is false. */
  retain(keep: (id: string) => boolean): void;
}

export function createOnce(limit = 10_000): Once {
  const seen = new Set<string>();
  return {
    first(id) {
      if (seen.has(id)) return false;
      if (seen.size >= limit) seen.clear();
      seen.add(id);
      return true;
    },
    retain(keep) {
      for (const id of seen) if (!keep(id)) seen.delete(id);
    },
  };
}
