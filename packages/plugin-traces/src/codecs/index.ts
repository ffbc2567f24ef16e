import { jsonLinesTracesCodec } from './json-lines.js';
import { otlpJsonTracesCodec } from './otlp-json.js';
import { otlpProtobufTracesCodec } from './otlp-protobuf.js';

/** The traces plugin's codecs, in the order they are tried when the content decides. */
export const TRACE_CODECS = [otlpProtobufTracesCodec, otlpJsonTracesCodec, jsonLinesTracesCodec] as const;

export { jsonLinesTracesCodec, otlpJsonTracesCodec, otlpProtobufTracesCodec };
