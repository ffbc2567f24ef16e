import type { StageHandler } from '@lakerunner/core';
import { createCompactHandler } from '@lakerunner/plugin-kit';
import { logsThreads } from '../threads.js';

/** Merges an org's day of log segments, re-sorted, with duplicate rows (same id) dropped. */
export function createLogsCompactHandler(options: { maxRowsPerSegment?: number } = {}): StageHandler {
  return createCompactHandler({ threads: logsThreads, ...options });
}
