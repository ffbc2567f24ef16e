import { eachItem, readJsonAttributes, readJsonRequest } from './json-common.js';
import type { JsonCursor } from './json-cursor.js';
import { AGGREGATION_TEMPORALITIES } from './json-enums.js';
import {
  jsonArray,
  jsonBool,
  jsonDouble,
  jsonEnum,
  jsonInt32,
  jsonInt64,
  jsonObject,
  jsonString,
  jsonUint32,
  jsonUint64,
} from './json-values.js';
import type { OtlpLimits } from './limits.js';
import type {
  OtlpExponentialBuckets,
  OtlpExponentialHistogramDataPoint,
  OtlpHistogramDataPoint,
  OtlpMetric,
  OtlpMetrics,
  OtlpNumberDataPoint,
  OtlpSummaryDataPoint,
} from './model.js';

const KEYS = {
  resources: ['resourceMetrics', 'resource_metrics'],
  scopes: ['scopeMetrics', 'scope_metrics'],
  items: ['metrics', 'metrics'],
} as const;

/** Decodes a parsed OTLP/JSON ExportMetricsServiceRequest. Exemplars are skipped. */
export function decodeOtlpMetricsJson(value: unknown, limits?: OtlpLimits): OtlpMetrics {
  return {
    resourceMetrics: readJsonRequest(value, limits, KEYS, readMetric).map(({ resource, scopes }) => ({
      resource,
      scopeMetrics: scopes.map(({ scope, items }) => ({ scope, metrics: items })),
    })),
  };
}

function readMetric(c: JsonCursor, v: unknown, index: number): OtlpMetric {
  const o = jsonObject(c, v, index);
  c.enter(index);
  const metric: OtlpMetric = {
    name: '',
    description: '',
    unit: '',
    metadata: new Map(),
    data: { type: 'empty' },
  };
  for (const k in o) {
    const f = o[k];
    if (f === null || f === undefined) continue;
    switch (k) {
      case 'name':
        metric.name = jsonString(c, f, k);
        break;
      case 'description':
        metric.description = jsonString(c, f, k);
        break;
      case 'unit':
        metric.unit = jsonString(c, f, k);
        break;
      case 'gauge': {
        const { dataPoints } = readData(c, f, k, readNumberPoint, 1);
        metric.data = { type: 'gauge', dataPoints };
        break;
      }
      case 'sum': {
        const { dataPoints, aggregationTemporality, isMonotonic } = readData(c, f, k, readNumberPoint, 3);
        metric.data = { type: 'sum', dataPoints, aggregationTemporality, isMonotonic };
        break;
      }
      case 'histogram': {
        const { dataPoints, aggregationTemporality } = readData(c, f, k, readHistogramPoint, 2);
        metric.data = { type: 'histogram', dataPoints, aggregationTemporality };
        break;
      }
      case 'exponentialHistogram':
      case 'exponential_histogram': {
        const { dataPoints, aggregationTemporality } = readData(c, f, k, readExponentialPoint, 2);
        metric.data = { type: 'exponential-histogram', dataPoints, aggregationTemporality };
        break;
      }
      case 'summary': {
        const { dataPoints } = readData(c, f, k, readSummaryPoint, 1);
        metric.data = { type: 'summary', dataPoints };
        break;
      }
      case 'metadata':
        readJsonAttributes(c, f, k, metric.metadata);
        break;
    }
  }
  c.leave();
  return metric;
}

interface DataFields<P> {
  dataPoints: P[];
  aggregationTemporality: number;
  isMonotonic: boolean;
}

/**
 * Gauge, Sum, Histogram, ExponentialHistogram and Summary: dataPoints, then (where the message
 * has them) aggregationTemporality and isMonotonic; `fields` says how many of the three it has.
 */
