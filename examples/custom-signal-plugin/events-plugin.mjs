// A fourth signal, "events", for application events logged as logfmt lines. It brings its own
// codec (events-codec.mjs), row schema and sort order (events-schema.mjs), and runs ingest and
// compaction on the plugin kit; lakerunner derives its topics (<prefix>.objstore.ingest.events,
// <prefix>.segments.events.ingest, …), consumer groups and services (boxer-ingest-events,
// ingest-events, …) without any change to core.
//
// Use it: plugins: ['@lakerunner/plugin-logs', './events-plugin.mjs'] in lakerunner.yaml, then
// `lakerunner topics sync` and `lakerunner run --all`. Files named
// otel-raw/<org>/<collector>/…/events_<anything>.logfmt are routed to it.
import { compactBoxerPolicy, defineSignalPlugin, ingestBoxerPolicy } from '@lakerunner/core';
import { createCompactHandler, createIngestHandler, lazySignalThreadPool } from '@lakerunner/plugin-kit';
import { logfmtEventsCodec } from './events-codec.mjs';

const threads = lazySignalThreadPool(new URL('./events-thread.mjs', import.meta.url));

export const eventsPlugin = defineSignalPlugin({
  name: 'example-events-plugin',
  signal: 'events',
  core: '>=0.0.0 <1.0.0',
  stages: {
    ingest: {
      feeds: ['compact'],
      boxer: ingestBoxerPolicy({ maxAgeMs: 2000 }),
      handler: createIngestHandler({ codecs: [logfmtEventsCodec], threads }),
    },
    compact: {
      feeds: ['compact'],
      boxer: compactBoxerPolicy({ maxAgeMs: 3000 }),
      handler: createCompactHandler({ threads }),
    },
  },
});
