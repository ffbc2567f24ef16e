import { type CodecPiece, defineCodec } from '@lakerunner/core';
import { decodeOtlpTracesJson, otlpJsonSignal, pieceLines, sniffJsonLines } from '@lakerunner/plugin-kit';
import type { SpanRecord } from '../record.js';
import { otlpSpanRecords } from './otlp-records.js';

/** One OTLP/JSON traces request per line, as the collector's file exporter writes them. */
export const jsonLinesTracesCodec = defineCodec<SpanRecord>({
  name: 'otlp-json-lines',
  signals: ['traces'],
  suffixes: ['.jsonl', '.ndjson', '.json'],
  framing: 'lines',
  sniff: sniffJsonLines,
  decode: decodeJsonLines,
});

export function* decodeJsonLines(piece: CodecPiece): Generator<SpanRecord> {
  for (const line of pieceLines(piece)) {
    let spans: SpanRecord[];
    try {
      const value: unknown = JSON.parse(line.text);
      if (otlpJsonSignal(value) !== 'traces') throw new Error('not an OTLP traces request');
      spans = [
        ...otlpSpanRecords(
          decodeOtlpTracesJson(value, { maxDepth: piece.limits.maxDepth }),
          `${line.number}.`,
        ),
      ];
    } catch (err) {
      piece.reject(String(line.number), (err as Error).message);
      continue;
    }
    yield* spans;
  }
}
