import { defineCodec, LakerunnerError } from '@lakerunner/core';
import {
  decodeOtlpLogsJson,
  otlpJsonSignal,
  parseJsonDocument,
  sniffJsonDocument,
} from '@lakerunner/plugin-kit';
import type { LogRecord } from '../record.js';
import { flatLogRecord, type ResourceCache } from './flat-record.js';
import { decodeJsonLines } from './json-lines.js';
import { otlpLogRecords } from './otlp-records.js';

/**
 * A JSON document: an OTLP/JSON ExportLogsServiceRequest (pretty-printed or not), or an array of
 * flat records. Read whole, up to limits.maxDocumentBytes. JSON lines under a `.json` name are
 * left to the json-lines codec, which streams them.
 */
export const otlpJsonLogsCodec = defineCodec<LogRecord>({
  name: 'json-document',
  signals: ['logs'],
  suffixes: ['.json'],
  framing: 'document',
  sniff: (head) => sniffJsonDocument(head, 'Logs'),
  *decode(piece) {
    const document = parseJsonDocument(piece);
    // JSON lines whose first line was too long to sniff: read them as lines after all.
    if (document === 'lines') {
      yield* decodeJsonLines(piece);
      return;
    }
    const value = document.json;
    const signal = otlpJsonSignal(value);
    if (signal === 'logs') {
      yield* otlpLogRecords(decodeOtlpLogsJson(value, { maxDepth: piece.limits.maxDepth }), '0.');
      return;
    }
    if (signal) {
      throw new LakerunnerError('LR_INPUT_UNSUPPORTED', `${piece.key}: an OTLP ${signal} request, not logs`);
    }
    const resources: ResourceCache = new Map();
    const records = Array.isArray(value) ? value : [value];
    for (const [i, record] of records.entries()) {
      if (typeof record !== 'object' || record === null || Array.isArray(record)) {
        piece.reject(String(i + 1), 'not a JSON object');
        continue;
      }
      try {
        yield flatLogRecord(
          record as Record<string, unknown>,
          String(i + 1),
          resources,
          piece.limits.maxDepth,
        );
      } catch (err) {
        piece.reject(String(i + 1), (err as Error).message);
      }
    }
  },
});
