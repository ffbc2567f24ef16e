import { isLakerunnerError, type StageFailure, type StageHandler } from '@lakerunner/core';
import type { LogRow } from './log-row.js';
import { decodeLogParquet } from './parquet/log-parquet.js';
import { writeLogSegments } from './write-segments.js';

/**
 * Compaction: merges the segments of one org and day into size-bounded, re-sorted outputs,
 * dropping duplicate rows (same row id) that replays may have produced upstream.
 */
export function createLogsCompactHandler(options: { maxRowsPerSegment?: number } = {}): StageHandler {
  return async (context) => {
    const rows: LogRow[] = [];
    const failures: StageFailure[] = [];
    for (const input of context.inputs) {
      if (input.kind !== 'segment') continue;
      try {
        rows.push(...decodeLogParquet(await context.store.getBytes(input.objectKey)));
      } catch (err) {
        if (isLakerunnerError(err) && err.retriable) throw err;
        const code =
          isLakerunnerError(err) && err.code === 'LR_STORAGE_NOT_FOUND' ? err.code : 'LR_INPUT_CORRUPT';
        failures.push({ input, code, reason: `${input.objectKey}: ${(err as Error).message}` });
      }
    }
    const unique = [...new Map(rows.map((r) => [r.id, r])).values()];
    return { outputs: await writeLogSegments(context, unique, options.maxRowsPerSegment), failures };
  };
}
