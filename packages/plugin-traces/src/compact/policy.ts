import { type BoxerPolicy, compactBoxerPolicy } from '@lakerunner/core';

/** Live span segments of one org and day, grouped up to the target file size. */
export function tracesCompactPolicy(
  overrides: Partial<BoxerPolicy> = {},
  maxRecordsPerSegment?: number,
): BoxerPolicy {
  return compactBoxerPolicy(overrides, { maxRecordsPerSegment });
}
