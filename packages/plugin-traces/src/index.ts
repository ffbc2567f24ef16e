import { defineSignalPlugin } from '@lakerunner/core';

/** Traces: raw objects are ingested into segments, which are compacted per org and day. */
export const tracesPlugin = defineSignalPlugin({
  name: '@lakerunner/plugin-traces',
  signal: 'traces',
  core: '>=0.0.0 <1.0.0',
  stages: {
    ingest: { feeds: ['compact'] },
    compact: { feeds: ['compact'] },
  },
});

export default tracesPlugin;
