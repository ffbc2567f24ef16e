import { defineCodec } from '@lakerunner/core';
import {
  decodeOtlpMetricsJson,
  expectOtlpJsonSignal,
  parseJsonDocument,
  sniffJsonDocument,
} from '@lakerunner/plugin-kit';
import type { MetricPoint } from '../record.js';
import { decodeJsonLines } from './json-lines.js';
import { otlpMetricPoints } from './otlp-points.js';

/** An OTLP/JSON ExportMetricsServiceRequest document (pretty-printed or not), read whole. */
export const otlpJsonMetricsCodec = defineCodec<MetricPoint>({
  name: 'otlp-json',
  signals: ['metrics'],
  suffixes: ['.json'],
  framing: 'document',
  sniff: (head) => sniffJsonDocument(head, 'Metrics'),
  *decode(piece) {
    const document = parseJsonDocument(piece);
    if (document === 'lines') {
      yield* decodeJsonLines(piece);
      return;
    }
    expectOtlpJsonSignal(document.json, 'metrics', piece.key);
    yield* otlpMetricPoints(
      decodeOtlpMetricsJson(document.json, { maxDepth: piece.limits.maxDepth }),
      '0.',
      0,
      piece.reject,
    );
  },
});
