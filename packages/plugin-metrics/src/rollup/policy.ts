import { type BoxerPolicy, compactBoxerPolicy } from '@lakerunner/core';

/**
 * Segments of one org, day and frequency, to be rolled up to the next tier together: compaction's
 * grouping, except that every segment is taken, large or alone — each has to reach the next tier.
 */
export function metricsRollupPolicy(overrides: Partial<BoxerPolicy> = {}): BoxerPolicy {
  return compactBoxerPolicy({
    maxAgeMs: 30_000,
    accepts: (i) => i.type === 'segment',
    minInputs: 1,
    ...overrides,
  });
}
