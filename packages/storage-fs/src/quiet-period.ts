/**
 * Tells a finished file from one still being written. An entry is quiet once its state (size,
 * mtime, ctime, inode) was the same in two observations at least `settleMs` apart, timed by this
 * process's monotonic clock: the file's own mtime alone can lie (coarse timestamps, skewed or
 * preserved clocks), while two looks that far apart cannot miss an append in between.
 */
export interface QuietPeriod {
  /** Records an observation; true when `state` has now held for the quiet period. */
  observe(id: string, state: string, now?: number): boolean;
  /** The value attached to the entry's current state (e.g. its version), if any. */
  note(id: string, state: string): string | undefined;
  attach(id: string, state: string, value: string): void;
  /** Forget entries for which `keep` is false (files that are gone). */
  retain(keep: (id: string) => boolean): void;
}

export function createQuietPeriod(settleMs: number): QuietPeriod {
  const seen = new Map<string, { state: string; since: number; value?: string }>();
  return {
    observe(id, state, now = performance.now()) {
      const previous = seen.get(id);
      if (previous?.state === state) return now - previous.since >= settleMs;
      seen.set(id, { state, since: now });
      return false;
    },
    note(id, state) {
      const entry = seen.get(id);
      return entry?.state === state ? entry.value : undefined;
    },
    attach(id, state, value) {
      const entry = seen.get(id);
      if (entry?.state === state) entry.value = value;
    },
    retain(keep) {
      for (const id of seen.keys()) if (!keep(id)) seen.delete(id);
    },
  };
}
