import { defineCodec } from '@lakerunner/core';
import { isParquet, parquetRows } from '@lakerunner/plugin-kit';
import type { LogRecord } from '../record.js';
import { flatLogRecord, type ResourceCache } from './flat-record.js';

/**
 * Parquet files of any schema: each row a record, nested structs flattened to dotted field names,
 * and the well-known field names give time, body, level and service (see flat-record.ts).
 */
export const parquetLogsCodec = defineCodec<LogRecord>({
  name: 'parquet',
  signals: ['logs'],
  suffixes: ['.parquet'],
  framing: 'document',
  sniff: (head) => (isParquet(head) ? 'yes' : 'no'),
  async *decode(piece) {
    const resources: ResourceCache = new Map();
    let number = 0;
    for await (const row of parquetRows(piece.bytes)) {
      number++;
      try {
        yield flatLogRecord(row, String(number), resources, piece.limits.maxDepth);
      } catch (err) {
        piece.reject(String(number), (err as Error).message);
      }
    }
  },
});
