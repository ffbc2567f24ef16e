import { type BoxerPolicy, compactBoxerPolicy } from '@lakerunner/core';

/** Live metric segments of one org, day and frequency, grouped up to the target file size. */
export function metricsCompactPolicy(overrides: Partial<BoxerPolicy> = {}): BoxerPolicy {
  return compactBoxerPolicy(overrides);
}
