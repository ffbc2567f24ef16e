import { jsonLinesMetricsCodec } from './json-lines.js';
import { otlpJsonMetricsCodec } from './otlp-json.js';
import { otlpProtobufMetricsCodec } from './otlp-protobuf.js';

/** The metrics plugin's codecs, in the order they are tried when the content decides. */
export const METRIC_CODECS = [otlpProtobufMetricsCodec, otlpJsonMetricsCodec, jsonLinesMetricsCodec] as const;

export { jsonLinesMetricsCodec, otlpJsonMetricsCodec, otlpProtobufMetricsCodec };