function readData<P>(
  c: JsonCursor,
  v: unknown,
  key: string,
  readPoint: (c: JsonCursor, v: unknown, index: number) => P,
  fields: number,
): DataFields<P> {
  const o = jsonObject(c, v, key);
  c.enter(key);
  const data: DataFields<P> = { dataPoints: [], aggregationTemporality: 0, isMonotonic: false };
  for (const k in o) {
    const f = o[k];
    if (f === null || f === undefined) continue;
    if (k === 'dataPoints' || k === 'data_points') {
      eachItem(c, f, k, (item, i) => data.dataPoints.push(readPoint(c, item, i)));
    } else if (fields >= 2 && (k === 'aggregationTemporality' || k === 'aggregation_temporality')) {
      data.aggregationTemporality = jsonEnum(c, f, k, AGGREGATION_TEMPORALITIES);
    } else if (fields >= 3 && (k === 'isMonotonic' || k === 'is_monotonic')) {
      data.isMonotonic = jsonBool(c, f, k);
    }
  }
  c.leave();
  return data;
}

function readNumberPoint(c: JsonCursor, v: unknown, index: number): OtlpNumberDataPoint {
  const o = jsonObject(c, v, index);
  c.enter(index);
  const point: OtlpNumberDataPoint = {
    attributes: new Map(),
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    value: undefined,
    flags: 0,
  };
  for (const k in o) {
    const f = o[k];
    if (f === null || f === undefined) continue;
    switch (k) {
      case 'attributes':
        readJsonAttributes(c, f, k, point.attributes);
        break;
      case 'startTimeUnixNano':
      case 'start_time_unix_nano':
        point.startTimeUnixNano = jsonUint64(c, f, k);
        break;
      case 'timeUnixNano':
      case 'time_unix_nano':
        point.timeUnixNano = jsonUint64(c, f, k);
        break;
      case 'asDouble':
      case 'as_double':
        point.value = jsonDouble(c, f, k);
        break;
      case 'asInt':
      case 'as_int':
        point.value = jsonInt64(c, f, k);
        break;
      case 'flags':
        point.flags = jsonUint32(c, f, k);
        break;
    }
  }
  c.leave();
  return point;
}

function readHistogramPoint(c: JsonCursor, v: unknown, index: number): OtlpHistogramDataPoint {
  const o = jsonObject(c, v, index);
  c.enter(index);
  const point: OtlpHistogramDataPoint = {
    attributes: new Map(),
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    count: 0n,
    sum: undefined,
    bucketCounts: [],
    explicitBounds: [],
    flags: 0,
    min: undefined,
    max: undefined,
  };
  for (const k in o) {
    const f = o[k];
    if (f === null || f === undefined) continue;
    switch (k) {
      case 'attributes':
        readJsonAttributes(c, f, k, point.attributes);
        break;
      case 'startTimeUnixNano':
      case 'start_time_unix_nano':
        point.startTimeUnixNano = jsonUint64(c, f, k);
        break;
      case 'timeUnixNano':
      case 'time_unix_nano':
        point.timeUnixNano = jsonUint64(c, f, k);
        break;
      case 'count':
        point.count = jsonUint64(c, f, k);
        break;
      case 'sum':
        point.sum = jsonDouble(c, f, k);
        break;
      case 'bucketCounts':
      case 'bucket_counts':
        point.bucketCounts = readUint64s(c, f, k);
        break;
      case 'explicitBounds':
      case 'explicit_bounds':
        point.explicitBounds = readDoubles(c, f, k);
        break;
      case 'flags':
        point.flags = jsonUint32(c, f, k);
        break;
      case 'min':
        point.min = jsonDouble(c, f, k);
        break;
      case 'max':
        point.max = jsonDouble(c, f, k);
        break;
    }
  }
  c.leave();
  return point;
}

