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
