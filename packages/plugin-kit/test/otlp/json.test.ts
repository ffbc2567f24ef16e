import { LakerunnerError } from '@lakerunner/core';
import { describe, expect, it } from 'vitest';
import {
  decodeOtlpLogsJson,
  decodeOtlpMetricsJson,
  decodeOtlpTracesJson,
  otlpJsonSignal,
} from '../../src/otlp/index.js';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';

/** A request of one resource and one scope holding `logRecords`. */
function logsOf(...logRecords: unknown[]): unknown {
  return { resourceLogs: [{ scopeLogs: [{ logRecords }] }] };
}

function firstRecord(value: unknown) {
  return decodeOtlpLogsJson(value).resourceLogs[0]?.scopeLogs[0]?.logRecords[0];
}

function corrupt(decode: () => unknown): string {
  try {
    decode();
  } catch (err) {
    expect(err).toBeInstanceOf(LakerunnerError);
    expect((err as LakerunnerError).code).toBe('LR_INPUT_CORRUPT');
    return (err as Error).message;
  }
  throw new Error('expected LR_INPUT_CORRUPT');
}

describe('decodeOtlpLogsJson', () => {
  it('decodes a request as the collector writes it', () => {
    const request = JSON.parse(`{
      "resourceLogs": [{
        "resource": {
          "attributes": [{ "key": "service.name", "value": { "stringValue": "checkout" } }],
          "droppedAttributesCount": 2
        },
        "schemaUrl": "https://opentelemetry.io/schemas/1.26.0",
        "scopeLogs": [{
          "scope": {
            "name": "io.lakerunner", "version": "1.4.0",
            "attributes": [{ "key": "team", "value": { "stringValue": "core" } }],
            "droppedAttributesCount": 1
          },
          "schemaUrl": "https://example.com/scope",
          "logRecords": [{
            "timeUnixNano": "1700000000123456789",
            "observedTimeUnixNano": 1700000000000000000,
            "severityNumber": "SEVERITY_NUMBER_ERROR",
            "severityText": "ERROR",
            "body": { "kvlistValue": { "values": [
              { "key": "z", "value": { "arrayValue": { "values": [{ "intValue": -1 }, { "boolValue": false }, {}] } } },
              { "key": "a", "value": { "kvlistValue": { "values": [{ "key": "deep", "value": { "doubleValue": 1.5 } }] } } }
            ] } },
            "attributes": [
              { "key": "exact", "value": { "intValue": "9007199254740993" } },
              { "key": "bytes", "value": { "bytesValue": "AAH+/w==" } },
              { "key": "nan", "value": { "doubleValue": "NaN" } },
              { "key": "inf", "value": { "doubleValue": "-Infinity" } },
              { "key": "empty", "value": {} },
              { "key": "absent" }
            ],
            "droppedAttributesCount": 3,
            "flags": 257,
            "traceId": "${TRACE_ID.toUpperCase()}",
            "spanId": "${SPAN_ID}",
            "eventName": "payment.declined",
            "someFutureField": { "anything": [1, 2, 3] }
          }, {}]
        }]
      }]
    }`);
    expect(decodeOtlpLogsJson(request)).toEqual({
      resourceLogs: [
        {
          resource: {
            attributes: new Map([['service.name', 'checkout']]),
            droppedAttributesCount: 2,
            schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
          },
          scopeLogs: [
            {
              scope: {
                name: 'io.lakerunner',
                version: '1.4.0',
                attributes: new Map([['team', 'core']]),
                droppedAttributesCount: 1,
                schemaUrl: 'https://example.com/scope',
              },
              logRecords: [
                {
                  timeUnixNano: 1_700_000_000_123_456_789n,
                  observedTimeUnixNano: 1_700_000_000_000_000_000n,
                  severityNumber: 17,
                  severityText: 'ERROR',
                  body: new Map<string, unknown>([
                    ['z', [-1n, false, null]],
                    ['a', new Map([['deep', 1.5]])],
                  ]),
                  attributes: new Map<string, unknown>([
                    ['exact', 9_007_199_254_740_993n],
                    ['bytes', new Uint8Array([0, 1, 254, 255])],
                    ['nan', Number.NaN],
                    ['inf', Number.NEGATIVE_INFINITY],
                    ['empty', null],
                    ['absent', null],
                  ]),
                  droppedAttributesCount: 3,
                  flags: 257,
                  traceId: TRACE_ID,
                  spanId: SPAN_ID,
                  eventName: 'payment.declined',
                },
                {
                  timeUnixNano: 0n,
                  observedTimeUnixNano: 0n,
                  severityNumber: 0,
                  severityText: '',
                  body: undefined,
                  attributes: new Map(),
                  droppedAttributesCount: 0,
                  flags: 0,
                  traceId: '',
                  spanId: '',
                  eventName: '',
                },
              ],
            },
          ],
        },
      ],
    });
  });

  it('accepts the proto field names and treats null as absent', () => {
    const request = {
      resource_logs: [
        {
          schema_url: 's',
          scope_logs: [
            {
              log_records: [
                {
                  time_unix_nano: '5',
                  severity_number: 9,
                  trace_id: '',
                  span_id: null,
                  body: {
                    kvlist_value: { values: [{ key: 'k', value: { int_value: '1', bytes_value: null } }] },
                  },
                  event_name: 'e',
                  dropped_attributes_count: '4',
                },
              ],
            },
          ],
        },
      ],
    };
    const decoded = decodeOtlpLogsJson(request);
    expect(decoded.resourceLogs[0]?.resource.schemaUrl).toBe('s');
    expect(decoded.resourceLogs[0]?.scopeLogs[0]?.logRecords[0]).toMatchObject({
      timeUnixNano: 5n,
      severityNumber: 9,
      body: new Map([['k', 1n]]),
      eventName: 'e',
      droppedAttributesCount: 4,
    });
  });

  it('reads an empty body as no body, and an empty string as a body', () => {
    expect(firstRecord(logsOf({ body: {} }))?.body).toBeUndefined();
    expect(firstRecord(logsOf({ body: null }))?.body).toBeUndefined();
    expect(firstRecord(logsOf({ body: { stringValue: '' } }))?.body).toBe('');
  });

  it('accepts base64 standard or URL-safe, padded or not', () => {
    for (const encoded of ['AAH+/w==', 'AAH-_w', 'AAH+/w']) {
      const record = firstRecord(logsOf({ body: { bytesValue: encoded } }));
      expect(record?.body).toEqual(new Uint8Array([0, 1, 254, 255]));
    }
  });

  it('names the path of a value of the wrong type', () => {
    expect(corrupt(() => decodeOtlpLogsJson({ resourceLogs: [{ scopeLogs: 'abc' }] }))).toBe(
      'OTLP/JSON resourceLogs[0].scopeLogs: expected an array, got string',
    );
    expect(corrupt(() => decodeOtlpLogsJson({ resourceLogs: [{ resource: 7 }] }))).toMatch(
      'resourceLogs[0].resource: expected an object, got number',
    );
    expect(corrupt(() => decodeOtlpLogsJson(logsOf({}, { traceId: 'xyz' })))).toMatch(
      'resourceLogs[0].scopeLogs[0].logRecords[1].traceId: expected 32 hex digits, got "xyz"',
    );
    expect(corrupt(() => decodeOtlpLogsJson(logsOf({ spanId: `${SPAN_ID}00` })))).toMatch(
      'logRecords[0].spanId: expected 16 hex digits',
    );
    expect(corrupt(() => decodeOtlpLogsJson(logsOf({ severityNumber: 'LOUD' })))).toMatch(
      'logRecords[0].severityNumber: unknown enum value "LOUD"',
    );
    expect(corrupt(() => decodeOtlpLogsJson(logsOf({ timeUnixNano: '18446744073709551616' })))).toMatch(
      'timeUnixNano: expected an unsigned 64-bit integer, got "18446744073709551616"',
    );
    expect(corrupt(() => decodeOtlpLogsJson(logsOf({ timeUnixNano: -1 })))).toMatch(
      'expected an unsigned 64-bit integer, got -1',
    );
    expect(corrupt(() => decodeOtlpLogsJson(logsOf({ flags: 1.5 })))).toMatch(
      'flags: expected an unsigned 32-bit',
    );
    expect(corrupt(() => decodeOtlpLogsJson(logsOf({ severityText: false })))).toMatch(
      'severityText: expected a string, got boolean',
    );
    expect(
      corrupt(() =>
        decodeOtlpLogsJson(
          logsOf({
            attributes: [{ key: 'k', value: { kvlistValue: { values: [{ value: { intValue: '1.5' } }] } } }],
          }),
        ),
      ),
    ).toMatch(
      'logRecords[0].attributes[0].value.kvlistValue.values[0].value.intValue: expected a 64-bit integer',
    );
    expect(corrupt(() => decodeOtlpLogsJson(logsOf({ body: { bytesValue: 'A===' } })))).toMatch(
      'body.bytesValue: expected base64',
    );
    expect(corrupt(() => decodeOtlpLogsJson(logsOf({ body: { doubleValue: 'fast' } })))).toMatch(
      'body.doubleValue: expected a number, got "fast"',
    );
    expect(corrupt(() => decodeOtlpLogsJson(logsOf({ body: { arrayValue: { values: {} } } })))).toMatch(
      'body.arrayValue.values: expected an array, got object',
    );
    expect(corrupt(() => decodeOtlpLogsJson([]))).toBe('OTLP/JSON (request): expected an object, got array');
  });

  it('accepts a request without resources', () => {
    expect(decodeOtlpLogsJson({})).toEqual({ resourceLogs: [] });
    expect(decodeOtlpLogsJson({ resourceLogs: null })).toEqual({ resourceLogs: [] });
  });
});

