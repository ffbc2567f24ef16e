import { type BoxerPolicy, ingestBoxerPolicy } from '@lakerunner/core';

/** Raw metric objects of one org and collector, grouped by estimated decoded size. */
export function metricsIngestPolicy(overrides: Partial<BoxerPolicy> = {}): BoxerPolicy {
  return ingestBoxerPolicy(overrides);
}
