import type { OtlpExponentialBuckets, OtlpMetric, OtlpMetrics } from '@lakerunner/plugin-kit';
import type { MetricPoint, Temporality } from '../record.js';

const TEMPORALITY: Record<number, Temporality> = { 1: 'delta', 2: 'cumulative' };

/**
 * The data points of an OTLP metrics request. A point without a usable value (NaN, ±Inf, an
 * empty metric name, no value at all) is rejected by position, never silently dropped.
 */
export function* otlpMetricPoints(
  request: OtlpMetrics,
  prefix: string,
  firstResource: number,
  reject: (position: string, reason: string) => void,
): Generator<MetricPoint> {
  for (let r = 0; r < request.resourceMetrics.length; r++) {
    const rm = request.resourceMetrics[r];
    if (!rm) continue;
    for (let s = 0; s < rm.scopeMetrics.length; s++) {
      const sm = rm.scopeMetrics[s];
      if (!sm) continue;
      for (let m = 0; m < sm.metrics.length; m++) {
        const metric = sm.metrics[m] as OtlpMetric;
        const at = `${prefix}${firstResource + r}.${s}.${m}`;
        if (metric.name === '') {
          reject(at, 'a metric without a name');
          continue;
        }
        yield* metricPoints(metric, at, { resource: rm.resource, scope: sm.scope }, reject);
      }
    }
  }
}

function* metricPoints(
  metric: OtlpMetric,
  at: string,
  where: Pick<MetricPoint, 'resource' | 'scope'>,
  reject: (position: string, reason: string) => void,
): Generator<MetricPoint> {
  const data = metric.data;
  if (data.type === 'empty') {
    reject(at, `metric ${metric.name} has no data`);
    return;
  }
  const base = {
    name: metric.name,
    type: data.type === 'exponential-histogram' ? ('exponential_histogram' as const) : data.type,
    unit: metric.unit,
    description: metric.description,
    temporality:
      'aggregationTemporality' in data ? (TEMPORALITY[data.aggregationTemporality] ?? '') : ('' as const),
    monotonic: data.type === 'sum' ? data.isMonotonic : false,
    ...where,
  };
  for (let p = 0; p < data.dataPoints.length; p++) {
    const point = data.dataPoints[p];
    if (!point) continue;
    const position = `${at}.${p}`;
    const common = { ...base, position, attributes: point.attributes, timeNs: point.timeUnixNano };
    if (data.type === 'gauge' || data.type === 'sum') {
      const raw = (point as { value: number | bigint | undefined }).value;
      const value = typeof raw === 'bigint' ? Number(raw) : raw;
      if (value === undefined || !Number.isFinite(value)) {
        reject(position, `${metric.name}: ${value === undefined ? 'no value' : `value ${value}`}`);
        continue;
      }
      yield { ...common, value };
    } else if (data.type === 'histogram') {
      const h = data.dataPoints[p] as (typeof data.dataPoints)[number];
      yield {
        ...common,
        histogram: {
          count: Number(h.count),
          sum: h.sum,
          min: h.min,
          max: h.max,
          bounds: h.explicitBounds,
          counts: h.bucketCounts.map(Number),
        },
      };
    } else if (data.type === 'exponential-histogram') {
      const e = data.dataPoints[p] as (typeof data.dataPoints)[number];
      const base2 = 2 ** (2 ** -e.scale);
      const buckets = [
        ...exponentialBuckets(e.positive, base2, 1),
        ...exponentialBuckets(e.negative, base2, -1),
        ...(e.zeroCount > 0n ? [{ value: 0, count: Number(e.zeroCount) }] : []),
      ];
      yield {
        ...common,
        histogram: { count: Number(e.count), sum: e.sum, min: e.min, max: e.max, bounds: [], counts: [] },
        buckets,
      };
    } else {
      const q = data.dataPoints[p] as (typeof data.dataPoints)[number];
      yield { ...common, summary: { count: Number(q.count), sum: q.sum, quantiles: q.quantileValues } };
    }
  }
}

/** Each populated bucket as its geometric midpoint: what a sketch can take as a value. */
function exponentialBuckets(buckets: OtlpExponentialBuckets, base: number, sign: 1 | -1) {
  const out: { value: number; count: number }[] = [];
  buckets.bucketCounts.forEach((count, i) => {
    if (count === 0n) return;
    const index = buckets.offset + i;
    out.push({ value: sign * base ** (index + 0.5), count: Number(count) });
  });
  return out;
}
