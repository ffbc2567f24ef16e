import type {
  OtlpExponentialBuckets,
  OtlpLogRecord,
  OtlpLogs,
  OtlpMetric,
  OtlpMetrics,
  OtlpResource,
  OtlpScope,
  OtlpSpan,
  OtlpTraces,
} from '../../src/otlp/model.js';
import type { AnyValue, Attributes } from '../../src/values.js';

/**
 * Turns the normalized model back into request objects: for the oracle's fromObject (ids and
 * bytes as Uint8Array) or as OTLP/JSON (hex ids, base64 bytes, special doubles as strings), so
 * that a property test can check decode(encode(model)) = model.
 */
interface Style {
  bytes(value: Uint8Array): unknown;
  id(hex: string): unknown;
  double(value: number): unknown;
}

type Wire = Record<string, unknown>;

export const ORACLE: Style = {
  bytes: (value) => value,
  id: (hex) => Buffer.from(hex, 'hex'),
  double: (value) => value,
};

export const JSON_STYLE: Style = {
  bytes: (value) => Buffer.from(value).toString('base64'),
  id: (hex) => hex,
  double: (value) => (Number.isFinite(value) ? value : String(value)),
};

function anyValueWire(s: Style, v: AnyValue): Wire {
  if (v === null) return {};
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'bigint') return { intValue: v.toString() };
  if (typeof v === 'number') return { doubleValue: s.double(v) };
  if (v instanceof Uint8Array) return { bytesValue: s.bytes(v) };
  if (Array.isArray(v)) return { arrayValue: { values: v.map((item) => anyValueWire(s, item)) } };
  return { kvlistValue: { values: attributesWire(s, v) } };
}

function attributesWire(s: Style, attributes: Attributes): Wire[] {
  return [...attributes].map(([key, value]) => ({ key, value: anyValueWire(s, value) }));
}

function resourceWire(s: Style, r: OtlpResource): Wire {
  return { attributes: attributesWire(s, r.attributes), droppedAttributesCount: r.droppedAttributesCount };
}

function scopeWire(s: Style, scope: OtlpScope): Wire {
  return {
    name: scope.name,
    version: scope.version,
    attributes: attributesWire(s, scope.attributes),
    droppedAttributesCount: scope.droppedAttributesCount,
  };
}

export function logsWire(s: Style, logs: OtlpLogs): Wire {
  return {
    resourceLogs: logs.resourceLogs.map((rl) => ({
      resource: resourceWire(s, rl.resource),
      schemaUrl: rl.resource.schemaUrl,
      scopeLogs: rl.scopeLogs.map((sl) => ({
        scope: scopeWire(s, sl.scope),
        schemaUrl: sl.scope.schemaUrl,
        logRecords: sl.logRecords.map((record) => logRecordWire(s, record)),
      })),
    })),
  };
}

function logRecordWire(s: Style, r: OtlpLogRecord): Wire {
  return {
    timeUnixNano: r.timeUnixNano.toString(),
    observedTimeUnixNano: r.observedTimeUnixNano.toString(),
    severityNumber: r.severityNumber,
    severityText: r.severityText,
    ...(r.body === undefined ? {} : { body: anyValueWire(s, r.body) }),
    attributes: attributesWire(s, r.attributes),
    droppedAttributesCount: r.droppedAttributesCount,
    flags: r.flags,
    traceId: s.id(r.traceId),
    spanId: s.id(r.spanId),
    eventName: r.eventName,
  };
}

export function tracesWire(s: Style, traces: OtlpTraces): Wire {
  return {
    resourceSpans: traces.resourceSpans.map((rs) => ({
      resource: resourceWire(s, rs.resource),
      schemaUrl: rs.resource.schemaUrl,
      scopeSpans: rs.scopeSpans.map((ss) => ({
        scope: scopeWire(s, ss.scope),
        schemaUrl: ss.scope.schemaUrl,
        spans: ss.spans.map((span) => spanWire(s, span)),
      })),
    })),
  };
}

