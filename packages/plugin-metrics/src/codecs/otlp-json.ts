import { defineCodec, LakerunnerError } from '@lakerunner/core';
import { decodeOtlpMetricsJson, otlpJsonSignal, sniffJsonDocument } from '@lakerunner/plugin-kit';
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
    if (signal !== 'metrics') {
      throw new LakerunnerError(
        signal ? 'LR_INPUT_UNSUPPORTED' : 'LR_INPUT_CORRUPT',
        `${piece.key}: ${signal ? `an OTLP ${signal} request` : 'not an OTLP request'}, not metrics`,
      );
    }
    yield* otlpMetricPoints(
      decodeOtlpMetricsJson(value, { maxDepth: piece.limits.maxDepth }),
      '0.',
      0,
      piece.reject,
    );
  },
});
