/**
 * Which offset of one partition is safe to commit: the lowest offset received but not yet done
 * (a boxer may hold a message in an open group long after later ones were handled), or one past
 * the highest offset seen when nothing is outstanding. Committing that never skips a message
 * whose effect is not yet durable.
 */
export class PartitionOffsets {
  /** Received, not done; ascending because a partition delivers in order. */
  private pending: bigint[] = [];
  private highest: bigint | undefined;

  received(offset: bigint) {
    if (this.highest !== undefined && offset <= this.highest) {
      // A redelivery (after a seek or a rebalance) starts over from there.
      this.pending = this.pending.filter((o) => o < offset);
    }
    this.pending.push(offset);
    this.highest = offset;
  }

  done(offset: bigint) {
    const i = this.pending.indexOf(offset);
    if (i >= 0) this.pending.splice(i, 1);
  }

  /** Forget everything below `offset` (an operator skipped it). */
  skipBelow(offset: bigint) {
    this.pending = this.pending.filter((o) => o >= offset);
    if (this.highest === undefined || this.highest < offset - 1n) this.highest = offset - 1n;
  }

  /** The offset to commit, or undefined when nothing was received yet. */
  watermark(): bigint | undefined {
    if (this.pending.length > 0) return this.pending[0];
    return this.highest === undefined ? undefined : this.highest + 1n;
  }

  get outstanding(): number {
    return this.pending.length;
  }
}
