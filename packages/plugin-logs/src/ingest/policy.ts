import { type BoxerPolicy, ingestBoxerPolicy } from '@lakerunner/core';

/** Raw log objects of one org and collector, grouped by estimated decoded size. */
export function logsIngestPolicy(overrides: Partial<BoxerPolicy> = {}): BoxerPolicy {
  return ingestBoxerPolicy(overrides);
}
