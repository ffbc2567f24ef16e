import { compactBoxerPolicy, defineSignalPlugin, ingestBoxerPolicy } from '@lakerunner/core';
import { createLogsCompactHandler } from './compact.js';
import { createLogsIngestHandler } from './ingest.js';

export { SUPPORTED_SUFFIXES } from './codecs/read-object.js';
/** The decode-sort-encode core of ingest without I/O or threads (benchmarks, tools). */
export { runIngest as encodeLogObjects } from './log-files.js';
export { type LogRow, toNanos } from './log-row.js';
export { decodeLogParquet, encodeLogParquet, LOG_COLUMNS } from './parquet/log-parquet.js';
export { createLogsCompactHandler, createLogsIngestHandler };

export interface LogsPluginOptions {
  /** Rows per output Parquet file (default 250,000). */
  maxRowsPerSegment?: number;
  /** Decompressed input bytes decoded at once on the worker thread (default 64 MiB). */
  maxBatchBytes?: number;
  ingest?: Parameters<typeof ingestBoxerPolicy>[0];
  compact?: Parameters<typeof compactBoxerPolicy>[0];
}

/**
 * Logs: JSON lines and OTLP/JSON objects (optionally gzipped) become ZSTD Parquet segments
 * sorted by (service, time), split by UTC day; compaction merges an org's day.
 */
export function createLogsPlugin(options: LogsPluginOptions = {}) {
  return defineSignalPlugin({
    name: '@lakerunner/plugin-logs',
    signal: 'logs',
    core: '>=0.0.0 <1.0.0',
    stages: {
      ingest: {
        feeds: ['compact'],
        boxer: ingestBoxerPolicy(options.ingest),
        handler: createLogsIngestHandler(options),
      },
      compact: {
        feeds: ['compact'],
        boxer: compactBoxerPolicy(options.compact),
        handler: createLogsCompactHandler(options),
      },
    },
  });
}

export const logsPlugin = createLogsPlugin();

export default logsPlugin;
