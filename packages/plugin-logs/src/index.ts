import { defineSignalPlugin } from '@lakerunner/core';

/** Logs: raw objects are ingested into segments, which are compacted per org and day. */
export const logsPlugin = defineSignalPlugin({
  name: '@lakerunner/plugin-logs',
  signal: 'logs',
  core: '>=0.0.0 <1.0.0',
  stages: {
    ingest: { feeds: ['compact'] },
    compact: { feeds: ['compact'] },
  },
});

export default logsPlugin;
