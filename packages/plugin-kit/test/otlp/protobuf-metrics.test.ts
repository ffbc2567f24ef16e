import { describe, expect, it } from 'vitest';
import { decodeOtlpMetricsProtobuf, type OtlpMetric } from '../../src/otlp/index.js';
import { encodeMetrics } from './oracle.js';
import { bytes, double, fixed64, int, len, str, tag, varint, zigzag } from './wire.js';

const T0 = '1700000000000000000';
const T1 = '1700000060000000000';
const times = { startTimeUnixNano: T0, timeUnixNano: T1 };
const decodedTimes = {
  startTimeUnixNano: 1_700_000_000_000_000_000n,
  timeUnixNano: 1_700_000_060_000_000_000n,
};
const host = [{ key: 'host', value: { stringValue: 'a' } }];

function decodeMetrics(metrics: object[]): OtlpMetric[] {
  const request = { resourceMetrics: [{ scopeMetrics: [{ metrics }] }] };
  return decodeOtlpMetricsProtobuf(encodeMetrics(request)).resourceMetrics[0]?.scopeMetrics[0]?.metrics ?? [];
}

/** A request with one metric whose fields are `metric`, built by hand. */
function handMade(...metric: number[][]): OtlpMetric | undefined {
  return decodeOtlpMetricsProtobuf(bytes(len(1, len(2, len(2, ...metric))))).resourceMetrics[0]
    ?.scopeMetrics[0]?.metrics[0];
}

