import {
  type AttributeNamespace,
  attributeColumns,
  attributesWithout,
  type ColumnSource,
  type SegmentLayout,
} from '@lakerunner/plugin-kit';
import { sketchToBytes } from '../aggregate/sketch.js';
import type { CounterRun } from '../aggregate/window.js';
import type { MetricRow } from './row.js';

const notNaN = (n: number) => (Number.isNaN(n) ? null : n);
const json = (v: unknown) => (v === null ? null : JSON.stringify(v));

/** A counter's runs as `[[first_ns, first, last_ns, last, increase], …]` (times as strings). */
function runsJson(runs: readonly CounterRun[] | null): string | null {
  if (!runs) return null;
  return JSON.stringify(runs.map((r) => [String(r.firstNs), r.first, String(r.lastNs), r.last, r.increase]));
}

/** The metrics segment schema: one row per series and window; README.md documents every column. */
const FIXED: readonly ColumnSource<MetricRow>[] = [
  { name: 'timestamp', type: 'timestamp', get: (r) => r.windowNs },
  { name: 'frequency_ms', type: 'int32', get: (r) => r.frequencyMs },
  { name: 'metric_name', type: 'string', get: (r) => r.name },
  { name: 'metric_type', type: 'string', get: (r) => r.type },
  { name: 'unit', type: 'string', get: (r) => r.unit || null },
  { name: 'description', type: 'string', get: (r) => r.description || null },
  { name: 'temporality', type: 'string', get: (r) => r.temporality || null },
  { name: 'monotonic', type: 'bool', get: (r) => r.monotonic },
  { name: 'series_id', type: 'int64', get: (r) => r.seriesId },
  { name: 'resource_service_name', type: 'string', get: (r) => r.serviceName },
  { name: 'scope_name', type: 'string', get: (r) => r.scope.name || null },
  { name: 'scope_version', type: 'string', get: (r) => r.scope.version || null },
  { name: 'count', type: 'int64', get: (r) => BigInt(Math.round(r.aggregate.count)) },
  { name: 'sum', type: 'double', get: (r) => r.aggregate.sum },
  { name: 'min', type: 'double', get: (r) => notNaN(r.aggregate.min) },
  { name: 'max', type: 'double', get: (r) => notNaN(r.aggregate.max) },
  { name: 'first', type: 'double', get: (r) => r.aggregate.first },
  { name: 'first_timestamp', type: 'timestamp', get: (r) => r.aggregate.firstNs },
  { name: 'last', type: 'double', get: (r) => r.aggregate.last },
  { name: 'last_timestamp', type: 'timestamp', get: (r) => r.aggregate.lastNs },
  { name: 'increase', type: 'double', get: (r) => r.aggregate.increase },
  { name: 'increase_runs', type: 'string', get: (r) => runsJson(r.aggregate.runs) },
  {
    name: 'sketch',
    type: 'binary',
    get: (r) => (r.aggregate.sketch ? sketchToBytes(r.aggregate.sketch) : null),
  },
  { name: 'bucket_bounds', type: 'string', get: (r) => json(r.aggregate.buckets?.bounds ?? null) },
  { name: 'bucket_counts', type: 'string', get: (r) => json(r.aggregate.buckets?.counts ?? null) },
  { name: 'quantiles', type: 'string', get: (r) => json(r.aggregate.quantiles) },
];

export const METRIC_COLUMN_NAMES = FIXED.map((c) => c.name);
const RESERVED = new Set(METRIC_COLUMN_NAMES);

export const METRIC_NAMESPACES: readonly AttributeNamespace<MetricRow>[] = [
  { prefix: 'resource_', name: 'resource', get: (r) => attributesWithout(r.resource, 'service.name') },
  { prefix: 'scope_', name: 'scope', get: (r) => r.scope.attributes },
  { prefix: 'attr_', name: 'attributes', get: (r) => r.attributes },
];

export const MAX_ATTRIBUTE_COLUMNS = 1000;

export function metricColumns(rows: readonly MetricRow[]): ColumnSource<MetricRow>[] {
  return [...FIXED, ...attributeColumns(rows, METRIC_NAMESPACES, MAX_ATTRIBUTE_COLUMNS, RESERVED)];
}

/** Sorted by metric, then series, then time: one series' windows are contiguous. */
export const METRIC_LAYOUT: SegmentLayout = {
  sortColumns: ['metric_name', 'series_id', 'timestamp'],
  timeColumn: 'timestamp',
  idColumn: 'series_id',
  metadataColumns: { metrics: 'metric_name' },
};
