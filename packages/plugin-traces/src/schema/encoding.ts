import type { SignalEncoding } from '@lakerunner/plugin-kit';
import type { SpanRecord } from '../record.js';
import { spanColumns, TRACE_LAYOUT } from './columns.js';
import { type SpanRow, toSpanRow } from './row.js';

export const tracesEncoding: SignalEncoding<SpanRecord, SpanRow> = {
  layout: TRACE_LAYOUT,
  toRow: toSpanRow,
  columns: spanColumns,
};
