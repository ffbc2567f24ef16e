import { csvLogsCodec } from './csv.js';
import { jsonLinesLogsCodec } from './json-lines.js';
import { otlpJsonLogsCodec } from './otlp-json.js';
import { otlpProtobufLogsCodec } from './otlp-protobuf.js';
import { parquetLogsCodec } from './parquet.js';
import { textLogsCodec } from './text.js';

/**
 * The logs plugin's codecs, in the order they are tried when the content decides: formats a
 * sniffer can be sure of first; then plain text, which reads any text as lines, before CSV,
 * which would take a text file's first line for a header (CSV is chosen by its suffix).
 */
export const LOG_CODECS = [
  otlpProtobufLogsCodec,
  otlpJsonLogsCodec,
  jsonLinesLogsCodec,
  parquetLogsCodec,
  textLogsCodec,
  csvLogsCodec,
] as const;

export {
  csvLogsCodec,
  jsonLinesLogsCodec,
  otlpJsonLogsCodec,
  otlpProtobufLogsCodec,
  parquetLogsCodec,
  textLogsCodec,
};
