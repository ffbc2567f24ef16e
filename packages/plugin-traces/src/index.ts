import { type BoxerPolicy, defineSignalPlugin } from '@lakerunner/core';
import { createTracesCompactHandler } from './compact/handler.js';
import { tracesCompactPolicy } from './compact/policy.js';
import { createTracesIngestHandler } from './ingest/handler.js';
import { tracesIngestPolicy } from './ingest/policy.js';

export {
  jsonLinesTracesCodec,
  otlpJsonTracesCodec,
  otlpProtobufTracesCodec,
  TRACE_CODECS,
} from './codecs/index.js';
export type { SpanRecord } from './record.js';
export { MAX_ATTRIBUTE_COLUMNS, spanColumns, TRACE_COLUMN_NAMES, TRACE_LAYOUT } from './schema/columns.js';
export { tracesEncoding } from './schema/encoding.js';
export type { SpanRow } from './schema/row.js';
export { createTracesCompactHandler, createTracesIngestHandler, tracesCompactPolicy, tracesIngestPolicy };

export interface TracesPluginOptions {
  /** Rows per output Parquet file (default 250,000). */
  maxRowsPerSegment?: number;
  /** Decompressed input bytes decoded at once on the worker thread (default 64 MiB). */
  maxBatchBytes?: number;
  ingest?: Partial<BoxerPolicy>;
  compact?: Partial<BoxerPolicy>;
}

/**
 * Traces: OTLP protobuf and OTLP/JSON objects become spans in ZSTD Parquet segments sorted by
 * trace id then start time, split by UTC day; compaction keeps that order.
 */
export function createTracesPlugin(options: TracesPluginOptions = {}) {
  return defineSignalPlugin({
    name: '@lakerunner/plugin-traces',
    signal: 'traces',
    core: '>=0.0.0 <1.0.0',
    stages: {
      ingest: {
        feeds: ['compact'],
        boxer: tracesIngestPolicy(options.ingest),
        handler: createTracesIngestHandler(options),
      },
      compact: {
        feeds: ['compact'],
        boxer: tracesCompactPolicy(options.compact, options.maxRowsPerSegment),
        handler: createTracesCompactHandler(options),
      },
    },
  });
}

export const tracesPlugin = createTracesPlugin();

export default tracesPlugin;
