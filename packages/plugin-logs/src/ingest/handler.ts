import type { StageHandler } from '@lakerunner/core';
import { createIngestHandler } from '@lakerunner/plugin-kit';
import { LOG_CODECS } from '../codecs/index.js';
import { logsThreads } from '../threads.js';

export interface LogsIngestOptions {
  /** Rows per output file (default 250,000). */
  maxRowsPerSegment?: number;
  /** Decompressed bytes decoded at once on the worker thread (default 64 MiB). */
  maxBatchBytes?: number;
}

/** Raw log objects in any supported format → sorted, day-split ZSTD Parquet segments. */
export function createLogsIngestHandler(options: LogsIngestOptions = {}): StageHandler {
  return createIngestHandler({ codecs: LOG_CODECS, threads: logsThreads, ...options });
}
