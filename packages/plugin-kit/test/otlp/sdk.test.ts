import { context, SpanKind, SpanStatusCode, TraceFlags, trace, ValueType } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import {
  JsonLogsSerializer,
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import {
  AggregationTemporality,
  AggregationType,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import {
  decodeOtlpLogsJson,
  decodeOtlpLogsProtobuf,
  decodeOtlpMetricsJson,
  decodeOtlpMetricsProtobuf,
  decodeOtlpTracesJson,
  decodeOtlpTracesProtobuf,
  type OtlpMetricData,
} from '../../src/otlp/index.js';

/**
 * What the OpenTelemetry JS SDK exporters really send, through both encodings: the protobuf and
 * JSON decoders must agree with each other and with what the SDK was given.
 */

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';
// The JS SDK takes numbers, so 2^60 is the kind of int64 beyond 2^53 it can send: exact as a double.
const BIG = 2 ** 60;
const SCHEMA = 'https://opentelemetry.io/schemas/1.26.0';
const resource = resourceFromAttributes(
  { 'service.name': 'checkout', 'host.cores': 8 },
  { schemaUrl: SCHEMA },
);

interface Serializer<T> {
  serializeRequest(items: T): Uint8Array | undefined;
}

/** The request as the SDK's protobuf exporter and its JSON exporter would send it. */
function both<T>(
  items: T,
  protobuf: Serializer<T>,
  json: Serializer<T>,
): { protobuf: Uint8Array; json: unknown } {
  const bytes = protobuf.serializeRequest(items);
  const text = json.serializeRequest(items);
  if (bytes === undefined || text === undefined) throw new Error('the SDK serializer returned nothing');
  return { protobuf: bytes, json: JSON.parse(new TextDecoder().decode(text)) };
}

async function sdkLogs(): Promise<{ protobuf: Uint8Array; json: unknown }> {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter })] });
  const logger = provider.getLogger('lakerunner-test', '1.2.3', {
    schemaUrl: 'https://example.com/scope-schema',
    attributes: { 'scope.team': 'payments' },
  });
  const spanContext = { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED };
  logger.emit({
    timestamp: [1_700_000_000, 123_456_789],
    observedTimestamp: [1_700_000_001, 5],
    severityNumber: SeverityNumber.WARN,
    severityText: 'WARN',
    body: { user: { id: 7, tags: ['a', 'b'] }, ok: true },
    attributes: { 'http.status_code': 503, ratio: 0.25, payload: new Uint8Array([1, 2, 255]), big: BIG },
    eventName: 'checkout.failed',
    context: trace.setSpanContext(context.active(), spanContext),
  });
  logger.emit({ timestamp: [1_700_000_002, 0], severityNumber: SeverityNumber.INFO, attributes: { k: 'v' } });
  await provider.forceFlush();
  return both(exporter.getFinishedLogRecords(), ProtobufLogsSerializer, JsonLogsSerializer);
}

describe('SDK logs', async () => {
  const { protobuf, json } = await sdkLogs();
  const decoded = decodeOtlpLogsProtobuf(protobuf);

  it('decodes the same from protobuf and JSON', () => {
    expect(decodeOtlpLogsJson(json)).toEqual(decoded);
  });

  it('keeps every field of the record', () => {
    const [rl] = decoded.resourceLogs;
    expect(rl?.resource).toEqual({
      attributes: new Map<string, unknown>([
        ['service.name', 'checkout'],
        ['host.cores', 8n],
      ]),
      droppedAttributesCount: 0,
      schemaUrl: SCHEMA,
    });
    const [sl] = rl?.scopeLogs ?? [];
    expect(sl?.scope).toEqual({
      name: 'lakerunner-test',
      version: '1.2.3',
      attributes: new Map([['scope.team', 'payments']]),
      droppedAttributesCount: 0,
      schemaUrl: 'https://example.com/scope-schema',
    });
    const [first, second] = sl?.logRecords ?? [];
    expect(first).toEqual({
      timeUnixNano: 1_700_000_000_123_456_789n,
      observedTimeUnixNano: 1_700_000_001_000_000_005n,
      severityNumber: 13,
      severityText: 'WARN',
      body: new Map<string, unknown>([
        [
          'user',
          new Map<string, unknown>([
            ['id', 7n],
            ['tags', ['a', 'b']],
          ]),
        ],
        ['ok', true],
      ]),
      attributes: new Map<string, unknown>([
        ['http.status_code', 503n],
        ['ratio', 0.25],
        ['payload', new Uint8Array([1, 2, 255])],
        ['big', 1_152_921_504_606_846_976n],
      ]),
      droppedAttributesCount: 0,
      flags: 1,
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      eventName: 'checkout.failed',
    });
    expect(second?.body).toBeUndefined();
    expect(second?.severityNumber).toBe(9);
    expect(second?.traceId).toBe('');
  });
});

