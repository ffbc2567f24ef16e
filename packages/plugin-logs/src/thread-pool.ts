import { createThreadPool, type ThreadPool } from '@lakerunner/core';
import type { CompactTask, IngestTask, TaskResult } from './log-files.js';

/**
 * The logs stages' worker threads, started on first use. Under the test runner this module is
 * TypeScript source, and worker threads cannot load that, so the built script is used.
 */
let pool: ThreadPool<IngestTask | CompactTask, TaskResult> | undefined;

export function logsThreadPool(size = 1): ThreadPool<IngestTask | CompactTask, TaskResult> {
  const script = import.meta.url.endsWith('.ts')
    ? new URL('../dist/encode-worker.js', import.meta.url)
    : new URL('./encode-worker.js', import.meta.url);
  pool ??= createThreadPool({ script, size, maxTasksPerThread: 25 });
  return pool;
}
