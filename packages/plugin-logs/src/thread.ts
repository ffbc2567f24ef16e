import { serveSignalTasks } from '@lakerunner/plugin-kit';
import { LOG_CODECS } from './codecs/index.js';
import { logsEncoding } from './schema/encoding.js';

// Worker-thread entry of the logs stages: decoding and Parquet encoding.
serveSignalTasks({ encoding: logsEncoding, codecs: LOG_CODECS });
