import { type BoxerPolicy, defineSignalPlugin } from '@lakerunner/core';
import { createMetricsCompactHandler } from './compact/handler.js';
import { metricsCompactPolicy } from './compact/policy.js';
import { createMetricsIngestHandler } from './ingest/handler.js';
import { metricsIngestPolicy } from './ingest/policy.js';
import { createMetricsRollupHandler } from './rollup/handler.js';
import { metricsRollupPolicy } from './rollup/policy.js';
import { checkTiers, DEFAULT_TIERS } from './tiers.js';

export { seriesId } from './aggregate/series-id.js';
export { RELATIVE_ACCURACY, sketchFromBytes, sketchToBytes } from './aggregate/sketch.js';
export { mergeAggregates, pointAggregate, sketchOf, type WindowAggregate } from './aggregate/window.js';
export {
  jsonLinesMetricsCodec,
  METRIC_CODECS,
  otlpJsonMetricsCodec,
  otlpProtobufMetricsCodec,
} from './codecs/index.js';
export type { MetricPoint, MetricType, Temporality } from './record.js';
export { METRIC_COLUMN_NAMES, METRIC_LAYOUT, metricColumns } from './schema/columns.js';
export { metricsEncoding } from './schema/encoding.js';
export { metricReducer } from './schema/reducer.js';
export type { MetricRow } from './schema/row.js';
export { DEFAULT_TIERS, nextTier } from './tiers.js';
export {
  createMetricsCompactHandler,
  createMetricsIngestHandler,
  createMetricsRollupHandler,
  metricsCompactPolicy,
  metricsIngestPolicy,
  metricsRollupPolicy,
};

export interface MetricsPluginOptions {
  /**
   * Rollup tiers after the first (10 s), in ms; default 60 s, 5 min, 20 min, 1 h. Each a multiple
   * of the one before that divides a day (LR_PLUGIN_INVALID otherwise).
   */
  tiers?: readonly number[];
  maxRowsPerSegment?: number;
  maxBatchBytes?: number;
  ingest?: Partial<BoxerPolicy>;
  compact?: Partial<BoxerPolicy>;
  rollup?: Partial<BoxerPolicy>;
}

/**
 * Metrics: OTLP metrics (protobuf and JSON, every point type) become one row per series and
 * 10 s window; each tier is compacted and rolled up to the next (60 s, 5 min, 20 min, 1 h), every
 * aggregate mergeable so each tier is exact from the one below. Compaction outputs are never
 * rolled up (the rollup chain reads ingest and rollup outputs only), so nothing counts twice.
 */
export function createMetricsPlugin(options: MetricsPluginOptions = {}) {
  const tiers = checkTiers(options.tiers ?? DEFAULT_TIERS.slice(1));
  const last = tiers[tiers.length - 1];
  return defineSignalPlugin({
    name: '@lakerunner/plugin-metrics',
    signal: 'metrics',
    core: '>=0.0.0 <1.0.0',
    stages: {
      ingest: {
        feeds: ['compact', 'rollup'],
        boxer: metricsIngestPolicy(options.ingest),
        handler: createMetricsIngestHandler(options),
      },
      compact: {
        feeds: ['compact'],
        boxer: metricsCompactPolicy(options.compact, options.maxRowsPerSegment),
        handler: createMetricsCompactHandler(options),
      },
      rollup: {
        feeds: ['rollup', 'compact'],
        // The last tier is only compacted.
        feedsFor: (output) => (output.frequencyMs === last ? ['compact'] : ['rollup', 'compact']),
        consumes: 'mark',
        boxer: metricsRollupPolicy(options.rollup),
        handler: createMetricsRollupHandler({ ...options, tiers }),
      },
    },
  });
}

export const metricsPlugin = createMetricsPlugin();

export default metricsPlugin;
