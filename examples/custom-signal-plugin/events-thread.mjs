// The worker-thread script of the events stages: decoding and Parquet encoding run here.
import { serveSignalTasks } from '@lakerunner/plugin-kit';
import { logfmtEventsCodec } from './events-codec.mjs';
import { eventsEncoding } from './events-schema.mjs';

serveSignalTasks({ encoding: eventsEncoding, codecs: [logfmtEventsCodec] });
