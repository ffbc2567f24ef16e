import { serveSignalTasks } from '@lakerunner/plugin-kit';
import { TRACE_CODECS } from './codecs/index.js';
import { tracesEncoding } from './schema/encoding.js';

// Worker-thread entry of the traces stages: decoding and Parquet encoding.
serveSignalTasks({ encoding: tracesEncoding, codecs: TRACE_CODECS });
