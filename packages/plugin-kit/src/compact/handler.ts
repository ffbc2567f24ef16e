import { isLakerunnerError, type SegmentInput, type StageFailure, type StageHandler } from '@lakerunner/core';
import { DEFAULT_MAX_ROWS_PER_SEGMENT } from '../ingest/handler.js';
import { ownBytes, storeSegments } from '../segments/store.js';
import type { SignalThreadPool } from '../thread/pool.js';

export interface CompactHandlerOptions {
  threads: () => SignalThreadPool;
  /** Rows per output file (default 250,000). */
  maxRowsPerSegment?: number;
}

/**
 * Compaction for any signal: merges the segments of one org and day into size-bounded outputs
 * re-sorted by the signal's layout, dropping duplicate rows (same row id) or merging aggregated
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

function mergeHandler(options: CompactHandlerOptions, frequencyOf: (from: number) => number): StageHandler {
  return async (context) => {
    const failures: StageFailure[] = [];
    const fetched: { input: SegmentInput; bytes: Uint8Array }[] = [];
    for (const input of context.inputs) {
      if (input.kind !== 'segment') continue;
      try {
        fetched.push({ input, bytes: ownBytes(await context.store.getBytes(input.objectKey)) });
      } catch (err) {
        if (!isLakerunnerError(err) || err.retriable) throw err;
        failures.push({ input, code: err.code, reason: `${input.objectKey}: ${err.message}` });
      }
    }
    if (fetched.length === 0) return { outputs: [], failures };
    // A unit's segments share their frequency (the boxer groups by it).
    const from = fetched[0]?.input.frequencyMs ?? 0;
    const to = frequencyOf(from);
    const result = await options.threads().run(
      {
        kind: 'compact',
        maxRows: options.maxRowsPerSegment ?? DEFAULT_MAX_ROWS_PER_SEGMENT,
        segments: fetched.map((f) => ({ objectKey: f.input.objectKey, bytes: f.bytes })),
        ...(to !== from ? { frequencyMs: to } : {}),
      },
      fetched.map((f) => f.bytes.buffer as ArrayBuffer),
    );
    for (const f of result.failures) {
      const input = fetched[f.source]?.input;
      if (input) failures.push({ input, code: f.code, reason: f.reason });
    }
    return { outputs: await storeSegments(context, result.files, to), failures };
  };
}
