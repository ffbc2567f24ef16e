import fc from 'fast-check';
import type {
  OtlpExponentialBuckets,
  OtlpLogRecord,
  OtlpLogs,
  OtlpMetric,
  OtlpMetricData,
  OtlpMetrics,
  OtlpResource,
  OtlpScope,
  OtlpSpan,
  OtlpTraces,
} from '../../src/otlp/model.js';
import type { AnyValue, Attributes } from '../../src/values.js';

/** Random requests in the normalized model, kept small so a property runs in milliseconds. */

const text = fc.string({ unit: 'grapheme', maxLength: 12 });
const uint32 = fc.integer({ min: 0, max: 0xffffffff });
const int32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });
const uint64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
// JSON cannot tell -0 from 0, so the model never holds it.
const double = fc.double().map((d) => (Object.is(d, -0) ? 0 : d));
const hexId = (bytes: number) =>
  fc.oneof(
    fc.constant(''),
    fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString('hex')),
  );

export const anyValue: fc.Arbitrary<AnyValue> = fc.letrec<{ value: AnyValue }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 4, depthSize: 'small' },
    text,
    fc.boolean(),
    int64,
    double,
    fc.uint8Array({ maxLength: 8 }),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.array(fc.tuple(text, tie('value')), { maxLength: 3 }).map((entries) => new Map(entries)),
  ),
})).value;

const attributes: fc.Arbitrary<Attributes> = fc
  .array(fc.tuple(text, anyValue), { maxLength: 3 })
  .map((entries) => new Map(entries));

const resource: fc.Arbitrary<OtlpResource> = fc.record({
  attributes,
  droppedAttributesCount: uint32,
  schemaUrl: text,
});

const scope: fc.Arbitrary<OtlpScope> = fc.record({
  name: text,
  version: text,
  attributes,
  droppedAttributesCount: uint32,
  schemaUrl: text,
});

const logRecord: fc.Arbitrary<OtlpLogRecord> = fc.record({
  timeUnixNano: uint64,
  observedTimeUnixNano: uint64,
  severityNumber: int32,
  severityText: text,
  // The decoders read an empty AnyValue body as no body.
  body: anyValue.map((v) => v ?? undefined),
  attributes,
  droppedAttributesCount: uint32,
  flags: uint32,
  traceId: hexId(16),
  spanId: hexId(8),
  eventName: text,
});

const few = { maxLength: 3 };

export const logs: fc.Arbitrary<OtlpLogs> = fc.record({
  resourceLogs: fc.array(
    fc.record({
      resource,
      scopeLogs: fc.array(fc.record({ scope, logRecords: fc.array(logRecord, few) }), few),
    }),
    few,
  ),
});

const span: fc.Arbitrary<OtlpSpan> = fc.record({
  traceId: hexId(16),
  spanId: hexId(8),
  traceState: text,
  parentSpanId: hexId(8),
  flags: uint32,
  name: text,
  kind: int32,
  startTimeUnixNano: uint64,
  endTimeUnixNano: uint64,
  attributes,
  droppedAttributesCount: uint32,
  events: fc.array(
    fc.record({ timeUnixNano: uint64, name: text, attributes, droppedAttributesCount: uint32 }),
    few,
  ),
  droppedEventsCount: uint32,
  links: fc.array(
    fc.record({
      traceId: hexId(16),
      spanId: hexId(8),
      traceState: text,
      attributes,
      droppedAttributesCount: uint32,
      flags: uint32,
    }),
    few,
  ),
  droppedLinksCount: uint32,
  status: fc.record({ code: int32, message: text }),
});

export const traces: fc.Arbitrary<OtlpTraces> = fc.record({
  resourceSpans: fc.array(
    fc.record({ resource, scopeSpans: fc.array(fc.record({ scope, spans: fc.array(span, few) }), few) }),
    few,
  ),
});

const pointBase = { attributes, startTimeUnixNano: uint64, timeUnixNano: uint64, flags: uint32 };
const optionalDouble = fc.option(double, { nil: undefined });
const numberPoint = fc.record({ ...pointBase, value: fc.oneof(double, int64, fc.constant(undefined)) });
const temporality = fc.integer({ min: 0, max: 2 });
const buckets: fc.Arbitrary<OtlpExponentialBuckets> = fc.record({
  offset: int32,
  bucketCounts: fc.array(uint64, few),
});

const metricData: fc.Arbitrary<OtlpMetricData> = fc.oneof(
  fc.record({ type: fc.constant('gauge' as const), dataPoints: fc.array(numberPoint, few) }),
  fc.record({
    type: fc.constant('sum' as const),
    dataPoints: fc.array(numberPoint, few),
    aggregationTemporality: temporality,
    isMonotonic: fc.boolean(),
  }),
  fc.record({
    type: fc.constant('histogram' as const),
    aggregationTemporality: temporality,
    dataPoints: fc.array(
      fc.record({
        ...pointBase,
        count: uint64,
        sum: optionalDouble,
        bucketCounts: fc.array(uint64, few),
        explicitBounds: fc.array(double, few),
        min: optionalDouble,
        max: optionalDouble,
      }),
      few,
    ),
  }),
  fc.record({
    type: fc.constant('exponential-histogram' as const),
    aggregationTemporality: temporality,
    dataPoints: fc.array(
      fc.record({
        ...pointBase,
        count: uint64,
        sum: optionalDouble,
        scale: int32,
        zeroCount: uint64,
        positive: buckets,
        negative: buckets,
        min: optionalDouble,
        max: optionalDouble,
        zeroThreshold: double,
      }),
      few,
    ),
  }),
  fc.record({
    type: fc.constant('summary' as const),
    dataPoints: fc.array(
      fc.record({
        ...pointBase,
        count: uint64,
        sum: double,
        quantileValues: fc.array(fc.record({ quantile: double, value: double }), few),
      }),
      few,
    ),
  }),
  fc.constant({ type: 'empty' as const }),
);

const metric: fc.Arbitrary<OtlpMetric> = fc.record({
  name: text,
  description: text,
  unit: text,
  metadata: attributes,
  data: metricData,
});

export const metrics: fc.Arbitrary<OtlpMetrics> = fc.record({
  resourceMetrics: fc.array(
    fc.record({
      resource,
      scopeMetrics: fc.array(fc.record({ scope, metrics: fc.array(metric, few) }), few),
    }),
    few,
  ),
});
