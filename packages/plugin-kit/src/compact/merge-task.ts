import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeScratchDir } from '@lakerunner/core';
import { mergeBounded } from '../merge/bounded-merge.js';
import { InputError } from '../merge/input-error.js';
import { openSegmentFile, type SegmentFile } from '../merge/segment-file.js';
import { writeSortedCopy } from '../merge/sort-input.js';
import type { EncodedSegment, WrittenSegment } from '../segments/encode.js';
import type { SignalEncoding } from '../segments/encoding.js';
import { ownBytes } from '../segments/store.js';
import type { CompactTask, TaskResult } from '../thread/tasks.js';

/**
 * The worker-thread half of compaction (and rollup): a streaming merge of sorted segments into
 * new segments sorted by the layout, one row group per input and one output file in memory at a
 * time. Records are kept once per row id (replays upstream may have written a record twice),
 * with the union of the inputs' columns; a column whose type differs between inputs widens
 * (int64 and double to double, anything else to string), as on ingest. Aggregated rows (a signal
 * with a reducer) are read back, moved to the task's coarser window for a rollup, and merged by
 * key. An input that cannot be read, up front or part way through, is reported as failed and
 * the others are merged without it. At most `task.fanIn` inputs are merged at once (see
 * mergeBounded), so memory does not grow with the number of inputs.
 */
export async function runCompactTask<R, Row>(
  task: CompactTask,
  encoding: SignalEncoding<R, Row>,
): Promise<TaskResult> {
  const scratch = task.outputDir ? undefined : await makeScratchDir('compact');
  try {
    const dir = task.outputDir ?? (scratch as string);
    const result = await mergeTask(task, encoding, dir);
    if (task.outputDir) return result;
    return { ...result, files: await inMemory(result.written ?? []), written: [] };
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

async function mergeTask<R, Row>(
  task: CompactTask,
  encoding: SignalEncoding<R, Row>,
  dir: string,
): Promise<TaskResult> {
  const result: TaskResult = { files: [], written: [], failures: [], rejects: [], counts: [] };
  const inputs: (SegmentFile | undefined)[] = [];
  const fail = (index: number, message: string) => {
    inputs[index] = undefined;
    result.failures.push({
      source: index,
      code: 'LR_INPUT_CORRUPT',
      reason: `${task.segments[index]?.objectKey}: not a readable segment: ${message}`,
    });
  };
  for (const [index, segment] of task.segments.entries()) {
    try {
      inputs.push(await openSegmentFile(await localPath(segment, dir, index)));
    } catch (err) {
      inputs.push(undefined);
      fail(index, (err as Error).message);
    }
  }
  const copied = new Set<number>();
  for (;;) {
    const written: WrittenSegment[] = [];
    try {
      await mergeBounded(inputs, encoding, task, dir, written);
      result.written = written.sort((a, b) => a.dateint - b.dateint || a.part - b.part);
      break;
    } catch (err) {
      await Promise.all(written.map((w) => rm(w.path, { force: true })));
      if (!(err instanceof InputError)) throw err;
      const input = inputs[err.input] as SegmentFile;
      if (err.kind === 'corrupt' || copied.has(err.input)) fail(err.input, err.message);
      else {
        copied.add(err.input);
        inputs[err.input] = await sortedCopy(input, encoding, dir, err.input).catch((e: Error) => {
          fail(err.input, e.message);
          return undefined;
        });
      }
    }
  }
  result.failures.sort((a, b) => a.source - b.source);
  result.counts = inputs.map((input) => ({ records: input?.rows ?? 0, rejected: 0, timeReplaced: 0 }));
  return result;
}

async function localPath(segment: CompactTask['segments'][number], dir: string, index: number) {
  if (segment.path !== undefined) return segment.path;
  const path = join(dir, `input-${index}.parquet`);
  await writeFile(path, segment.bytes ?? new Uint8Array());
  return path;
}

async function sortedCopy<R, Row>(
  input: SegmentFile,
  encoding: SignalEncoding<R, Row>,
  dir: string,
  index: number,
): Promise<SegmentFile> {
  const path = join(dir, `sorted-${index}.parquet`);
  await writeSortedCopy(input.path, path, encoding.layout);
  return openSegmentFile(path);
}

async function inMemory(written: readonly WrittenSegment[]): Promise<EncodedSegment[]> {
  const files: EncodedSegment[] = [];
  for (const { path, bytes: _, ...facts } of written) {
    files.push({ ...facts, parquet: ownBytes(new Uint8Array(await readFile(path))) });
  }
  return files;
}
