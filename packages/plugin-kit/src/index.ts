export { anyValueToJson, anyValueToText, jsonToAnyValue } from './any-value.js';
export {
  firstChar,
  isParquet,
  isText,
  parseJsonDocument,
  pieceLines,
  sniffJsonDocument,
  sniffJsonLines,
  sniffOtlpProtobuf,
} from './codec-helpers.js';
export * from './columns/index.js';
export { type CompactHandlerOptions, createCompactHandler, createRollupHandler } from './compact/handler.js';
/** The merge half of compaction and rollup without I/O or threads (benchmarks, tools). */
export { runCompactTask } from './compact/merge-task.js';
export { type Compression, detectCompression, withoutCompressionSuffix } from './compression.js';
export { fnv1a64 } from './hash.js';
/** The decode-sort-encode half of ingest without I/O or threads (benchmarks, tools). */
export { runIngestTask } from './ingest/decode-task.js';
export {
  createIngestHandler,
  DEFAULT_MAX_BATCH_BYTES,
  DEFAULT_MAX_ROWS_PER_SEGMENT,
  type IngestHandlerOptions,
} from './ingest/handler.js';
export { limitExceeded } from './limits.js';
export * from './otlp/index.js';
export { type EncodedSegment, encodeSegments } from './segments/encode.js';
export type { RecordSource, RowContext, RowReducer, SignalEncoding } from './segments/encoding.js';
export type { SegmentLayout } from './segments/layout.js';
export { reduceRows } from './segments/reduce.js';
export { storeSegments } from './segments/store.js';
export { type CodecChoice, selectCodec } from './select-codec.js';
export { lazySignalThreadPool, type SignalThreadPool } from './thread/pool.js';
export { serveSignalTasks } from './thread/serve.js';
export type { IngestTask, SignalTask, TaskResult } from './thread/tasks.js';
export { dateintOfNanos, parseTimestamp, type TimeBounds, timeBounds, withinBounds } from './timestamps.js';
export type { AnyValue, Attributes, KeyValueList } from './values.js';
