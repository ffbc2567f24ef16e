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
import { readKeyValue, readRequest } from './protobuf-common.js';
import type { ProtoReader } from './protobuf-reader.js';

/** Decodes a serialized ExportMetricsServiceRequest (metrics.proto, collector/metrics/v1). Exemplars are skipped. */
export function decodeOtlpMetricsProtobuf(bytes: Uint8Array, limits?: OtlpLimits): OtlpMetrics {
  return {
    resourceMetrics: readRequest(bytes, limits, readMetric).map(({ resource, scopes }) => ({
      resource,
      scopeMetrics: scopes.map(({ scope, items }) => ({ scope, metrics: items })),
    })),
  };
}

function readMetric(r: ProtoReader, end: number): OtlpMetric {
  const metric: OtlpMetric = {
    name: '',
    description: '',
    unit: '',
    metadata: new Map(),
    data: { type: 'empty' },
  };
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag >>> 3) {
      case 1:
        metric.name = r.string(tag, end);
        break;
      case 2:
        metric.description = r.string(tag, end);
        break;
      case 3:
        metric.unit = r.string(tag, end);
        break;
      case 5: {
        const { dataPoints } = readData(r, r.message(tag, end), readNumberPoint, 1);
        metric.data = { type: 'gauge', dataPoints };
        break;
      }
      case 7: {
        const { dataPoints, aggregationTemporality, isMonotonic } = readData(
          r,
          r.message(tag, end),
          readNumberPoint,
          3,
        );
        metric.data = { type: 'sum', dataPoints, aggregationTemporality, isMonotonic };
        break;
      }
      case 9: {
        const { dataPoints, aggregationTemporality } = readData(
          r,
          r.message(tag, end),
          readHistogramPoint,
          2,
        );
        metric.data = { type: 'histogram', dataPoints, aggregationTemporality };
        break;
      }
      case 10: {
        const { dataPoints, aggregationTemporality } = readData(
          r,
          r.message(tag, end),
          readExponentialPoint,
          2,
        );
        metric.data = { type: 'exponential-histogram', dataPoints, aggregationTemporality };
        break;
      }
      case 11: {
        const { dataPoints } = readData(r, r.message(tag, end), readSummaryPoint, 1);
        metric.data = { type: 'summary', dataPoints };
        break;
      }
      case 12:
        readKeyValue(r, r.message(tag, end), metric.metadata, 0);
        break;
      default:
        r.skip(tag, end);
    }
  }
  return metric;
}

interface DataFields<P> {
  dataPoints: P[];
  aggregationTemporality: number;
  isMonotonic: boolean;
}

/**
 * Gauge, Sum, Histogram, ExponentialHistogram and Summary all keep their points in field 1, then
 * (where the message has them) aggregation_temporality in 2 and is_monotonic in 3; `lastField`
 * says how many of those the message has, so that the others are skipped as unknown.
 */
function readData<P>(
  r: ProtoReader,
  end: number,
  readPoint: (r: ProtoReader, end: number) => P,
  lastField: number,
): DataFields<P> {
  const data: DataFields<P> = { dataPoints: [], aggregationTemporality: 0, isMonotonic: false };
  while (r.pos < end) {
    const tag = r.tag(end);
    const field = tag >>> 3;
    if (field > lastField) r.skip(tag, end);
    else if (field === 1) data.dataPoints.push(readPoint(r, r.message(tag, end)));
    else if (field === 2) data.aggregationTemporality = r.int32(tag, end);
    else data.isMonotonic = r.bool(tag, end);
  }
  return data;
}

function readNumberPoint(r: ProtoReader, end: number): OtlpNumberDataPoint {
  const point: OtlpNumberDataPoint = {
    attributes: new Map(),
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    value: undefined,
    flags: 0,
  };
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag >>> 3) {
      case 2:
        point.startTimeUnixNano = r.fixed64(tag, end);
        break;
      case 3:
        point.timeUnixNano = r.fixed64(tag, end);
        break;
      case 4:
        point.value = r.double(tag, end);
        break;
      case 6:
        point.value = r.sfixed64(tag, end);
        break;
      case 7:
        readKeyValue(r, r.message(tag, end), point.attributes, 0);
        break;
      case 8:
        point.flags = r.uint32(tag, end);
        break;
      default:
        r.skip(tag, end);
    }
  }
  return point;
}

