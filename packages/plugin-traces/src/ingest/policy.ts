import { type BoxerPolicy, ingestBoxerPolicy } from '@lakerunner/core';

/** Raw trace objects of one org and collector, grouped by estimated decoded size. */
export function tracesIngestPolicy(overrides: Partial<BoxerPolicy> = {}): BoxerPolicy {
  return ingestBoxerPolicy(overrides);
}
