import { defineSignalPlugin } from '@lakerunner/core';

/**
 * Metrics: ingested 10 s segments are compacted and also rolled up to coarser frequencies;
 * every rollup output is compacted at its own frequency and rolled up again to the next tier.
 */
export const metricsPlugin = defineSignalPlugin({
  name: '@lakerunner/plugin-metrics',
  signal: 'metrics',
  core: '>=0.0.0 <1.0.0',
  stages: {
    ingest: { feeds: ['compact', 'rollup'] },
    compact: { feeds: ['compact'] },
    rollup: { feeds: ['rollup', 'compact'] },
  },
});

export default metricsPlugin;
