/**
 * Which offset of one partition is safe to commit: the lowest offset received but not yet done
 * (a boxer may hold a message in an open group long after later ones were handled), or one past
 * the highest offset seen when nothing is outstanding. Committing that never skips a message
 * whose effect is not yet durable.
 *
 * A boxer holds thousands of messages of a partition at once and finishes them in bursts, so
 * `done` is O(1) amortized: finished offsets wait in a set until the oldest outstanding one is
 * finished too, and the head of the list moves past them.
 */
export class PartitionOffsets {
  /** Received, ascending because a partition delivers in order; outstanding from `head` on. */
  private pending: bigint[] = [];
  private head = 0;
  /** Done, but behind an older offset that is not. */
  private finished = new Set<bigint>();
  private highest: bigint | undefined;

  received(offset: bigint) {
    if (this.highest !== undefined && offset <= this.highest) {
      // A redelivery (after a seek or a rebalance) starts over from there.
      this.keepOnly((o) => o < offset);
    }
    this.pending.push(offset);
    this.highest = offset;
  }

  done(offset: bigint) {
    const oldest = this.pending[this.head];
    if (oldest === undefined || offset < oldest) return;
    this.finished.add(offset);
    while (this.head < this.pending.length && this.finished.delete(this.pending[this.head] as bigint)) {
      this.head++;
    }
    // Drop what the head has passed once it is most of the list.
    if (this.head > 1024 && this.head * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.head);
      this.head = 0;
    }
  }

  /** Forget everything below `offset` (an operator skipped it). */
  skipBelow(offset: bigint) {
    this.keepOnly((o) => o >= offset);
    if (this.highest === undefined || this.highest < offset - 1n) this.highest = offset - 1n;
  }

  /** The offset to commit, or undefined when nothing was received yet. */
  watermark(): bigint | undefined {
    const oldest = this.pending[this.head];
    if (oldest !== undefined) return oldest;
    return this.highest === undefined ? undefined : this.highest + 1n;
  }

  get outstanding(): number {
    return this.pending.length - this.head - this.finished.size;
  }

  private keepOnly(keep: (offset: bigint) => boolean) {
    // What was finished is not outstanding any more: it leaves the list with the set.
    this.pending = this.pending.slice(this.head).filter((o) => keep(o) && !this.finished.has(o));
    this.head = 0;
    this.finished.clear();
  }
}