function readHistogramPoint(r: ProtoReader, end: number): OtlpHistogramDataPoint {
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
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag >>> 3) {
      case 2:
        point.startTimeUnixNano = r.fixed64(tag, end);
        break;
      case 3:
        point.timeUnixNano = r.fixed64(tag, end);
        break;
      case 4:
        point.count = r.fixed64(tag, end);
        break;
      case 5:
        point.sum = r.double(tag, end);
        break;
      case 6:
        r.fixed64s(tag, end, point.bucketCounts);
        break;
      case 7:
        r.doubles(tag, end, point.explicitBounds);
        break;
      case 9:
        readKeyValue(r, r.message(tag, end), point.attributes, 0);
        break;
      case 10:
        point.flags = r.uint32(tag, end);
        break;
      case 11:
        point.min = r.double(tag, end);
        break;
      case 12:
        point.max = r.double(tag, end);
        break;
      default:
        r.skip(tag, end);
    }
  }
  return point;
}

function readExponentialPoint(r: ProtoReader, end: number): OtlpExponentialHistogramDataPoint {
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
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag >>> 3) {
      case 1:
        readKeyValue(r, r.message(tag, end), point.attributes, 0);
        break;
      case 2:
        point.startTimeUnixNano = r.fixed64(tag, end);
        break;
      case 3:
        point.timeUnixNano = r.fixed64(tag, end);
        break;
      case 4:
        point.count = r.fixed64(tag, end);
        break;
      case 5:
        point.sum = r.double(tag, end);
        break;
      case 6:
        point.scale = r.sint32(tag, end);
        break;
      case 7:
        point.zeroCount = r.fixed64(tag, end);
        break;
      case 8:
        readBuckets(r, r.message(tag, end), point.positive);
        break;
      case 9:
        readBuckets(r, r.message(tag, end), point.negative);
        break;
      case 10:
        point.flags = r.uint32(tag, end);
        break;
      case 12:
        point.min = r.double(tag, end);
        break;
      case 13:
        point.max = r.double(tag, end);
        break;
      case 14:
        point.zeroThreshold = r.double(tag, end);
        break;
      default:
        r.skip(tag, end);
    }
  }
  return point;
}

function readBuckets(r: ProtoReader, end: number, into: OtlpExponentialBuckets): void {
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag >>> 3) {
      case 1:
        into.offset = r.sint32(tag, end);
        break;
      case 2:
        r.uint64s(tag, end, into.bucketCounts);
        break;
      default:
        r.skip(tag, end);
    }
  }
}

function readSummaryPoint(r: ProtoReader, end: number): OtlpSummaryDataPoint {
  const point: OtlpSummaryDataPoint = {
    attributes: new Map(),
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    count: 0n,
    sum: 0,
    quantileValues: [],
    flags: 0,
  };
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag >>> 3) {
      case 2:
        point.startTimeUnixNano = r.fixed64(tag, end);
        break;
      case 3:
        point.timeUnixNano = r.fixed64(tag, end);
        break;
      case 4:
        point.count = r.fixed64(tag, end);
        break;
      case 5:
        point.sum = r.double(tag, end);
        break;
      case 6:
        point.quantileValues.push(readQuantile(r, r.message(tag, end)));
        break;
      case 7:
        readKeyValue(r, r.message(tag, end), point.attributes, 0);
        break;
      case 8:
        point.flags = r.uint32(tag, end);
        break;
      default:
        r.skip(tag, end);
    }
  }
  return point;
}

function readQuantile(r: ProtoReader, end: number): { quantile: number; value: number } {
  const quantile = { quantile: 0, value: 0 };
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag >>> 3) {
      case 1:
        quantile.quantile = r.double(tag, end);
        break;
      case 2:
        quantile.value = r.double(tag, end);
        break;
      default:
        r.skip(tag, end);
    }
  }
  return quantile;
}
