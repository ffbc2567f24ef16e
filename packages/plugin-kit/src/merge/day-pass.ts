import { dateintOfNanos } from '../timestamps.js';

const DAY_NS = 86_400_000_000_000n;

/**
 * One pass of a merge writes one UTC day: rows of other days are skipped and remembered, and get
 * passes of their own. Inputs of a compaction hold one day, so one pass is the usual case.
 */
export class DayPass {
  readonly start: bigint;
  readonly end: bigint;
  /** Days of rows skipped by this pass. */
  readonly otherDays = new Set<number>();

  constructor(readonly dateint: number) {
    const y = Math.floor(dateint / 10000);
    const m = Math.floor(dateint / 100) % 100;
    const d = dateint % 100;
    this.start = BigInt(Date.UTC(y, m - 1, d)) * 1_000_000n;
    this.end = this.start + DAY_NS;
  }

  /** True for a row of this pass's day; otherwise its day is remembered. */
  takes(timeNs: bigint): boolean {
    if (timeNs >= this.start && timeNs < this.end) return true;
    this.otherDays.add(dateintOfNanos(timeNs));
    return false;
  }
}
