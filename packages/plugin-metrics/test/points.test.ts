import { createRequire } from 'node:module';
import { decodeOtlpMetricsJson, decodeOtlpMetricsProtobuf } from '@lakerunner/plugin-kit';
import { describe, expect, it } from 'vitest';
import { otlpMetricPoints } from '../src/codecs/otlp-points.js';

const otlp = createRequire(import.meta.url)('otlp-oracle/build/src/generated/root').opentelemetry.proto
  .collector;
const T = '1795860000000000000';

/** One request with every point type, written by the protobufjs oracle and read by our decoders. */
const request = {
  resourceMetrics: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] },
      scopeMetrics: [
        {
          scope: { name: 'lib', version: '2' },
          metrics: [
            {
              name: 'g',
              unit: '1',
              gauge: {
                dataPoints: [
                  { timeUnixNano: T, asDouble: 0.5 },
                  { timeUnixNano: T, asDouble: Number.NaN },
                ],
              },
            },
            {
              name: 'c',
              sum: {
                aggregationTemporality: 2,
                isMonotonic: true,
                dataPoints: [{ timeUnixNano: T, asInt: 7 }],
              },
            },
            {
              name: 'd',
              sum: {
                aggregationTemporality: 1,
                isMonotonic: false,
                dataPoints: [{ timeUnixNano: T, asInt: -3 }],
              },
            },
            {
              name: 'h',
              histogram: {
                aggregationTemporality: 1,
                dataPoints: [
                  {
                    timeUnixNano: T,
                    count: 6,
                    sum: 30,
                    explicitBounds: [1, 10],
                    bucketCounts: [1, 2, 3],
                    min: 0.5,
                    max: 20,
                  },
                ],
              },
            },
            {
              name: 'e',
              exponentialHistogram: {
                aggregationTemporality: 2,
                dataPoints: [
                  {
                    timeUnixNano: T,
                    count: 5,
                    sum: 12,
                    scale: 0,
                    zeroCount: 1,
                    positive: { offset: 1, bucketCounts: [2, 2] },
                  },
                ],
              },
            },
            {
              name: 's',
              summary: {
                dataPoints: [
                  {
                    timeUnixNano: T,
                    count: 4,
                    sum: 8,
                    quantileValues: [
                      { quantile: 0.5, value: 2 },
                      { quantile: 1, value: 5 },
                    ],
                  },
                ],
              },
            },
            { name: '', gauge: { dataPoints: [{ timeUnixNano: T, asDouble: 1 }] } },
          ],
        },
      ],
    },
  ],
};

function points(decoded: ReturnType<typeof decodeOtlpMetricsJson>) {
  const rejects: string[] = [];
  const list = [...otlpMetricPoints(decoded, '', 0, (p, reason) => rejects.push(`${p}: ${reason}`))];
  return { list, rejects };
}

describe('metric points of every OTLP type', () => {
  const type = otlp.metrics.v1.ExportMetricsServiceRequest;
  const fromProtobuf = points(decodeOtlpMetricsProtobuf(type.encode(type.fromObject(request)).finish()));
  const fromJson = points(
    decodeOtlpMetricsJson(
      JSON.parse(JSON.stringify(type.toObject(type.fromObject(request), { longs: String }))),
    ),
  );

  it('reads gauges, cumulative and delta sums, histograms, exponential histograms and summaries', () => {
    const { list } = fromProtobuf;
    expect(list.map((p) => [p.name, p.type, p.temporality, p.monotonic])).toEqual([
      ['g', 'gauge', '', false],
      ['c', 'sum', 'cumulative', true],
      ['d', 'sum', 'delta', false],
      ['h', 'histogram', 'delta', false],
      ['e', 'exponential_histogram', 'cumulative', false],
      ['s', 'summary', '', false],
    ]);
    expect(list[0]).toMatchObject({ value: 0.5, unit: '1', timeNs: BigInt(T), position: '0.0.0.0' });
    expect(list[1]?.value).toBe(7);
    expect(list[2]?.value).toBe(-3);
    expect(list[3]?.histogram).toEqual({
      count: 6,
      sum: 30,
      min: 0.5,
      max: 20,
      bounds: [1, 10],
      counts: [1, 2, 3],
    });
    // Scale 0: bucket i covers (2^i, 2^(i+1)]; offset 1 → buckets 1 and 2, their geometric middles.
    expect(list[4]?.buckets).toEqual([
      { value: 2 ** 1.5, count: 2 },
      { value: 2 ** 2.5, count: 2 },
      { value: 0, count: 1 },
    ]);
    expect(list[5]?.summary).toEqual({
      count: 4,
      sum: 8,
      quantiles: [
        { quantile: 0.5, value: 2 },
        { quantile: 1, value: 5 },
      ],
    });
  });

  it('rejects a NaN value and a metric without a name, by position, and keeps the rest', () => {
    expect(fromProtobuf.rejects).toEqual(['0.0.0.1: g: value NaN', '0.0.6: a metric without a name']);
  });

  it('reads the same points from OTLP/JSON', () => {
    const strip = (list: typeof fromProtobuf.list) =>
      list.map(({ resource, scope, attributes, ...rest }) => rest);
    expect(strip(fromJson.list)).toEqual(strip(fromProtobuf.list));
  });
});
