import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PartitionOffsets } from '../../src/kafka/offset-tracker.js';

describe('PartitionOffsets (safe commit watermark)', () => {
  it('commits up to the lowest offset still held, not past it', () => {
    const p = new PartitionOffsets();
    expect(p.watermark()).toBeUndefined();
    for (const o of [10n, 11n, 12n, 13n]) p.received(o);
    p.done(11n);
    p.done(13n);
    expect(p.watermark()).toBe(10n);
    p.done(10n);
    expect(p.watermark()).toBe(12n);
    p.done(12n);
    expect(p.watermark()).toBe(14n);
    expect(p.outstanding).toBe(0);
  });

  it('starts over when a partition is redelivered from an earlier offset', () => {
    const p = new PartitionOffsets();
    for (const o of [5n, 6n, 7n]) p.received(o);
    p.done(5n);
    p.received(6n);
    expect(p.watermark()).toBe(6n);
    p.done(6n);
    expect(p.watermark()).toBe(7n);
  });

  it('skipBelow drops what an operator flushed past', () => {
    const p = new PartitionOffsets();
    for (const o of [1n, 2n, 3n]) p.received(o);
    p.skipBelow(100n);
    expect(p.watermark()).toBe(100n);
    p.received(100n);
    expect(p.watermark()).toBe(100n);
    p.done(100n);
    expect(p.watermark()).toBe(101n);
  });
});

/** The straightforward model: a sorted list of outstanding offsets. */
class ReferenceOffsets {
  pending: bigint[] = [];
  highest: bigint | undefined;
  received(offset: bigint) {
    if (this.highest !== undefined && offset <= this.highest)
      this.pending = this.pending.filter((o) => o < offset);
    this.pending.push(offset);
    this.highest = offset;
  }
  done(offset: bigint) {
    const i = this.pending.indexOf(offset);
    if (i >= 0) this.pending.splice(i, 1);
  }
  skipBelow(offset: bigint) {
    this.pending = this.pending.filter((o) => o >= offset);
    if (this.highest === undefined || this.highest < offset - 1n) this.highest = offset - 1n;
  }
  watermark() {
    if (this.pending.length > 0) return this.pending[0];
    return this.highest === undefined ? undefined : this.highest + 1n;
  }
}

describe('PartitionOffsets against the reference model', () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant('receive' as const), step: fc.integer({ min: 1, max: 3 }) }),
    fc.record({ kind: fc.constant('done' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('redeliver' as const), back: fc.integer({ min: 0, max: 5 }) }),
    fc.record({ kind: fc.constant('skip' as const), ahead: fc.integer({ min: 0, max: 4 }) }),
  );
  it('agrees on every watermark and count through any sequence', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 3000 }), (ops) => {
        const fast = new PartitionOffsets();
        const model = new ReferenceOffsets();
        let next = 0n;
        for (const o of ops) {
          if (o.kind === 'receive') {
            next += BigInt(o.step);
            fast.received(next);
            model.received(next);
          } else if (o.kind === 'done') {
            const target = model.pending[o.pick % Math.max(1, model.pending.length)] ?? next;
            fast.done(target);
            model.done(target);
          } else if (o.kind === 'redeliver') {
            next = next - BigInt(o.back) > 0n ? next - BigInt(o.back) : 1n;
            fast.received(next);
            model.received(next);
          } else {
            const at = (model.watermark() ?? 0n) + BigInt(o.ahead);
            fast.skipBelow(at);
            model.skipBelow(at);
            if (next < at) next = at - 1n;
          }
          expect(fast.watermark()).toBe(model.watermark());
          expect(fast.outstanding).toBe(model.pending.length);
        }
      }),
      { numRuns: 200 },
    );
  });
});
