import { parentPort, Worker } from 'node:worker_threads';
import { isLakerunnerError, LakerunnerError } from '../errors.js';

/**
 * Runs CPU-heavy work (parsing, Parquet encoding) on worker threads, so the event loop stays
 * free for heartbeats, commits and health checks. A thread is replaced after `maxTasksPerThread`
 * tasks because WebAssembly memory (parquet-wasm) only grows; a thread that dies fails its task
 * with a retriable error and is replaced.
 */
export interface ThreadPool<Task, Result> {
  run(task: Task, transfer?: readonly ArrayBuffer[]): Promise<Result>;
  close(): Promise<void>;
}

export interface ThreadPoolOptions {
  /** The worker script; it calls serveThreadTasks(). */
  script: URL;
  size?: number;
  maxTasksPerThread?: number;
  /**
   * Heap limit of each thread in MiB (default 4096): a task that needs more kills its thread,
   * not the process, and fails with LR_THREAD_FAILED.
   */
  maxHeapMb?: number;
}

interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: { message: string; code?: string; retriable?: boolean };
}

interface Thread {
  worker: Worker;
  busy: boolean;
  tasks: number;
}

interface Pending {
  id: number;
  task: unknown;
  transfer: readonly ArrayBuffer[];
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

export function createThreadPool<Task, Result>(options: ThreadPoolOptions): ThreadPool<Task, Result> {
  const size = options.size ?? 1;
  const maxTasks = options.maxTasksPerThread ?? 50;
  const threads: Thread[] = [];
  const queue: Pending[] = [];
  const inFlight = new Map<number, { pending: Pending; thread: Thread }>();
  let nextId = 1;
  let closed = false;

  function spawnThread(): Thread {
    const worker = new Worker(options.script, {
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb ?? 4096 },
    });
    const thread: Thread = { worker, busy: false, tasks: 0 };
    // Idle threads must not keep a stopping process alive.
    thread.worker.unref();
    thread.worker.on('message', (reply: Reply) => {
      const entry = inFlight.get(reply.id);
      if (!entry) return;
      inFlight.delete(reply.id);
      if (reply.ok) entry.pending.resolve(reply.result);
      else entry.pending.reject(toError(reply.error));
      release(thread);
    });
    const fail = (why: string) => {
      for (const [id, entry] of inFlight) {
        if (entry.thread !== thread) continue;
        inFlight.delete(id);
        entry.pending.reject(
          new LakerunnerError('LR_THREAD_FAILED', `worker thread ${why}`, { retriable: true }),
        );
      }
      replace(thread);
    };
    thread.worker.on('error', (err) => fail(`failed: ${err.message}`));
    thread.worker.on('exit', (code) => {
      if (code !== 0 && !closed) fail(`exited with ${code}`);
    });
    threads.push(thread);
    return thread;
  }

  function replace(thread: Thread) {
    const i = threads.indexOf(thread);
    if (i >= 0) threads.splice(i, 1);
    void thread.worker.terminate();
    if (!closed) dispatch();
  }

  function release(thread: Thread) {
    thread.busy = false;
    thread.worker.unref();
    if (thread.tasks >= maxTasks) replace(thread);
    else dispatch();
  }

  function dispatch() {
    while (queue.length > 0) {
      let thread = threads.find((t) => !t.busy);
      if (!thread && threads.length < size) thread = spawnThread();
      if (!thread) return;
      const pending = queue.shift() as Pending;
      thread.busy = true;
      thread.tasks++;
      thread.worker.ref();
      inFlight.set(pending.id, { pending, thread });
      thread.worker.postMessage({ id: pending.id, task: pending.task }, [...pending.transfer]);
    }
  }

  return {
    run(task, transfer = []) {
      if (closed) return Promise.reject(new Error('the thread pool is closed'));
      return new Promise<Result>((resolve, reject) => {
        queue.push({ id: nextId++, task, transfer, resolve: resolve as (r: unknown) => void, reject });
        dispatch();
      });
    },
    async close() {
      closed = true;
      await Promise.all(threads.splice(0).map((t) => t.worker.terminate()));
    },
  };
}

function toError(error: Reply['error']): Error {
  if (error?.code?.startsWith('LR_')) {
    return new LakerunnerError(error.code as never, error.message, { retriable: error.retriable ?? false });
  }
  return new Error(error?.message ?? 'worker thread task failed');
}

/**
 * The worker-thread side: answers each task with `handle`'s result (and transfers the buffers
 * it lists), or with the error, keeping LakerunnerError codes and retriability.
 */
export function serveThreadTasks<Task, Result>(
  handle: (
    task: Task,
  ) => Promise<{ result: Result; transfer?: ArrayBuffer[] }> | { result: Result; transfer?: ArrayBuffer[] },
) {
  const port = parentPort;
  if (!port) throw new Error('serveThreadTasks() must run inside a worker thread');
  port.on('message', async ({ id, task }: { id: number; task: Task }) => {
    try {
      const { result, transfer } = await handle(task);
      port.postMessage({ id, ok: true, result } satisfies Reply, transfer ?? []);
    } catch (err) {
      const error = isLakerunnerError(err)
        ? { message: err.message, code: err.code, retriable: err.retriable }
        : { message: err instanceof Error ? err.message : String(err) };
      port.postMessage({ id, ok: false, error } satisfies Reply);
    }
  });
}
