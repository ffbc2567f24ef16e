import { serveSignalTasks } from '@lakerunner/plugin-kit';
import { METRIC_CODECS } from './codecs/index.js';
import { metricsEncoding } from './schema/encoding.js';

// Worker-thread entry of the metrics stages: decoding, aggregation and Parquet encoding.
serveSignalTasks({ encoding: metricsEncoding, codecs: METRIC_CODECS });
