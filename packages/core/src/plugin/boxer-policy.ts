import type { ObjectNotification } from '../messages/object-notification.js';
import type { SegmentNotification } from '../messages/segment-notification.js';

/**
 * How a stage's boxer groups inputs into work units. A group is emitted when its summed weight
 * reaches `targetWeight` or it holds `maxInputs`, or `maxAgeMs` after it was opened. Messages
 * are keyed by the same `groupKey` when produced, so a group's members meet on one partition.
 */
export type BoxerInput = ObjectNotification | SegmentNotification;

export interface BoxerPolicy {
  groupKey(input: BoxerInput): string;
  /** Contribution to the group's size, e.g. estimated uncompressed bytes. */
  weight(input: BoxerInput): number;
  targetWeight: number;
  maxInputs: number;
  maxAgeMs: number;
  /** Inputs the stage does not need are acknowledged without joining a group. */
  accepts?(input: BoxerInput): boolean;
  /** Inputs that always make a unit of their own (e.g. a large Parquet upload). */
  emitAlone?(input: BoxerInput): boolean;
  /** A group that ages out with fewer inputs is dropped: compacting one segment gains nothing. */
  minInputs?: number;
}

const MiB = 1024 * 1024;

/** Gzip and zstd inputs expand several times when parsed; weigh them by an estimate. */
const COMPRESSED_EXPANSION = 8;

/** Ingest: group raw objects of one org (and collector), by estimated uncompressed size. */
export function ingestBoxerPolicy(overrides: Partial<BoxerPolicy> = {}): BoxerPolicy {
  return {
    groupKey: (i) => (i.type === 'object' ? [i.org, i.collector ?? '-'].join('/') : i.org),
    weight: (i) =>
      i.type === 'object' && /\.(gz|zst)$/.test(i.key)
        ? i.size * COMPRESSED_EXPANSION
        : i.type === 'object'
          ? i.size
          : i.bytes,
    targetWeight: 64 * MiB,
    maxInputs: 50,
    maxAgeMs: 10_000,
    emitAlone: (i) => i.type === 'object' && i.key.endsWith('.parquet'),
    ...overrides,
  };
}

/** A segment at this share of the target size, or of the rows a file may hold, is left as it is. */
const FULL_ENOUGH = 0.8;

/**
 * Compaction: group live segments of one org, day and frequency up to a target file size.
 * Segments already at 80% of the target size, or of `maxRecordsPerSegment` (the rows the
 * compaction writes to one file), are left as they are: merging them could not make fewer
 * files, only the same files again. The default target (32 MiB of Parquet, a few hundred
 * thousand rows) keeps a compaction's decoded rows within a worker's memory.
 */
export function compactBoxerPolicy(
  overrides: Partial<BoxerPolicy> = {},
  { maxRecordsPerSegment = 250_000 }: { maxRecordsPerSegment?: number } = {},
): BoxerPolicy {
  const targetWeight = overrides.targetWeight ?? 32 * MiB;
  return {
    groupKey: (i) => (i.type === 'segment' ? `${i.org}/${i.dateint}/${i.frequencyMs}` : i.org),
    weight: (i) => (i.type === 'segment' ? i.bytes : i.size),
    targetWeight,
    maxInputs: 50,
    maxAgeMs: 60_000,
    accepts: (i) =>
      i.type === 'segment' &&
      i.bytes < targetWeight * FULL_ENOUGH &&
      i.records < maxRecordsPerSegment * FULL_ENOUGH,
    minInputs: 2,
    ...overrides,
  };
}
