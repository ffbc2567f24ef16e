import { type CodecPiece, defineCodec } from '@lakerunner/core';
import { decodeOtlpLogsJson, otlpJsonSignal, pieceLines, sniffJsonLines } from '@lakerunner/plugin-kit';
import type { LogRecord } from '../record.js';
import { flatLogRecord, type ResourceCache } from './flat-record.js';
import { otlpLogRecords } from './otlp-records.js';

/**
 * JSON lines: one JSON object per line; well-known fields give time, body, level and service
 * (see flat-record.ts). A line that is an OTLP logs request (the collector's file exporter writes
 * one per line) is read as one. A line that is not a JSON object is rejected on its own.
 */
export const jsonLinesLogsCodec = defineCodec<LogRecord>({
  name: 'json-lines',
  signals: ['logs'],
  suffixes: ['.jsonl', '.ndjson', '.json'],
  framing: 'lines',
  sniff: sniffJsonLines,
  decode: decodeJsonLines,
});

export function* decodeJsonLines(piece: CodecPiece): Generator<LogRecord> {
  const resources: ResourceCache = new Map();
  for (const line of pieceLines(piece)) {
    let value: unknown;
    try {
      value = JSON.parse(line.text);
    } catch (err) {
      piece.reject(String(line.number), `not JSON: ${(err as Error).message}`);
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      piece.reject(String(line.number), 'not a JSON object');
      continue;
    }
    yield* lineRecords(value as Record<string, unknown>, line.number, resources, piece);
  }
}

/** The records of one parsed line; a bad line is rejected whole, without failing the object. */
export function lineRecords(
  value: Record<string, unknown>,
  number: number,
  resources: ResourceCache,
  piece: { limits: { maxDepth: number }; reject(position: string, reason: string): void },
): LogRecord[] {
  try {
    if (otlpJsonSignal(value) === 'logs') {
      return [
        ...otlpLogRecords(decodeOtlpLogsJson(value, { maxDepth: piece.limits.maxDepth }), `${number}.`),
      ];
    }
    return [flatLogRecord(value, String(number), resources, piece.limits.maxDepth)];
  } catch (err) {
    piece.reject(String(number), (err as Error).message);
    return [];
  }
}
