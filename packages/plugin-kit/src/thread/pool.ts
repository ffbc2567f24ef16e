import { availableParallelism } from 'node:os';
import { createThreadPool, type ThreadPool } from '@lakerunner/core';
import type { SignalTask, TaskResult } from './tasks.js';

export type SignalThreadPool = ThreadPool<SignalTask, TaskResult>;

/**
 * A signal's worker threads, started on first use and shared by its stages: as many as the
 * first caller asks for (the deployment's `runtime.threads`), else one per core. Threads are
 * replaced after a number of tasks because WebAssembly memory (the Parquet writer) only grows.
 */
export function lazySignalThreadPool(script: URL): (size?: number) => SignalThreadPool {
  let pool: SignalThreadPool | undefined;
  return (size) => {
    pool ??= createThreadPool({ script, size: size ?? availableParallelism(), maxTasksPerThread: 25 });
    return pool;
  };
}
