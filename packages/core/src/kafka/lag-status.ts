import type { PairLag, PartitionLag } from './lag.js';

/**
 * Burrow-style status of a partition, judged over successive lag samples rather than against
 * thresholds:
 *   OK      no lag, or lag that is not growing while the group commits
 *   LAGGING lag seen in a single sample; --watch tells WARN, STALL and OK apart
 *   WARN    the group commits, but lag grew across the window
 *   STALL   the committed offset did not move while there was lag
 *   STOP    the group never committed on a partition that has messages
 *   REWIND  the committed offset went backwards
 *   ERROR   the pair could not be read
 */
export const LAG_STATUSES = ['OK', 'LAGGING', 'WARN', 'STALL', 'REWIND', 'STOP', 'ERROR'] as const;
export type LagStatus = (typeof LAG_STATUSES)[number];

/** `window` holds the same partition's samples, oldest first. */
export function partitionStatus(window: readonly PartitionLag[]): LagStatus {
  const last = window[window.length - 1];
  if (!last) return 'OK';
  for (let i = 1; i < window.length; i++) {
    const before = window[i - 1]?.committed;
    const after = window[i]?.committed;
    if (before !== null && before !== undefined && after !== null && after !== undefined && after < before) {
      return 'REWIND';
    }
  }
  if (last.lag === 0n) return 'OK';
  if (last.committed === null) return 'STOP';
  if (window.length < 2) return 'LAGGING';
  const first = window[0] as PartitionLag;
  if (first.committed === last.committed) return 'STALL';
  const growing = window.every((s, i) => i === 0 || s.lag >= (window[i - 1] as PartitionLag).lag);
  return growing && last.lag > first.lag ? 'WARN' : 'OK';
}

/** The worst partition status decides the pair's. */
export function worstStatus(statuses: Iterable<LagStatus>): LagStatus {
  let worst: LagStatus = 'OK';
  for (const s of statuses) if (LAG_STATUSES.indexOf(s) > LAG_STATUSES.indexOf(worst)) worst = s;
  return worst;
}

/** Status per pair and partition from a series of samples (oldest first) of the same pairs. */
export function evaluate(
  samples: readonly (readonly PairLag[])[],
): Map<string, { pair: LagStatus; partitions: Map<number, LagStatus> }> {
  const latest = samples[samples.length - 1] ?? [];
  const out = new Map<string, { pair: LagStatus; partitions: Map<number, LagStatus> }>();
  for (const pair of latest) {
    const key = pairKey(pair);
    if (pair.error) {
      out.set(key, { pair: 'ERROR', partitions: new Map() });
      continue;
    }
    const partitions = new Map<number, LagStatus>();
    for (const p of pair.partitions) {
      const window = samples
        .map((s) => s.find((q) => pairKey(q) === key)?.partitions.find((x) => x.partition === p.partition))
        .filter((x): x is PartitionLag => x !== undefined);
      partitions.set(p.partition, partitionStatus(window));
    }
    out.set(key, { pair: worstStatus(partitions.values()), partitions });
  }
  return out;
}

export const pairKey = (p: { topic: string; consumerGroup: string }) => `${p.topic}\u0000${p.consumerGroup}`;
