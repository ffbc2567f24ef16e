import type { StageHandler } from '@lakerunner/core';
import { createCompactHandler } from '@lakerunner/plugin-kit';
import { metricsThreads } from '../threads.js';

/** Merges the rows of one series and window across an org's segments of one day and frequency. */
export function createMetricsCompactHandler(options: { maxRowsPerSegment?: number } = {}): StageHandler {
  return createCompactHandler({ threads: metricsThreads, ...options });
}
