import { type CodecPiece, defineCodec } from '@lakerunner/core';
import { decodeOtlpMetricsJson, otlpJsonSignal, pieceLines, sniffJsonLines } from '@lakerunner/plugin-kit';
import type { MetricPoint } from '../record.js';
import { otlpMetricPoints } from './otlp-points.js';

/** One OTLP/JSON metrics request per line, as the collector's file exporter writes them. */
export const jsonLinesMetricsCodec = defineCodec<MetricPoint>({
  name: 'otlp-json-lines',
  signals: ['metrics'],
  suffixes: ['.jsonl', '.ndjson', '.json'],
  framing: 'lines',
  sniff: sniffJsonLines,
  decode: decodeJsonLines,
});

export function* decodeJsonLines(piece: CodecPiece): Generator<MetricPoint> {
  for (const line of pieceLines(piece)) {
    let points: MetricPoint[];
    try {
      const value: unknown = JSON.parse(line.text);
      if (otlpJsonSignal(value) !== 'metrics') throw new Error('not an OTLP metrics request');
      const request = decodeOtlpMetricsJson(value, { maxDepth: piece.limits.maxDepth });
      points = [...otlpMetricPoints(request, `${line.number}.`, 0, piece.reject)];
    } catch (err) {
      piece.reject(String(line.number), (err as Error).message);
      continue;
    }
    yield* points;
  }
}
