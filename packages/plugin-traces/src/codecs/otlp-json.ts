import { defineCodec, LakerunnerError } from '@lakerunner/core';
import { decodeOtlpTracesJson, otlpJsonSignal, sniffJsonDocument } from '@lakerunner/plugin-kit';
import type { SpanRecord } from '../record.js';
import { decodeJsonLines } from './json-lines.js';
import { otlpSpanRecords } from './otlp-records.js';

/** An OTLP/JSON ExportTraceServiceRequest document (pretty-printed or not), read whole. */
export const otlpJsonTracesCodec = defineCodec<SpanRecord>({
  name: 'otlp-json',
  signals: ['traces'],
  suffixes: ['.json'],
  framing: 'document',
  sniff: (head) => sniffJsonDocument(head, 'Spans'),
  *decode(piece) {
    const text = Buffer.from(piece.bytes.buffer, piece.bytes.byteOffset, piece.bytes.byteLength).toString(
      'utf8',
    );
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      if (text.trimEnd().includes('\n')) {
        yield* decodeJsonLines(piece);
        return;
      }
      throw new LakerunnerError(
        'LR_INPUT_CORRUPT',
        `${piece.key}: not a JSON document: ${(err as Error).message}`,
      );
    }
    const signal = otlpJsonSignal(value);
    if (signal !== 'traces') {
      throw new LakerunnerError(
        signal ? 'LR_INPUT_UNSUPPORTED' : 'LR_INPUT_CORRUPT',
        `${piece.key}: ${signal ? `an OTLP ${signal} request` : 'not an OTLP request'}, not traces`,
      );
    }
    yield* otlpSpanRecords(decodeOtlpTracesJson(value, { maxDepth: piece.limits.maxDepth }), '0.');
  },
});
