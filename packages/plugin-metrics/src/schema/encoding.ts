import type { SignalEncoding } from '@lakerunner/plugin-kit';
import type { MetricPoint } from '../record.js';
import { DEFAULT_TIERS } from '../tiers.js';
import { METRIC_LAYOUT, metricColumns } from './columns.js';
import { metricReducer } from './reducer.js';
import { type MetricRow, pointRow } from './row.js';

/** Points become one-point rows of the first tier's windows; the reducer merges them per series and window. */
export const metricsEncoding: SignalEncoding<MetricPoint, MetricRow> = {
  layout: METRIC_LAYOUT,
  toRow: (point, context) => pointRow(point, context, DEFAULT_TIERS[0]),
  columns: metricColumns,
  reducer: metricReducer,
};
