import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  isLakerunnerError,
  makeScratchDir,
  type SegmentInput,
  type StageContext,
  type StageFailure,
  type StageHandler,
} from '@lakerunner/core';
import { DEFAULT_MAX_ROWS_PER_SEGMENT } from '../ingest/handler.js';
import { storeSegments } from '../segments/store.js';
import type { SignalThreadPool } from '../thread/pool.js';

export interface CompactHandlerOptions {
  threads: () => SignalThreadPool;
  /** Rows per output file (default 250,000). */
  maxRowsPerSegment?: number;
}

/**
 * Compaction for any signal: merges the segments of one org and day into size-bounded outputs
 * sorted by the signal's layout, dropping duplicate rows (same row id) or merging aggregated
 * rows of one key. A segment whose object is gone or unreadable is reported as failed; the others
 * are merged. Outputs keep the inputs' frequency.
 */
export function createCompactHandler(options: CompactHandlerOptions): StageHandler {
  return mergeHandler(options, (from) => from);
}

/**
 * Rollup for an aggregating signal: the segments of one window at one frequency are aggregated
 * to the next coarser frequency (`nextFrequency` of the inputs' frequency).
 */
export function createRollupHandler(
  options: CompactHandlerOptions & { nextFrequency(frequencyMs: number): number },
): StageHandler {
  return mergeHandler(options, options.nextFrequency);
}

/**
 * Inputs are streamed to files of a directory of the unit's own and merged from there by a
 * worker thread, which writes the outputs beside them; memory follows neither the inputs' nor
 * the outputs' size. The directory is removed however the unit ends.
 */
function mergeHandler(options: CompactHandlerOptions, frequencyOf: (from: number) => number): StageHandler {
  return async (context) => {
    const dir = await makeScratchDir('compact');
    try {
      const failures: StageFailure[] = [];
      const fetched: { input: SegmentInput; path: string }[] = [];
      for (const input of context.inputs) {
        if (input.kind !== 'segment') continue;
        const path = join(dir, `input-${fetched.length + failures.length}.parquet`);
        try {
          await download(context, input.objectKey, path);
          fetched.push({ input, path });
        } catch (err) {
          if (!isLakerunnerError(err) || err.retriable) throw err;
          failures.push({ input, code: err.code, reason: `${input.objectKey}: ${err.message}` });
        }
      }
      if (fetched.length === 0) return { outputs: [], failures };
      // A unit's segments share their frequency (the boxer groups by it).
      const from = fetched[0]?.input.frequencyMs ?? 0;
      const to = frequencyOf(from);
      const result = await options.threads().run({
        kind: 'compact',
        maxRows: options.maxRowsPerSegment ?? DEFAULT_MAX_ROWS_PER_SEGMENT,
        segments: fetched.map((f) => ({ objectKey: f.input.objectKey, path: f.path })),
        outputDir: dir,
        ...(to !== from ? { frequencyMs: to } : {}),
      });
      for (const f of result.failures) {
        const input = fetched[f.source]?.input;
        if (input) failures.push({ input, code: f.code, reason: f.reason });
      }
      return { outputs: await storeSegments(context, result.written ?? [], to), failures };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}

async function download(context: StageContext, key: string, path: string): Promise<void> {
  await pipeline(await context.store.get(key), createWriteStream(path));
}
