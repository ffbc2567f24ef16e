import { type BoxerPolicy, compactBoxerPolicy } from '@lakerunner/core';

/** Live log segments of one org and day, grouped up to the target file size. */
export function logsCompactPolicy(
  overrides: Partial<BoxerPolicy> = {},
  maxRecordsPerSegment?: number,
): BoxerPolicy {
  return compactBoxerPolicy(overrides, { maxRecordsPerSegment });
}
