import type { PairLag, PartitionLag } from './lag.js';

/**
 * Burrow-style status of a partition, judged over successive lag samples rather than against
 * thresholds:
 *   OK      no lag, or lag that is not growing while the group commits
 *   HOLDING a boxer keeps the messages in a group it has not emitted yet, and the oldest is
 *           younger than its grouping window: the lag is by design, not a fault
 *   LAGGING lag seen in a single sample; --watch tells WARN, STALL and OK apart
 *   WARN    the group commits, but lag grew across the window
 *   STALL   the committed offset did not move while there was lag
 *   STOP    the group never committed on a partition that has messages
 *   REWIND  the committed offset went backwards
 *   NO-READER lag, and no member in the group: the stage's service is not running anywhere
 *   ERROR   the pair could not be read
 */
export const LAG_STATUSES = [
  'OK',
  'HOLDING',
  'LAGGING',
  'WARN',
  'STALL',
  'REWIND',
  'STOP',
  'NO-READER',
  'ERROR',
] as const;
export type LagStatus = (typeof LAG_STATUSES)[number];

/** What the status of a pair's partitions depends on besides the samples. */
export interface PairContext {
  /** Members of the consumer group now; 0 means nobody reads the topic. */
  members: number;
  /** For a boxer's group: how long it may hold a message by design (grouping window + flush). */
  holdMs?: number;
}

/** `window` holds the same partition's samples, oldest first. */
export function partitionStatus(
  window: readonly PartitionLag[],
  context: PairContext = { members: 1 },
): LagStatus {
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
  if (context.members === 0) return 'NO-READER';
  if (context.holdMs !== undefined && last.lagSeconds !== null && last.lagSeconds * 1000 <= context.holdMs) {
    return 'HOLDING';
  }
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
  contextOf: (pair: PairLag) => PairContext = () => ({ members: 1 }),
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
      partitions.set(p.partition, partitionStatus(window, contextOf(pair)));
    }
    out.set(key, { pair: worstStatus(partitions.values()), partitions });
  }
  return out;
}

export const pairKey = (p: { topic: string; consumerGroup: string }) => `${p.topic}\u0000${p.consumerGroup}`;