function readExponentialPoint(c: JsonCursor, v: unknown, index: number): OtlpExponentialHistogramDataPoint {
  const o = jsonObject(c, v, index);
  c.enter(index);
  const point: OtlpExponentialHistogramDataPoint = {
    attributes: new Map(),
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    count: 0n,
    sum: undefined,
    scale: 0,
    zeroCount: 0n,
    positive: { offset: 0, bucketCounts: [] },
    negative: { offset: 0, bucketCounts: [] },
    flags: 0,
    min: undefined,
    max: undefined,
    zeroThreshold: 0,
  };
  for (const k in o) {
    const f = o[k];
    if (f === null || f === undefined) continue;
    switch (k) {
      case 'attributes':
        readJsonAttributes(c, f, k, point.attributes);
        break;
      case 'startTimeUnixNano':
      case 'start_time_unix_nano':
        point.startTimeUnixNano = jsonUint64(c, f, k);
        break;
      case 'timeUnixNano':
      case 'time_unix_nano':
        point.timeUnixNano = jsonUint64(c, f, k);
        break;
      case 'count':
        point.count = jsonUint64(c, f, k);
        break;
      case 'sum':
        point.sum = jsonDouble(c, f, k);
        break;
      case 'scale':
        point.scale = jsonInt32(c, f, k);
        break;
      case 'zeroCount':
      case 'zero_count':
        point.zeroCount = jsonUint64(c, f, k);
        break;
      case 'positive':
        readBuckets(c, f, k, point.positive);
        break;
      case 'negative':
        readBuckets(c, f, k, point.negative);
        break;
      case 'flags':
        point.flags = jsonUint32(c, f, k);
        break;
      case 'min':
        point.min = jsonDouble(c, f, k);
        break;
      case 'max':
        point.max = jsonDouble(c, f, k);
        break;
      case 'zeroThreshold':
      case 'zero_threshold':
        point.zeroThreshold = jsonDouble(c, f, k);
        break;
    }
  }
  c.leave();
  return point;
}

function readBuckets(c: JsonCursor, v: unknown, key: string, into: OtlpExponentialBuckets): void {
  const o = jsonObject(c, v, key);
  c.enter(key);
  for (const k in o) {
    const f = o[k];
    if (f === null || f === undefined) continue;
    if (k === 'offset') into.offset = jsonInt32(c, f, k);
    else if (k === 'bucketCounts' || k === 'bucket_counts') into.bucketCounts = readUint64s(c, f, k);
  }
  c.leave();
}

function readSummaryPoint(c: JsonCursor, v: unknown, index: number): OtlpSummaryDataPoint {
  const o = jsonObject(c, v, index);
  c.enter(index);
  const point: OtlpSummaryDataPoint = {
    attributes: new Map(),
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    count: 0n,
    sum: 0,
    quantileValues: [],
    flags: 0,
  };
  for (const k in o) {
    const f = o[k];
    if (f === null || f === undefined) continue;
    switch (k) {
      case 'attributes':
        readJsonAttributes(c, f, k, point.attributes);
        break;
      case 'startTimeUnixNano':
      case 'start_time_unix_nano':
        point.startTimeUnixNano = jsonUint64(c, f, k);
        break;
      case 'timeUnixNano':
      case 'time_unix_nano':
        point.timeUnixNano = jsonUint64(c, f, k);
        break;
      case 'count':
        point.count = jsonUint64(c, f, k);
        break;
      case 'sum':
        point.sum = jsonDouble(c, f, k);
        break;
      case 'quantileValues':
      case 'quantile_values':
        eachItem(c, f, k, (item, i) => point.quantileValues.push(readQuantile(c, item, i)));
        break;
      case 'flags':
        point.flags = jsonUint32(c, f, k);
        break;
    }
  }
  c.leave();
  return point;
}

function readQuantile(c: JsonCursor, v: unknown, index: number): { quantile: number; value: number } {
  const o = jsonObject(c, v, index);
  c.enter(index);
  const quantile = { quantile: 0, value: 0 };
  for (const k in o) {
    const f = o[k];
    if (f === null || f === undefined) continue;
    if (k === 'quantile') quantile.quantile = jsonDouble(c, f, k);
    else if (k === 'value') quantile.value = jsonDouble(c, f, k);
  }
  c.leave();
  return quantile;
}

function readUint64s(c: JsonCursor, v: unknown, key: string): bigint[] {
  const list = jsonArray(c, v, key);
  c.enter(key);
  const out = list.map((item, i) => jsonUint64(c, item, i));
  c.leave();
  return out;
}

function readDoubles(c: JsonCursor, v: unknown, key: string): number[] {
  const list = jsonArray(c, v, key);
  c.enter(key);
  const out = list.map((item, i) => jsonDouble(c, item, i));
  c.leave();
  return out;
}