describe('decodeOtlpMetricsProtobuf', () => {
  it('decodes gauges and sums with int and double values', () => {
    const metrics = decodeMetrics([
      {
        name: 'temperature',
        description: 'Room temperature',
        unit: 'Cel',
        metadata: [{ key: 'source', value: { stringValue: 'sensor' } }],
        gauge: {
          dataPoints: [
            { attributes: host, ...times, asDouble: 21.5, flags: 1 },
            { ...times, asInt: '-9223372036854775808' },
            { ...times },
          ],
        },
      },
      {
        name: 'requests',
        sum: {
          aggregationTemporality: 1,
          isMonotonic: true,
          dataPoints: [{ ...times, asInt: '9007199254740993' }],
        },
      },
      {
        name: 'queue.depth',
        sum: { aggregationTemporality: 2, isMonotonic: false, dataPoints: [{ ...times, asDouble: -3 }] },
      },
    ]);
    expect(metrics).toEqual([
      {
        name: 'temperature',
        description: 'Room temperature',
        unit: 'Cel',
        metadata: new Map([['source', 'sensor']]),
        data: {
          type: 'gauge',
          dataPoints: [
            { attributes: new Map([['host', 'a']]), ...decodedTimes, value: 21.5, flags: 1 },
            { attributes: new Map(), ...decodedTimes, value: -9_223_372_036_854_775_808n, flags: 0 },
            { attributes: new Map(), ...decodedTimes, value: undefined, flags: 0 },
          ],
        },
      },
      {
        name: 'requests',
        description: '',
        unit: '',
        metadata: new Map(),
        data: {
          type: 'sum',
          aggregationTemporality: 1,
          isMonotonic: true,
          dataPoints: [{ attributes: new Map(), ...decodedTimes, value: 9_007_199_254_740_993n, flags: 0 }],
        },
      },
      {
        name: 'queue.depth',
        description: '',
        unit: '',
        metadata: new Map(),
        data: {
          type: 'sum',
          aggregationTemporality: 2,
          isMonotonic: false,
          dataPoints: [{ attributes: new Map(), ...decodedTimes, value: -3, flags: 0 }],
        },
      },
    ]);
  });

  it('decodes histograms, with and without sum, min and max', () => {
    const [metric] = decodeMetrics([
      {
        name: 'latency',
        histogram: {
          aggregationTemporality: 2,
          dataPoints: [
            {
              attributes: host,
              ...times,
              count: '6',
              sum: 0,
              bucketCounts: ['1', '2', '3'],
              explicitBounds: [0.5, 2.5],
              min: -1,
              max: 9.75,
              flags: 0,
            },
            { ...times, count: '0' },
          ],
        },
      },
    ]);
    expect(metric?.data).toEqual({
      type: 'histogram',
      aggregationTemporality: 2,
      dataPoints: [
        {
          attributes: new Map([['host', 'a']]),
          ...decodedTimes,
          count: 6n,
          sum: 0,
          bucketCounts: [1n, 2n, 3n],
          explicitBounds: [0.5, 2.5],
          flags: 0,
          min: -1,
          max: 9.75,
        },
        {
          attributes: new Map(),
          ...decodedTimes,
          count: 0n,
          sum: undefined,
          bucketCounts: [],
          explicitBounds: [],
          flags: 0,
          min: undefined,
          max: undefined,
        },
      ],
    });
  });

  it('decodes exponential histograms, negative scale and offsets and the zero threshold included', () => {
    const [metric] = decodeMetrics([
      {
        name: 'latency.exp',
        exponentialHistogram: {
          aggregationTemporality: 1,
          dataPoints: [
            {
              ...times,
              count: '10',
              sum: 123.5,
              scale: -3,
              zeroCount: '2',
              positive: { offset: -5, bucketCounts: ['1', '18446744073709551615'] },
              negative: { offset: 4, bucketCounts: ['7'] },
              flags: 1,
              min: 0,
              max: 99,
              zeroThreshold: 1e-9,
            },
          ],
        },
      },
    ]);
    expect(metric?.data).toEqual({
      type: 'exponential-histogram',
      aggregationTemporality: 1,
      dataPoints: [
        {
          attributes: new Map(),
          ...decodedTimes,
          count: 10n,
          sum: 123.5,
          scale: -3,
          zeroCount: 2n,
          positive: { offset: -5, bucketCounts: [1n, 18_446_744_073_709_551_615n] },
          negative: { offset: 4, bucketCounts: [7n] },
          flags: 1,
          min: 0,
          max: 99,
          zeroThreshold: 1e-9,
        },
      ],
    });
  });

  it('decodes summaries and metrics without data', () => {
    const metrics = decodeMetrics([
      {
        name: 'rpc.duration',
        summary: {
          dataPoints: [
            {
              ...times,
              count: '4',
              sum: 10,
              quantileValues: [
                { quantile: 0, value: 1 },
                { quantile: 0.99, value: 4 },
              ],
              flags: 1,
            },
          ],
        },
      },
      { name: 'nothing' },
    ]);
    expect(metrics.map((m) => m.data)).toEqual([
      {
        type: 'summary',
        dataPoints: [
          {
            attributes: new Map(),
            ...decodedTimes,
            count: 4n,
            sum: 10,
            quantileValues: [
              { quantile: 0, value: 1 },
              { quantile: 0.99, value: 4 },
            ],
            flags: 1,
          },
        ],
      },
      { type: 'empty' },
    ]);
  });

  it('reads repeated numbers packed or not, and skips exemplars', () => {
    const metric = handMade(
      str(1, 'h'),
      len(
        9,
        len(
          1,
          fixed64(6, 1n),
          len(6, new Uint8Array(new BigUint64Array([2n, 3n]).buffer)),
          double(7, 0.5),
          len(7, new Uint8Array(new Float64Array([1.5]).buffer)),
          len(8, fixed64(2, 1n), double(3, 1)),
        ),
      ),
    );
    expect(metric?.data).toMatchObject({
      dataPoints: [{ bucketCounts: [1n, 2n, 3n], explicitBounds: [0.5, 1.5] }],
    });
    const exponential = handMade(
      len(
        10,
        len(
          1,
          int(6, zigzag(-2)),
          len(8, int(1, zigzag(-7)), int(2, 5), len(2, varint(6), varint(2n ** 40n))),
        ),
      ),
    );
    expect(exponential?.data).toMatchObject({
      dataPoints: [{ scale: -2, positive: { offset: -7, bucketCounts: [5n, 6n, 2n ** 40n] } }],
    });
  });

  it('skips fields a data message does not define, whatever their wire type', () => {
    const gauge = handMade(len(5, str(2, 'not a temporality'), str(3, 'not monotonic')));
    expect(gauge?.data).toEqual({ type: 'gauge', dataPoints: [] });
  });

  it('rejects a packed field whose length is not a multiple of the element size', () => {
    expect(() => handMade(len(9, len(1, len(6, [1, 2, 3]))))).toThrow(
      /packed field of 3 bytes is not a multiple of 8/,
    );
    expect(() => handMade(len(9, len(1, tag(6, 0), [1])))).toThrow(/wire type 0 where 1 is expected/);
  });
});
