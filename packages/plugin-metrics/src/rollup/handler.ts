import { LakerunnerError, type StageHandler } from '@lakerunner/core';
import { createRollupHandler } from '@lakerunner/plugin-kit';
import { metricsThreads } from '../threads.js';
import { nextTier } from '../tiers.js';

/** Aggregates the rows of one tier's segments into the windows of the next tier. */
export function createMetricsRollupHandler(options: {
  tiers: readonly number[];
  maxRowsPerSegment?: number;
}): StageHandler {
  return createRollupHandler({
    threads: metricsThreads,
    ...options,
    nextFrequency(frequencyMs) {
      const next = nextTier(options.tiers, frequencyMs);
      if (next === undefined) {
        throw new LakerunnerError(
          'LR_MESSAGE_INVALID',
          `no rollup tier follows ${frequencyMs} ms (tiers: ${options.tiers.join(', ')})`,
        );
      }
      return next;
    },
  });
}
