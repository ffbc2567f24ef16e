import { describe, expect, it } from 'vitest';
import { createMetricsPlugin } from '../src/index.js';
import { checkTiers, DEFAULT_TIERS, nextTier } from '../src/tiers.js';

describe('metrics tiers', () => {
  it('start at 10 s and go up by whole windows that divide a day', () => {
    expect(checkTiers(DEFAULT_TIERS.slice(1))).toEqual([...DEFAULT_TIERS]);
    expect(checkTiers([60_000, 3_600_000])).toEqual([10_000, 60_000, 3_600_000]);
    expect(nextTier([10_000, 60_000], 60_000)).toBeUndefined();
  });

  it.each([
    [[45_000], '45000 ms'], // not whole 10 s windows
    [[60_000, 60_000], '60000 ms'], // not larger
    [[60_000, 30_000], '30000 ms'],
    [[70_000], '70000 ms'], // a multiple of 10 s, but no day is whole 70 s windows
    [[60_000, 1.5], '1.5 ms'],
  ])('refuse %j with LR_PLUGIN_INVALID naming the tier', (tiers, named) => {
    expect(() => createMetricsPlugin({ tiers })).toThrow(
      expect.objectContaining({ code: 'LR_PLUGIN_INVALID', message: expect.stringContaining(named) }),
    );
  });
});
