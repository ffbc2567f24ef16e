import { defineCodec } from '@lakerunner/core';
import { decodeOtlpMetricsProtobuf, sniffOtlpProtobuf } from '@lakerunner/plugin-kit';
import type { MetricPoint } from '../record.js';
import { otlpMetricPoints } from './otlp-points.js';

/** OTLP protobuf ExportMetricsServiceRequest (`.binpb`), framed one resource at a time. */
export const otlpProtobufMetricsCodec = defineCodec<MetricPoint>({
  name: 'otlp-protobuf',
  signals: ['metrics'],
  suffixes: ['.binpb', '.pb', '.protobuf'],
  framing: 'otlp-protobuf',
  sniff: sniffOtlpProtobuf,
  decode: (piece) =>
    otlpMetricPoints(
      decodeOtlpMetricsProtobuf(piece.bytes, { maxDepth: piece.limits.maxDepth }),
      '',
      piece.first,
      piece.reject,
    ),
});
