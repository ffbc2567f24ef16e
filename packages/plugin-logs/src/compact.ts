import { isLakerunnerError, type SegmentInput, type StageFailure, type StageHandler } from '@lakerunner/core';
import { DEFAULT_MAX_ROWS_PER_SEGMENT, ownBytes, storeLogFiles } from './store-files.js';
import { logsThreadPool } from './thread-pool.js';

/**
 * Compaction: merges the segments of one org and day into size-bounded, re-sorted outputs,
 * dropping duplicate rows (same row id) that replays may have produced upstream.
 */
export function createLogsCompactHandler(options: { maxRowsPerSegment?: number } = {}): StageHandler {
  return async (context) => {
    const failures: StageFailure[] = [];
    const fetched: { input: SegmentInput; bytes: Uint8Array }[] = [];
    for (const input of context.inputs) {
      if (input.kind !== 'segment') continue;
      try {
        fetched.push({ input, bytes: ownBytes(await context.store.getBytes(input.objectKey)) });
      } catch (err) {
        if (isLakerunnerError(err) && err.retriable) throw err;
        failures.push({
          input,
          code: isLakerunnerError(err) ? err.code : 'LR_INPUT_CORRUPT',
          reason: `${input.objectKey}: ${(err as Error).message}`,
        });
      }
    }
    const result = await logsThreadPool().run(
      {
        kind: 'compact',
        maxRows: options.maxRowsPerSegment ?? DEFAULT_MAX_ROWS_PER_SEGMENT,
        segments: fetched.map((f) => ({ objectKey: f.input.objectKey, bytes: f.bytes })),
      },
      fetched.map((f) => f.bytes.buffer as ArrayBuffer),
    );
    for (const f of result.failures) {
      failures.push({
        input: (fetched[f.index] as { input: SegmentInput }).input,
        code: f.code,
        reason: f.reason,
      });
    }
    return { outputs: await storeLogFiles(context, result.files), failures };
  };
}
