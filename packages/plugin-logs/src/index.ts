import { type BoxerPolicy, defineSignalPlugin } from '@lakerunner/core';
import { createLogsCompactHandler } from './compact/handler.js';
import { logsCompactPolicy } from './compact/policy.js';
import { createLogsIngestHandler } from './ingest/handler.js';
import { logsIngestPolicy } from './ingest/policy.js';

export {
  csvLogsCodec,
  jsonLinesLogsCodec,
  LOG_CODECS,
  otlpJsonLogsCodec,
  otlpProtobufLogsCodec,
  parquetLogsCodec,
  textLogsCodec,
} from './codecs/index.js';
export { fingerprint, messageTemplate } from './fingerprint/index.js';
export type { LogRecord, LogResource, LogScope } from './record.js';
export { LOG_COLUMN_NAMES, LOG_LAYOUT, logColumns, MAX_ATTRIBUTE_COLUMNS } from './schema/columns.js';
export { logsEncoding } from './schema/encoding.js';
export { LEVELS, type Level, normaliseLevel } from './schema/level.js';
export type { LogRow } from './schema/row.js';
export { createLogsCompactHandler, createLogsIngestHandler, logsCompactPolicy, logsIngestPolicy };

export interface LogsPluginOptions {
  /** Rows per output Parquet file (default 250,000). */
  maxRowsPerSegment?: number;
  /** Decompressed input bytes decoded at once on the worker thread (default 64 MiB). */
  maxBatchBytes?: number;
  ingest?: Partial<BoxerPolicy>;
  compact?: Partial<BoxerPolicy>;
}

/**
 * Logs: OTLP (protobuf and JSON), JSON lines, CSV, Parquet and plain text objects, gzip or zstd
 * compressed or not, become ZSTD Parquet segments sorted by (service, fingerprint, time), split by
 * UTC day; compaction merges an org's day.
 */
export function createLogsPlugin(options: LogsPluginOptions = {}) {
  return defineSignalPlugin({
    name: '@lakerunner/plugin-logs',
    signal: 'logs',
    core: '>=0.0.0 <1.0.0',
    stages: {
      ingest: {
        feeds: ['compact'],
        boxer: logsIngestPolicy(options.ingest),
        handler: createLogsIngestHandler(options),
      },
      compact: {
        feeds: ['compact'],
        boxer: logsCompactPolicy(options.compact, options.maxRowsPerSegment),
        handler: createLogsCompactHandler(options),
      },
    },
  });
}

export const logsPlugin = createLogsPlugin();

export default logsPlugin;
