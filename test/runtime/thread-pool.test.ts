import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createThreadPool, isLakerunnerError } from '../../packages/core/src/index.js';

const coreDist = fileURLToPath(new URL('../../packages/core/dist/index.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'lakerunner-threads-'));
const script = join(dir, 'worker.mjs');
writeFileSync(
  script,
  `import { threadId } from 'node:worker_threads';
   import { LakerunnerError, serveThreadTasks } from ${JSON.stringify(coreDist)};
   serveThreadTasks((task) => {
     if (task.op === 'double') return { result: { value: task.value * 2, threadId } };
     if (task.op === 'bytes') return { result: new Uint8Array(task.length).fill(7), transfer: [] };
     if (task.op === 'corrupt') throw new LakerunnerError('LR_INPUT_CORRUPT', 'bad input');
     if (task.op === 'crash') process.exit(3);
     throw new Error('unknown op');
   });`,
);

type Task = { op: string; value?: number; length?: number };
const pool = createThreadPool<Task, { value: number; threadId: number }>({
  script: pathToFileURL(script),
  size: 2,
  maxTasksPerThread: 3,
});
afterAll(() => pool.close());

describe('thread pool', () => {
  it('runs tasks on worker threads and returns their results', async () => {
    const results = await Promise.all([1, 2, 3, 4].map((value) => pool.run({ op: 'double', value })));
    expect(results.map((r) => r.value)).toEqual([2, 4, 6, 8]);
    expect(results.every((r) => r.threadId > 0)).toBe(true);
  });

  it('replaces a thread after maxTasksPerThread tasks', async () => {
    const ids = new Set<number>();
    for (let i = 0; i < 12; i++) ids.add((await pool.run({ op: 'double', value: i })).threadId);
    expect(ids.size).toBeGreaterThanOrEqual(4);
  });

  it('keeps error codes and retriability across the thread boundary', async () => {
    const err = await pool.run({ op: 'corrupt' }).catch((e: unknown) => e);
    expect(isLakerunnerError(err) && err.code === 'LR_INPUT_CORRUPT' && !err.retriable).toBe(true);
  });

  it('fails the task of a crashed thread as retriable and keeps serving', async () => {
    const err = await pool.run({ op: 'crash' }).catch((e: unknown) => e);
    expect(isLakerunnerError(err) && err.code === 'LR_THREAD_FAILED' && err.retriable).toBe(true);
    expect((await pool.run({ op: 'double', value: 21 })).value).toBe(42);
  });
});
