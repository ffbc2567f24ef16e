import { defineCodec } from '@lakerunner/core';
import { decodeOtlpTracesProtobuf, sniffOtlpProtobuf } from '@lakerunner/plugin-kit';
import type { SpanRecord } from '../record.js';
import { otlpSpanRecords } from './otlp-records.js';

/** OTLP protobuf ExportTraceServiceRequest (`.binpb`), framed one resource at a time. */
export const otlpProtobufTracesCodec = defineCodec<SpanRecord>({
  name: 'otlp-protobuf',
  signals: ['traces'],
  suffixes: ['.binpb', '.pb', '.protobuf'],
  framing: 'otlp-protobuf',
  sniff: sniffOtlpProtobuf,
  decode: (piece) =>
    otlpSpanRecords(
      decodeOtlpTracesProtobuf(piece.bytes, { maxDepth: piece.limits.maxDepth }),
      '',
      piece.first,
    ),
});
