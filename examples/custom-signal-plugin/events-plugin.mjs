// A fourth signal, "events", for application events shipped as JSON lines. It declares its
// stages and reuses the logs codecs and Parquet layout; lakerunner derives its topics
// (<prefix>.objstore.ingest.events, <prefix>.segments.events.ingest, …), consumer groups and
// services (boxer-ingest-events, ingest-events, …) without any change to core.
//
// Use it: plugins: ['@lakerunner/plugin-logs', './events-plugin.mjs'] in lakerunner.yaml, then
// `lakerunner topics sync` and `lakerunner run --all`. Files named
// otel-raw/<org>/<collector>/…/events_<anything>.jsonl are routed to it.
import { compactBoxerPolicy, defineSignalPlugin, ingestBoxerPolicy } from '@lakerunner/core';
import { createLogsCompactHandler, createLogsIngestHandler } from '@lakerunner/plugin-logs';

export const eventsPlugin = defineSignalPlugin({
  name: 'example-events-plugin',
  signal: 'events',
  core: '>=0.0.0 <1.0.0',
  stages: {
    ingest: {
      feeds: ['compact'],
      boxer: ingestBoxerPolicy({ maxAgeMs: 5000 }),
      handler: createLogsIngestHandler(),
    },
    compact: { feeds: ['compact'], boxer: compactBoxerPolicy(), handler: createLogsCompactHandler() },
  },
});