describe('decodeOtlpTracesJson', () => {
  it('decodes spans with enum names or numbers', () => {
    const decoded = decodeOtlpTracesJson({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: TRACE_ID,
                  spanId: SPAN_ID,
                  parentSpanId: '',
                  name: 'GET /',
                  kind: 'SPAN_KIND_SERVER',
                  startTimeUnixNano: '1',
                  endTimeUnixNano: 2,
                  flags: 769,
                  events: [{ name: 'e', timeUnixNano: '3', attributes: [] }],
                  links: [{ traceId: TRACE_ID, spanId: SPAN_ID, flags: 256, traceState: 'k=v' }],
                  status: { code: 'STATUS_CODE_ERROR', message: 'boom' },
                },
                { kind: 3, status: { code: 1 } },
              ],
            },
          ],
        },
      ],
    });
    const [server, client] = decoded.resourceSpans[0]?.scopeSpans[0]?.spans ?? [];
    expect(server).toMatchObject({
      kind: 2,
      flags: 769,
      startTimeUnixNano: 1n,
      endTimeUnixNano: 2n,
      events: [{ name: 'e', timeUnixNano: 3n, attributes: new Map(), droppedAttributesCount: 0 }],
      links: [{ traceId: TRACE_ID, spanId: SPAN_ID, flags: 256, traceState: 'k=v' }],
      status: { code: 2, message: 'boom' },
    });
    expect(client).toMatchObject({ kind: 3, status: { code: 1, message: '' }, events: [], links: [] });
  });

  it('names the path of an invalid link id', () => {
    expect(
      corrupt(() =>
        decodeOtlpTracesJson({
          resourceSpans: [{ scopeSpans: [{ spans: [{ links: [{ spanId: 'zz' }] }] }] }],
        }),
      ),
    ).toMatch('resourceSpans[0].scopeSpans[0].spans[0].links[0].spanId: expected 16 hex digits, got "zz"');
  });
});

