import { type BoxerPolicy, compactBoxerPolicy } from '@lakerunner/core';

/** Live metric segments of one org, day and frequency, grouped up to the target file size. */
export function metricsCompactPolicy(
  overrides: Partial<BoxerPolicy> = {},
  maxRecordsPerSegment?: number,
): BoxerPolicy {
  return compactBoxerPolicy(overrides, { maxRecordsPerSegment });
}
