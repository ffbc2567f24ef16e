import type { StageHandler } from '@lakerunner/core';
import { createCompactHandler } from '@lakerunner/plugin-kit';
import { tracesThreads } from '../threads.js';

/** Merges an org's day of span segments, keeping every trace contiguous (sorted by trace, start). */
export function createTracesCompactHandler(options: { maxRowsPerSegment?: number } = {}): StageHandler {
  return createCompactHandler({ threads: tracesThreads, ...options });
}
