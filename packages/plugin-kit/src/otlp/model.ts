import type { AnyValue, Attributes } from '../values.js';

/**
 * OTLP requests as both decoders (protobuf and JSON) return them: one shape for either encoding,
 * with every field present (protobuf defaults where the input had none), timestamps as
 * nanosecond bigints and ids as lower-case hex ('' when absent).
 */

export interface OtlpResource {
  attributes: Attributes;
  droppedAttributesCount: number;
  /** From the enclosing ResourceLogs / ResourceSpans / ResourceMetrics. */
  schemaUrl: string;
}

export interface OtlpScope {
  name: string;
  version: string;
  attributes: Attributes;
  droppedAttributesCount: number;
  /** From the enclosing ScopeLogs / ScopeSpans / ScopeMetrics. */
  schemaUrl: string;
}

export interface OtlpLogRecord {
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityNumber: number;
  severityText: string;
  /** undefined when the record has no body at all (not the same as an empty string). */
  body: AnyValue | undefined;
  attributes: Attributes;
  droppedAttributesCount: number;
  flags: number;
  traceId: string;
  spanId: string;
  eventName: string;
}

export interface OtlpLogs {
  resourceLogs: { resource: OtlpResource; scopeLogs: { scope: OtlpScope; logRecords: OtlpLogRecord[] }[] }[];
}

export interface OtlpSpanEvent {
  timeUnixNano: bigint;
  name: string;
  attributes: Attributes;
  droppedAttributesCount: number;
}

export interface OtlpSpanLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: Attributes;
  droppedAttributesCount: number;
  flags: number;
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  traceState: string;
  parentSpanId: string;
  flags: number;
  name: string;
  /** SpanKind enum value: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Attributes;
  droppedAttributesCount: number;
  events: OtlpSpanEvent[];
  droppedEventsCount: number;
  links: OtlpSpanLink[];
  droppedLinksCount: number;
  /** StatusCode enum value: 0 unset, 1 ok, 2 error. */
  status: { code: number; message: string };
}

export interface OtlpTraces {
  resourceSpans: { resource: OtlpResource; scopeSpans: { scope: OtlpScope; spans: OtlpSpan[] }[] }[];
}

export interface OtlpNumberDataPoint {
  attributes: Attributes;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  /** as_double → number, as_int → bigint; undefined when the point has neither. */
  value: number | bigint | undefined;
  flags: number;
}

export interface OtlpHistogramDataPoint {
  attributes: Attributes;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  count: bigint;
  sum: number | undefined;
  bucketCounts: bigint[];
  explicitBounds: number[];
  flags: number;
  min: number | undefined;
  max: number | undefined;
}

export interface OtlpExponentialBuckets {
  offset: number;
  bucketCounts: bigint[];
}

export interface OtlpExponentialHistogramDataPoint {
  attributes: Attributes;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  count: bigint;
  sum: number | undefined;
  scale: number;
  zeroCount: bigint;
  positive: OtlpExponentialBuckets;
  negative: OtlpExponentialBuckets;
  flags: number;
  min: number | undefined;
  max: number | undefined;
  zeroThreshold: number;
}

export interface OtlpSummaryDataPoint {
  attributes: Attributes;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  count: bigint;
  sum: number;
  quantileValues: { quantile: number; value: number }[];
  flags: number;
}

/** AggregationTemporality: 0 unspecified, 1 delta, 2 cumulative. */
export type OtlpMetricData =
  | { type: 'gauge'; dataPoints: OtlpNumberDataPoint[] }
  | { type: 'sum'; dataPoints: OtlpNumberDataPoint[]; aggregationTemporality: number; isMonotonic: boolean }
  | { type: 'histogram'; dataPoints: OtlpHistogramDataPoint[]; aggregationTemporality: number }
  | {
      type: 'exponential-histogram';
      dataPoints: OtlpExponentialHistogramDataPoint[];
      aggregationTemporality: number;
    }
  | { type: 'summary'; dataPoints: OtlpSummaryDataPoint[] }
  /** A metric with no data field set. */
  | { type: 'empty' };

export interface OtlpMetric {
  name: string;
  description: string;
  unit: string;
  metadata: Attributes;
  data: OtlpMetricData;
}

export interface OtlpMetrics {
  resourceMetrics: { resource: OtlpResource; scopeMetrics: { scope: OtlpScope; metrics: OtlpMetric[] }[] }[];
}
