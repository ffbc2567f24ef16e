import type { StageHandler } from '@lakerunner/core';
import { createIngestHandler } from '@lakerunner/plugin-kit';
import { TRACE_CODECS } from '../codecs/index.js';
import { tracesThreads } from '../threads.js';

export interface TracesIngestOptions {
  /** Rows per output file (default 250,000). */
  maxRowsPerSegment?: number;
  /** Decompressed bytes decoded at once on the worker thread (default 64 MiB). */
  maxBatchBytes?: number;
}

/** Raw OTLP trace objects → spans in ZSTD Parquet segments sorted by trace and start. */
export function createTracesIngestHandler(options: TracesIngestOptions = {}): StageHandler {
  return createIngestHandler({ codecs: TRACE_CODECS, threads: tracesThreads, ...options });
}
