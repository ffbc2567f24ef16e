import { defineCodec } from '@lakerunner/core';
import { decodeOtlpLogsProtobuf, sniffOtlpProtobuf } from '@lakerunner/plugin-kit';
import type { LogRecord } from '../record.js';
import { otlpLogRecords } from './otlp-records.js';

/**
 * OTLP protobuf: ExportLogsServiceRequest as the OpenTelemetry collector's S3 exporter writes it
 * (`.binpb`). Framed one resource at a time, so a request of any size decodes in bounded memory.
 */
export const otlpProtobufLogsCodec = defineCodec<LogRecord>({
  name: 'otlp-protobuf',
  signals: ['logs'],
  suffixes: ['.binpb', '.pb', '.protobuf'],
  framing: 'otlp-protobuf',
  sniff: sniffOtlpProtobuf,
  decode: (piece) =>
    otlpLogRecords(decodeOtlpLogsProtobuf(piece.bytes, { maxDepth: piece.limits.maxDepth }), '', piece.first),
});
