import type { SignalEncoding } from '@lakerunner/plugin-kit';
import type { LogRecord } from '../record.js';
import { LOG_LAYOUT, logColumns } from './columns.js';
import { type LogRow, toLogRow } from './row.js';

export const logsEncoding: SignalEncoding<LogRecord, LogRow> = {
  layout: LOG_LAYOUT,
  toRow: toLogRow,
  columns: logColumns,
};