describe('decodeOtlpMetricsJson', () => {
  it('decodes every point type', () => {
    const decoded = decodeOtlpMetricsJson({
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'g',
                  gauge: { dataPoints: [{ asDouble: 'Infinity', timeUnixNano: '1' }, { asInt: '-7' }] },
                },
                {
                  name: 's',
                  sum: {
                    aggregationTemporality: 'AGGREGATION_TEMPORALITY_CUMULATIVE',
                    isMonotonic: true,
                    dataPoints: [{ asInt: 5 }],
                  },
                },
                {
                  name: 'h',
                  histogram: {
                    aggregationTemporality: 1,
                    dataPoints: [
                      { count: '3', sum: 4.5, bucketCounts: ['1', 2], explicitBounds: [1], min: 1, max: 3 },
                    ],
                  },
                },
                {
                  name: 'e',
                  exponential_histogram: {
                    aggregation_temporality: 'AGGREGATION_TEMPORALITY_DELTA',
                    data_points: [
                      {
                        count: '3',
                        scale: -1,
                        zero_count: '1',
                        zero_threshold: 0.001,
                        positive: { offset: -2, bucket_counts: ['2'] },
                      },
                    ],
                  },
                },
                {
                  name: 'q',
                  summary: {
                    dataPoints: [{ count: '2', sum: 3, quantileValues: [{ quantile: 0.5, value: 1 }] }],
                  },
                },
              ],
            },
          ],
        },
      ],
    });
    expect(decoded.resourceMetrics[0]?.scopeMetrics[0]?.metrics.map((m) => m.data)).toMatchObject([
      {
        type: 'gauge',
        dataPoints: [
          { value: Number.POSITIVE_INFINITY, timeUnixNano: 1n },
          { value: -7n, timeUnixNano: 0n },
        ],
      },
      { type: 'sum', aggregationTemporality: 2, isMonotonic: true, dataPoints: [{ value: 5n }] },
      {
        type: 'histogram',
        aggregationTemporality: 1,
        dataPoints: [{ count: 3n, sum: 4.5, bucketCounts: [1n, 2n], explicitBounds: [1], min: 1, max: 3 }],
      },
      {
        type: 'exponential-histogram',
        aggregationTemporality: 1,
        dataPoints: [
          {
            count: 3n,
            scale: -1,
            zeroCount: 1n,
            zeroThreshold: 0.001,
            sum: undefined,
            positive: { offset: -2, bucketCounts: [2n] },
            negative: { offset: 0, bucketCounts: [] },
          },
        ],
      },
      { type: 'summary', dataPoints: [{ count: 2n, sum: 3, quantileValues: [{ quantile: 0.5, value: 1 }] }] },
    ]);
  });

  it('names the path of a wrong point value', () => {
    const request = {
      resourceMetrics: [{ scopeMetrics: [{ metrics: [{ histogram: { dataPoints: [{}, 4] } }] }] }],
    };
    expect(corrupt(() => decodeOtlpMetricsJson(request))).toMatch(
      'resourceMetrics[0].scopeMetrics[0].metrics[0].histogram.dataPoints[1]: expected an object, got number',
    );
  });
});

describe('otlpJsonSignal', () => {
  it('tells the signal by the top-level key', () => {
    expect(otlpJsonSignal({ resourceLogs: [] })).toBe('logs');
    expect(otlpJsonSignal({ resource_logs: [] })).toBe('logs');
    expect(otlpJsonSignal({ resourceSpans: [] })).toBe('traces');
    expect(otlpJsonSignal({ resource_spans: [] })).toBe('traces');
    expect(otlpJsonSignal({ resourceMetrics: [] })).toBe('metrics');
    expect(otlpJsonSignal({ resource_metrics: [] })).toBe('metrics');
    expect(otlpJsonSignal({ message: 'hello' })).toBeUndefined();
    expect(otlpJsonSignal([{ resourceLogs: [] }])).toBeUndefined();
    expect(otlpJsonSignal(null)).toBeUndefined();
    expect(otlpJsonSignal('resourceLogs')).toBeUndefined();
  });
});
