import {
  committedOffsets,
  type GroupDescription,
  memberLabel,
  partitionOwners,
  partitionRanges,
} from './group-state.js';
import type { Admin } from './kafkajs.js';
import type { PartitionReader } from './partition-reader.js';

/**
 * Consumer lag of topic/group pairs: per partition the committed offset, the log end, the lag in
 * messages, which member holds it, and the lag in seconds (age of the oldest unconsumed message).
 */
export interface LagPair {
  topic: string;
  consumerGroup: string;
}

export interface PartitionLag {
  partition: number;
  /** null: the group never committed on this partition. */
  committed: bigint | null;
  logStart: bigint;
  logEnd: bigint;
  lag: bigint;
  member: string | null;
  /** Age in seconds of the oldest unconsumed message; null when there is none (or it is gone). */
  lagSeconds: number | null;
}

export interface PairLag extends LagPair {
  partitions: PartitionLag[];
  totalLag: bigint;
  /** Why this pair could not be read; partitions is empty then. */
  error?: string;
}

export function partitionLag(committed: bigint | null, logStart: bigint, logEnd: bigint): bigint {
  // No commit means nothing of the retained log has been consumed.
  const consumedTo = committed ?? logStart;
  return logEnd > consumedTo ? logEnd - consumedTo : 0n;
}

export async function measureLag(
  admin: Admin,
  reader: PartitionReader,
  pairs: readonly LagPair[],
  groups: ReadonlyMap<string, GroupDescription>,
  now: () => number = Date.now,
): Promise<PairLag[]> {
  const out: PairLag[] = [];
  for (const pair of pairs) {
    try {
      out.push(await measurePair(admin, reader, pair, groups.get(pair.consumerGroup), now));
    } catch (err) {
      out.push({ ...pair, partitions: [], totalLag: 0n, error: explain(err, pair.topic) });
    }
  }
  return out;
}

async function measurePair(
  admin: Admin,
  reader: PartitionReader,
  pair: LagPair,
  group: GroupDescription | undefined,
  now: () => number,
): Promise<PairLag> {
  const ranges = await partitionRanges(admin, pair.topic);
  const committed = await committedOffsets(admin, pair.consumerGroup, pair.topic);
  const owners = partitionOwners(group, pair.topic);
  const partitions: PartitionLag[] = ranges.map((r) => {
    const c = committed.get(r.partition) ?? null;
    const owner = owners.get(r.partition);
    return {
      partition: r.partition,
      committed: c,
      logStart: r.low,
      logEnd: r.high,
      lag: partitionLag(c, r.low, r.high),
      member: owner ? memberLabel(owner) : null,
      lagSeconds: null,
    };
  });
  await fillLagSeconds(reader, pair.topic, partitions, now);
  return { ...pair, partitions, totalLag: partitions.reduce((sum, p) => sum + p.lag, 0n) };
}

/**
 * The age of each lagging partition's oldest unconsumed message, read with one fetch per
 * partition. A fetch of several partitions shares one byte budget that the broker fills in
 * request order with whole record batches, so once a batch does not fit what is left, the
 * partitions after it come back empty: with a backlog, only the first few got an age. Alone in
 * its request, a partition always gets the batch holding the offset, whatever its size, and
 * asking for a single byte asks for nothing beyond that batch.
 */
async function fillLagSeconds(
  reader: PartitionReader,
  topic: string,
  partitions: PartitionLag[],
  now: () => number,
) {
  await Promise.all(
    partitions
      .filter((p) => p.lag > 0n)
      .map(async (p) => {
        const from = p.committed !== null && p.committed > p.logStart ? p.committed : p.logStart;
        const first = await firstMessageAt(reader, topic, p.partition, from);
        if (first) p.lagSeconds = Math.max(0, Math.round((now() - first.timestamp) / 100) / 10);
      }),
  );
}

async function firstMessageAt(reader: PartitionReader, topic: string, partition: number, offset: bigint) {
  try {
    const messages = await reader.fetch([{ topic, partition, offset }], { maxWaitMs: 100, maxBytes: 1 });
    return messages.find((m) => m.offset >= offset);
  } catch {
    // Gone meanwhile (retention, a moved leader): the age is unknown, the lag itself still holds.
    return undefined;
  }
}

function explain(err: unknown, topic: string): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/does not host this topic-partition|unknown topic/i.test(message)) {
    return `topic ${topic} does not exist (create it with: lakerunner topics sync)`;
  }
  return message;
}
