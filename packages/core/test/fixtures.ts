import { defineSignalPlugin } from '../src/plugin/signal-plugin.js';

/** The official signals' stage declarations, as their plugin packages declare them. */
export const logs = defineSignalPlugin({
  name: 'test-logs',
  signal: 'logs',
  core: '*',
  stages: { ingest: { feeds: ['compact'] }, compact: { feeds: ['compact'] } },
});
export const metrics = defineSignalPlugin({
  name: 'test-metrics',
  signal: 'metrics',
  core: '*',
  stages: {
    ingest: { feeds: ['compact', 'rollup'] },
    compact: { feeds: ['compact'] },
    rollup: { feeds: ['rollup', 'compact'] },
  },
});
export const traces = defineSignalPlugin({
  name: 'test-traces',
  signal: 'traces',
  core: '*',
  stages: { ingest: { feeds: ['compact'] }, compact: { feeds: ['compact'] } },
});
