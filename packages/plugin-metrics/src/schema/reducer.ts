import {
  type AnyValue,
  type Attributes,
  attributeKeysOf,
  type ReadSegment,
  type RowReducer,
} from '@lakerunner/plugin-kit';
import { sketchFromBytes } from '../aggregate/sketch.js';
import { asOneRun, type CounterRun, mergeAggregates } from '../aggregate/window.js';
import type { MetricType, Temporality } from '../record.js';
import { type MetricRow, windowStart } from './row.js';

/** Rows of one series and window merge; stored rows are read back whole, attributes included. */
export const metricReducer: RowReducer<MetricRow> = {
  key: (row) => `${row.seriesId}:${row.windowNs}`,
  merge: (into, other) => {
    mergeAggregates(into.aggregate, other.aggregate, into);
    return into;
  },
  read: readMetricRow,
  rewindow: (row, frequencyMs) => ({
    ...row,
    windowNs: windowStart(row.windowNs, frequencyMs),
    frequencyMs,
    aggregate: asOneRun(row.aggregate),
  }),
};

function readMetricRow(segment: ReadSegment, i: number): MetricRow {
  const value = (name: string) => segment.columns.get(name)?.values[i] ?? null;
  const text = (name: string) => (value(name) as string | null) ?? '';
  const number = (name: string) => {
    const v = value(name);
    return v === null ? Number.NaN : Number(v);
  };
  const maps: Record<string, Attributes> = { resource: new Map(), scope: new Map(), attributes: new Map() };
  for (const [column, { namespace, key }] of attributeKeysOf(segment)) {
    const v = value(column);
    if (v !== null) maps[namespace]?.set(key, v as AnyValue);
  }
  const service = value('resource_service_name');
  if (typeof service === 'string') maps.resource?.set('service.name', service);
  const parse = <T>(name: string): T | null => {
    const v = value(name);
    return typeof v === 'string' ? (JSON.parse(v) as T) : null;
  };
  const bounds = parse<number[]>('bucket_bounds');
  const bucketCounts = parse<number[]>('bucket_counts');
  const increase = value('increase');
  const sketch = value('sketch');
  return {
    name: text('metric_name'),
    type: text('metric_type') as MetricType,
    unit: text('unit'),
    description: text('description'),
    temporality: text('temporality') as Temporality,
    monotonic: value('monotonic') === true,
    seriesId: value('series_id') as bigint,
    windowNs: value('timestamp') as bigint,
    frequencyMs: Number(value('frequency_ms')),
    serviceName: typeof service === 'string' ? service : null,
    resource: maps.resource as Attributes,
    scope: { name: text('scope_name'), version: text('scope_version'), attributes: maps.scope as Attributes },
    attributes: maps.attributes as Attributes,
    aggregate: {
      count: number('count'),
      sum: number('sum'),
      min: number('min'),
      max: number('max'),
      first: number('first'),
      firstNs: value('first_timestamp') as bigint,
      last: number('last'),
      lastNs: value('last_timestamp') as bigint,
      increase: increase === null ? null : Number(increase),
      runs:
        parse<[string, number, string, number, number][]>('increase_runs')?.map(
          ([firstNs, first, lastNs, last, grew]): CounterRun => ({
            firstNs: BigInt(firstNs),
            first,
            lastNs: BigInt(lastNs),
            last,
            increase: grew,
          }),
        ) ?? null,
      sketch: sketch === null ? null : sketchFromBytes(sketch as Uint8Array),
      buckets: bounds && bucketCounts ? { bounds, counts: bucketCounts } : null,
      quantiles: parse('quantiles'),
    },
  };
}
