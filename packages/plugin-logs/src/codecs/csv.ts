import { defineCodec, LakerunnerError, type SniffResult } from '@lakerunner/core';
import { type AnyValue, firstChar, isText } from '@lakerunner/plugin-kit';
import type { LogRecord } from '../record.js';
import { csvRecords, parseCsvRecord } from './csv-record.js';
import { flatLogRecord, type ResourceCache } from './flat-record.js';

/**
 * CSV with a header row (RFC 4180 quoting). Field values get a type by their look: integers
 * int64, decimals double, true/false bool, empty fields are absent, the rest strings; the header
 * names say which field is the time, body, level or service (see flat-record.ts).
 */
export const csvLogsCodec = defineCodec<LogRecord>({
  name: 'csv',
  signals: ['logs'],
  suffixes: ['.csv'],
  framing: 'csv',
  sniff: sniffCsv,
  *decode(piece) {
    const header = piece.header ? Buffer.from(piece.header).toString('utf8') : '';
    let names: string[];
    try {
      names = parseCsvRecord(header.replace(/^\uFEFF/, ''));
    } catch (err) {
      throw new LakerunnerError(
        'LR_INPUT_CORRUPT',
        `${piece.key}: the header row is malformed: ${(err as Error).message}`,
      );
    }
    const resources: ResourceCache = new Map();
    const text = Buffer.from(piece.bytes.buffer, piece.bytes.byteOffset, piece.bytes.byteLength).toString(
      'utf8',
    );
    let number = piece.first;
    for (const record of csvRecords(text)) {
      number++;
      if (record.trim() === '') continue;
      let values: string[];
      try {
        values = parseCsvRecord(record);
      } catch (err) {
        piece.reject(String(number), (err as Error).message);
        continue;
      }
      if (values.length > names.length) {
        piece.reject(String(number), `${values.length} fields, but the header names ${names.length}`);
        continue;
      }
      const fields: Record<string, unknown> = {};
      values.forEach((v, i) => {
        if (v !== '') fields[names[i] as string] = v;
      });
      yield flatLogRecord(fields, String(number), resources, piece.limits.maxDepth, inferType);
    }
  },
});

function inferType(raw: unknown): AnyValue {
  const text = raw as string;
  if (/^-?\d{1,18}$/.test(text)) return BigInt(text);
  if (/^-?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text);
  const lower = text.toLowerCase();
  if (lower === 'true' || lower === 'false') return lower === 'true';
  return text;
}

/** Any text but JSON could be CSV (one column has no comma); plain text is tried before it. */
function sniffCsv(head: Uint8Array): SniffResult {
  return isText(head) && firstChar(head) !== '{' && firstChar(head) !== '[' ? 'maybe' : 'no';
}
