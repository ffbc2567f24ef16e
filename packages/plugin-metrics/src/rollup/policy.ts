import type { BoxerPolicy } from '@lakerunner/core';

const MiB = 1024 * 1024;

/**
 * Segments of one org, day and frequency, to be rolled up to the next tier together. Unlike
 * compaction, a group of one is rolled up too: every segment has to reach the next tier.
 */
export function metricsRollupPolicy(overrides: Partial<BoxerPolicy> = {}): BoxerPolicy {
  return {
    groupKey: (i) => (i.type === 'segment' ? `${i.org}/${i.dateint}/${i.frequencyMs}` : i.org),
    weight: (i) => (i.type === 'segment' ? i.bytes : i.size),
    targetWeight: 32 * MiB,
    maxInputs: 50,
    maxAgeMs: 30_000,
    accepts: (i) => i.type === 'segment',
    ...overrides,
  };
}
