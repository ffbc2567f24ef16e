import { defineCodec } from '@lakerunner/core';
import {
  decodeOtlpTracesJson,
  expectOtlpJsonSignal,
  parseJsonDocument,
  sniffJsonDocument,
} from '@lakerunner/plugin-kit';
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
    const document = parseJsonDocument(piece);
    if (document === 'lines') {
      yield* decodeJsonLines(piece);
      return;
    }
    expectOtlpJsonSignal(document.json, 'traces', piece.key);
    yield* otlpSpanRecords(decodeOtlpTracesJson(document.json, { maxDepth: piece.limits.maxDepth }), '0.');
  },
});