function spanWire(s: Style, span: OtlpSpan): Wire {
  return {
    traceId: s.id(span.traceId),
    spanId: s.id(span.spanId),
    traceState: span.traceState,
    parentSpanId: s.id(span.parentSpanId),
    flags: span.flags,
    name: span.name,
    kind: span.kind,
    startTimeUnixNano: span.startTimeUnixNano.toString(),
    endTimeUnixNano: span.endTimeUnixNano.toString(),
    attributes: attributesWire(s, span.attributes),
    droppedAttributesCount: span.droppedAttributesCount,
    events: span.events.map((e) => ({
      timeUnixNano: e.timeUnixNano.toString(),
      name: e.name,
      attributes: attributesWire(s, e.attributes),
      droppedAttributesCount: e.droppedAttributesCount,
    })),
    droppedEventsCount: span.droppedEventsCount,
    links: span.links.map((l) => ({
      traceId: s.id(l.traceId),
      spanId: s.id(l.spanId),
      traceState: l.traceState,
      attributes: attributesWire(s, l.attributes),
      droppedAttributesCount: l.droppedAttributesCount,
      flags: l.flags,
    })),
    droppedLinksCount: span.droppedLinksCount,
    status: { code: span.status.code, message: span.status.message },
  };
}

export function metricsWire(s: Style, metrics: OtlpMetrics): Wire {
  return {
    resourceMetrics: metrics.resourceMetrics.map((rm) => ({
      resource: resourceWire(s, rm.resource),
      schemaUrl: rm.resource.schemaUrl,
      scopeMetrics: rm.scopeMetrics.map((sm) => ({
        scope: scopeWire(s, sm.scope),
        schemaUrl: sm.scope.schemaUrl,
        metrics: sm.metrics.map((metric) => metricWire(s, metric)),
      })),
    })),
  };
}

function optionalDouble(s: Style, key: string, value: number | undefined): Wire {
  return value === undefined ? {} : { [key]: s.double(value) };
}

function pointBase(
  s: Style,
  p: { attributes: Attributes; startTimeUnixNano: bigint; timeUnixNano: bigint; flags: number },
): Wire {
  return {
    attributes: attributesWire(s, p.attributes),
    startTimeUnixNano: p.startTimeUnixNano.toString(),
    timeUnixNano: p.timeUnixNano.toString(),
    flags: p.flags,
  };
}

function bucketsWire(b: OtlpExponentialBuckets): Wire {
  return { offset: b.offset, bucketCounts: b.bucketCounts.map(String) };
}

function metricWire(s: Style, metric: OtlpMetric): Wire {
  const wire: Wire = {
    name: metric.name,
    description: metric.description,
    unit: metric.unit,
    metadata: attributesWire(s, metric.metadata),
  };
  const data = metric.data;
  switch (data.type) {
    case 'gauge':
    case 'sum': {
      const dataPoints = data.dataPoints.map((p) => ({
        ...pointBase(s, p),
        ...(typeof p.value === 'bigint'
          ? { asInt: p.value.toString() }
          : optionalDouble(s, 'asDouble', p.value)),
      }));
      if (data.type === 'gauge') wire.gauge = { dataPoints };
      else {
        wire.sum = {
          dataPoints,
          aggregationTemporality: data.aggregationTemporality,
          isMonotonic: data.isMonotonic,
        };
      }
      break;
    }
    case 'histogram':
      wire.histogram = {
        aggregationTemporality: data.aggregationTemporality,
        dataPoints: data.dataPoints.map((p) => ({
          ...pointBase(s, p),
          count: p.count.toString(),
          ...optionalDouble(s, 'sum', p.sum),
          bucketCounts: p.bucketCounts.map(String),
          explicitBounds: p.explicitBounds.map((b) => s.double(b)),
          ...optionalDouble(s, 'min', p.min),
          ...optionalDouble(s, 'max', p.max),
        })),
      };
      break;
    case 'exponential-histogram':
      wire.exponentialHistogram = {
        aggregationTemporality: data.aggregationTemporality,
        dataPoints: data.dataPoints.map((p) => ({
          ...pointBase(s, p),
          count: p.count.toString(),
          ...optionalDouble(s, 'sum', p.sum),
          scale: p.scale,
          zeroCount: p.zeroCount.toString(),
          positive: bucketsWire(p.positive),
          negative: bucketsWire(p.negative),
          ...optionalDouble(s, 'min', p.min),
          ...optionalDouble(s, 'max', p.max),
          zeroThreshold: s.double(p.zeroThreshold),
        })),
      };
      break;
    case 'summary':
      wire.summary = {
        dataPoints: data.dataPoints.map((p) => ({
          ...pointBase(s, p),
          count: p.count.toString(),
          sum: s.double(p.sum),
          quantileValues: p.quantileValues.map((q) => ({
            quantile: s.double(q.quantile),
            value: s.double(q.value),
          })),
        })),
      };
      break;
    case 'empty':
      break;
  }
  return wire;
}

/** The same request with every field name in snake_case, as the proto files spell them. */
export function snakeCase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeCase);
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snakeCase(v)]),
  );
}