async function sdkTraces(): Promise<{ protobuf: Uint8Array; json: unknown }> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('lakerunner-test', '1.2.3', {
    schemaUrl: 'https://example.com/scope-schema',
  });
  const linked = { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED, isRemote: true };
  const parent = tracer.startSpan('GET /cart', {
    kind: SpanKind.SERVER,
    startTime: [1_700_000_000, 0],
    attributes: { 'http.route': '/cart', big: BIG },
    links: [{ context: linked, attributes: { reason: 'retry-of' } }],
  });
  parent.addEvent('cache.miss', { key: 'cart:7' }, [1_700_000_000, 500]);
  parent.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream timeout' });
  const child = tracer.startSpan(
    'SELECT cart',
    { kind: SpanKind.CLIENT },
    trace.setSpan(context.active(), parent),
  );
  child.end([1_700_000_000, 900]);
  parent.end([1_700_000_001, 0]);
  await provider.forceFlush();
  return both(exporter.getFinishedSpans(), ProtobufTraceSerializer, JsonTraceSerializer);
}

describe('SDK traces', async () => {
  const { protobuf, json } = await sdkTraces();
  const decoded = decodeOtlpTracesProtobuf(protobuf);

  it('decodes the same from protobuf and JSON', () => {
    expect(decodeOtlpTracesJson(json)).toEqual(decoded);
  });

  it('keeps kind, status, events, links, flags and the parent', () => {
    const [ss] = decoded.resourceSpans[0]?.scopeSpans ?? [];
    expect(decoded.resourceSpans[0]?.resource.schemaUrl).toBe(SCHEMA);
    expect(ss?.scope.schemaUrl).toBe('https://example.com/scope-schema');
    const spans = ss?.spans ?? [];
    const server = spans.find((s) => s.name === 'GET /cart');
    const client = spans.find((s) => s.name === 'SELECT cart');
    expect(server).toMatchObject({
      kind: 2,
      parentSpanId: '',
      startTimeUnixNano: 1_700_000_000_000_000_000n,
      endTimeUnixNano: 1_700_000_001_000_000_000n,
      attributes: new Map<string, unknown>([
        ['http.route', '/cart'],
        ['big', 1_152_921_504_606_846_976n],
      ]),
      status: { code: 2, message: 'upstream timeout' },
      events: [
        {
          timeUnixNano: 1_700_000_000_000_000_500n,
          name: 'cache.miss',
          attributes: new Map([['key', 'cart:7']]),
          droppedAttributesCount: 0,
        },
      ],
    });
    expect(server?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(server?.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(server?.flags && server.flags & 0xff).toBe(1);
    expect(server?.links).toEqual([
      {
        traceId: TRACE_ID,
        spanId: SPAN_ID,
        traceState: '',
        attributes: new Map([['reason', 'retry-of']]),
        droppedAttributesCount: 0,
        flags: expect.any(Number),
      },
    ]);
    expect(client).toMatchObject({ kind: 3, traceId: server?.traceId, parentSpanId: server?.spanId });
  });
});

class CollectingReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

describe.each([
  ['delta', AggregationTemporality.DELTA, 1],
  ['cumulative', AggregationTemporality.CUMULATIVE, 2],
])('SDK metrics, %s', (_name, temporality, expected) => {
  async function collect(): Promise<{ protobuf: Uint8Array; json: unknown }> {
    const reader = new CollectingReader({ aggregationTemporalitySelector: () => temporality });
    const provider = new MeterProvider({
      resource,
      readers: [reader],
      views: [
        { instrumentName: 'latency.exp', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } },
      ],
    });
    const meter = provider.getMeter('lakerunner-test', '1.2.3');
    meter.createCounter('requests', { valueType: ValueType.INT }).add(3, { route: '/a' });
    meter.createUpDownCounter('inflight').add(-2.5);
    meter.createHistogram('latency', { unit: 'ms' }).record(12.5);
    const exponential = meter.createHistogram('latency.exp');
    for (const v of [0, 1, 3, 250]) exponential.record(v);
    meter.createGauge('temperature').record(21.5);
    const { resourceMetrics } = await reader.collect();
    return both(resourceMetrics, ProtobufMetricsSerializer, JsonMetricsSerializer);
  }

  it('decodes the same from protobuf and JSON, with every instrument', async () => {
    const { protobuf, json } = await collect();
    const decoded = decodeOtlpMetricsProtobuf(protobuf);
    expect(decodeOtlpMetricsJson(json)).toEqual(decoded);
    const byName = new Map<string, OtlpMetricData>(
      decoded.resourceMetrics[0]?.scopeMetrics[0]?.metrics.map((m) => [m.name, m.data]),
    );
    expect(byName.get('requests')).toMatchObject({
      type: 'sum',
      isMonotonic: true,
      aggregationTemporality: expected,
      dataPoints: [{ value: 3n, attributes: new Map([['route', '/a']]) }],
    });
    expect(byName.get('inflight')).toMatchObject({
      type: 'sum',
      isMonotonic: false,
      dataPoints: [{ value: -2.5 }],
    });
    expect(byName.get('latency')).toMatchObject({
      type: 'histogram',
      aggregationTemporality: expected,
      dataPoints: [{ count: 1n, sum: 12.5, min: 12.5, max: 12.5 }],
    });
    expect(byName.get('latency.exp')).toMatchObject({
      type: 'exponential-histogram',
      aggregationTemporality: expected,
      dataPoints: [{ count: 4n, zeroCount: 1n, sum: 254, min: 0, max: 250 }],
    });
    expect(byName.get('temperature')).toMatchObject({ type: 'gauge', dataPoints: [{ value: 21.5 }] });
  });
});
