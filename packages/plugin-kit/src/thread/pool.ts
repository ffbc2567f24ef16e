import { createThreadPool, type ThreadPool } from '@lakerunner/core';
import type { SignalTask, TaskResult } from './tasks.js';

export type SignalThreadPool = ThreadPool<SignalTask, TaskResult>;

/**
 * A signal's worker threads, started on first use and shared by its stages. Threads are replaced
 * after a number of tasks because WebAssembly memory (the Parquet writer) only grows.
 */
export function lazySignalThreadPool(script: URL, size = 1): () => SignalThreadPool {
  let pool: SignalThreadPool | undefined;
  return () => {
    pool ??= createThreadPool({ script, size, maxTasksPerThread: 25 });
    return pool;
  };
}
