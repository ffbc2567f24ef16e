import { describe, expect, it } from 'vitest';
import type { PartitionLag } from '../../src/kafka/lag.js';
import { partitionLag } from '../../src/kafka/lag.js';
import { partitionStatus, worstStatus } from '../../src/kafka/lag-status.js';

const sample = (committed: number | null, logEnd: number): PartitionLag => ({
  partition: 0,
  committed: committed === null ? null : BigInt(committed),
  logStart: 0n,
  logEnd: BigInt(logEnd),
  lag: partitionLag(committed === null ? null : BigInt(committed), 0n, BigInt(logEnd)),
  member: null,
  lagSeconds: null,
});

describe('partitionLag', () => {
  it('is log end minus committed, never negative; without a commit the whole retained log', () => {
    expect(partitionLag(4n, 0n, 10n)).toBe(6n);
    expect(partitionLag(12n, 0n, 10n)).toBe(0n);
    expect(partitionLag(null, 3n, 10n)).toBe(7n);
  });
});

describe('partitionStatus over a window of samples', () => {
  const aged = (s: PartitionLag, seconds: number): PartitionLag => ({ ...s, lagSeconds: seconds });

  it('HOLDING while a boxer keeps messages younger than its grouping window; STALL/STOP once older', () => {
    const boxer = { members: 1, holdMs: 12_000 };
    expect(partitionStatus([aged(sample(5, 10), 3)], boxer)).toBe('HOLDING');
    expect(partitionStatus([aged(sample(null, 10), 11.9)], boxer)).toBe('HOLDING');
    expect(partitionStatus([aged(sample(5, 10), 2), aged(sample(5, 12), 4)], boxer)).toBe('HOLDING');
    expect(partitionStatus([aged(sample(5, 10), 2), aged(sample(5, 12), 13)], boxer)).toBe('STALL');
    expect(partitionStatus([aged(sample(null, 10), 30)], boxer)).toBe('STOP');
    // A worker's group (no hold time) with young lag is still lagging.
    expect(partitionStatus([aged(sample(5, 10), 3)], { members: 1 })).toBe('LAGGING');
  });

  it('NO-READER when there is lag and the group has no member; OK without lag', () => {
    expect(partitionStatus([aged(sample(5, 10), 3)], { members: 0, holdMs: 12_000 })).toBe('NO-READER');
    expect(partitionStatus([sample(null, 10)], { members: 0 })).toBe('NO-READER');
    expect(partitionStatus([sample(10, 10)], { members: 0 })).toBe('OK');
    expect(worstStatus(['HOLDING', 'NO-READER', 'STALL'])).toBe('NO-READER');
    expect(worstStatus(['HOLDING', 'OK'])).toBe('HOLDING');
  });

  it('OK without lag, LAGGING with lag in a single sample, STOP without any commit', () => {
    expect(partitionStatus([sample(10, 10)])).toBe('OK');
    expect(partitionStatus([sample(5, 10)])).toBe('LAGGING');
    expect(partitionStatus([sample(null, 10)])).toBe('STOP');
    expect(partitionStatus([sample(null, 0)])).toBe('OK');
  });

  it('STALL when the committed offset does not move while there is lag', () => {
    expect(partitionStatus([sample(5, 10), sample(5, 12), sample(5, 12)])).toBe('STALL');
  });

  it('WARN when the group commits but lag grows across the window', () => {
    expect(partitionStatus([sample(5, 10), sample(6, 14), sample(8, 20)])).toBe('WARN');
  });

  it('OK when the group commits and lag does not keep growing', () => {
    expect(partitionStatus([sample(5, 10), sample(9, 14), sample(12, 14)])).toBe('OK');
    expect(partitionStatus([sample(5, 10), sample(8, 14), sample(11, 14)])).toBe('OK');
  });

  it('REWIND when the committed offset goes backwards anywhere in the window', () => {
    expect(partitionStatus([sample(8, 10), sample(3, 10), sample(4, 10)])).toBe('REWIND');
  });

  it('the worst partition decides the pair', () => {
    expect(worstStatus(['OK', 'WARN', 'LAGGING'])).toBe('WARN');
    expect(worstStatus(['OK', 'STOP', 'REWIND'])).toBe('STOP');
    expect(worstStatus([])).toBe('OK');
  });
});
