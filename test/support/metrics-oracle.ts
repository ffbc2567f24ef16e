import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import type { Catalog, ObjectStore } from '../../packages/core/src/index.js';
import { readSegment, reduceRows } from '../../packages/plugin-kit/src/index.js';
import { type MetricRow, metricReducer, sketchOf } from '../../packages/plugin-metrics/src/index.js';

const otlp = createRequire(import.meta.url)('otlp-oracle/build/src/generated/root').opentelemetry.proto
  .collector;

/**
 * The rollup chain against a brute-force oracle: random samples of many series over two hours,
 * written as OTLP protobuf and JSON objects in 10-minute chunks that arrive out of order (late
 * data), with a counter reset. For every tier (10 s … 1 h) the live rows of the lake, merged per
 * series and window, must equal what the oracle computes from the raw points: count, sum, min,
 * max, last and counter increase exactly (integer samples keep sums exact), percentiles within
 * the sketch's 1 % relative error.
 */
export const T0 = Date.UTC(2026, 10, 28, 8);
const HOURS = 2;
const STEP_MS = 15_000;
const CHUNK_MS = 10 * 60_000;
const KINDS = ['gauge', 'counter', 'delta', 'gauge-by-host'] as const;
const SERIES = 12;

export interface Point {
  series: number;
  t: number;
  v: number;
}

function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generate(): Point[] {
  const random = seeded(20261128);
  const points: Point[] = [];
  for (let s = 0; s < SERIES; s++) {
    let total = 0;
    const resetAt = T0 + Math.floor(random() * HOURS * 3600) * 1000;
    for (let t = T0 + (s % 4) * 1000; t < T0 + HOURS * 3_600_000; t += STEP_MS) {
      const kind = KINDS[s % 4];
      let v: number;
      if (kind === 'counter') {
        total =
          t >= resetAt && t - STEP_MS < resetAt
            ? Math.floor(random() * 5)
            : total + Math.floor(random() * 20);
        v = total;
      } else v = Math.floor(random() * 1000) - (kind === 'delta' ? 0 : 300);
      points.push({ series: s, t, v });
    }
  }
  return points;
}

const str = (v: string) => ({ stringValue: v });
const nanos = (ms: number) => String(BigInt(ms) * 1_000_000n);

/** One OTLP request holding every series' points of one chunk. */
function request(points: Point[]) {
  const metrics = [];
  for (let s = 0; s < SERIES; s++) {
    const mine = points.filter((p) => p.series === s);
    if (mine.length === 0) continue;
    const kind = KINDS[s % 4];
    const dataPoints = mine.map((p) => ({
      timeUnixNano: nanos(p.t),
      asInt: p.v,
      attributes: kind === 'gauge-by-host' ? [{ key: 'host', value: str(`h${s}`) }] : [],
    }));
    const name = `m.${kind}.${s}`;
    if (kind === 'counter')
      metrics.push({ name, sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints } });
    else if (kind === 'delta')
      metrics.push({ name, sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints } });
    else metrics.push({ name, unit: 'ms', gauge: { dataPoints } });
  }
  return {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: str('shop') }] },
        scopeMetrics: [{ scope: { name: 'oracle' }, metrics }],
      },
    ],
  };
}

export interface Expected {
  count: number;
  sum: number;
  min: number;
  max: number;
  last: number;
  increase: number | null;
  values: number[];
}

/** The oracle: every aggregate of every window of one tier, from the raw points. */
export function oracle(points: Point[], frequencyMs: number): Map<string, Expected> {
  const out = new Map<string, Expected>();
  const bySeries = new Map<number, Point[]>();
  for (const p of points) bySeries.set(p.series, [...(bySeries.get(p.series) ?? []), p]);
  for (const [s, list] of bySeries) {
    list.sort((a, b) => a.t - b.t);
    const kind = KINDS[s % 4];
    list.forEach((p, i) => {
      const key = `m.${kind}.${s}@${p.t - (p.t % frequencyMs)}`;
      const e = out.get(key) ?? {
        count: 0,
        sum: 0,
        min: Infinity,
        max: -Infinity,
        last: 0,
        increase: kind?.startsWith('gauge') ? null : 0,
        values: [],
      };
      e.count++;
      e.sum += p.v;
      e.min = Math.min(e.min, p.v);
      e.max = Math.max(e.max, p.v);
      e.last = p.v;
      e.values.push(p.v);
      const previous = list[i - 1];
      if (kind === 'delta') e.increase = (e.increase ?? 0) + p.v;
      else if (
        kind === 'counter' &&
        previous &&
        previous.t - (previous.t % frequencyMs) === p.t - (p.t % frequencyMs)
      ) {
        e.increase = (e.increase ?? 0) + (p.v >= previous.v ? p.v - previous.v : p.v);
      }
      out.set(key, e);
    });
  }
  return out;
}

/**
 * The input as objects: 10-minute chunks, out of order (every other chunk first, then the rest,
 * so each window gets late data), as OTLP JSON, protobuf and gzipped protobuf in turn.
 */
export function inputObjects(points: Point[]): { key: string; bytes: Buffer }[] {
  const chunks: Point[][] = [];
  for (let start = T0; start < T0 + HOURS * 3_600_000; start += CHUNK_MS) {
    chunks.push(points.filter((p) => p.t >= start && p.t < start + CHUNK_MS));
  }
  const order = [...chunks.keys()].sort((a, b) => (a % 2) - (b % 2) || b - a);
  const type = otlp.metrics.v1.ExportMetricsServiceRequest;
  return order.map((i) => {
    const body = request(chunks[i] as Point[]);
    if (i % 3 === 0)
      return { key: `otel-raw/acme/c1/metrics_${i}.json`, bytes: Buffer.from(JSON.stringify(body)) };
    const bytes = Buffer.from(type.encode(type.fromObject(body)).finish());
    return i % 3 === 1
      ? { key: `otel-raw/acme/c1/metrics_${i}.binpb`, bytes }
      : { key: `otel-raw/acme/c1/metrics_${i}.binpb.gz`, bytes: gzipSync(bytes) };
  });
}

/** The lake's live rows of one tier, merged per series and window as any reader would. */
export async function lakeTier(
  catalog: Catalog,
  store: ObjectStore,
  frequencyMs: number,
): Promise<Map<string, MetricRow>> {
  const rows: MetricRow[] = [];
  for (const s of await catalog.segments({ signal: 'metrics', frequencyMs })) {
    const segment = readSegment(await store.getBytes(s.objectKey));
    for (let i = 0; i < segment.rows; i++) rows.push(metricReducer.read(segment, i));
  }
  return new Map(
    reduceRows(rows, metricReducer).map((r) => [`${r.name}@${Number(r.windowNs / 1_000_000n)}`, r]),
  );
}

/** Points a tier's live rows hold; equal to the input's when the tier is complete. */
export const pointsIn = (tier: Map<string, MetricRow>) =>
  [...tier.values()].reduce((n, r) => n + r.aggregate.count, 0);

/**
 * Where a tier differs from the oracle: count, sum, min, max, last and increase exactly;
 * percentiles (at `percentilesAt` only) within the sketch's 1 % of a value at that rank.
 */
export function tierMismatches(
  lake: Map<string, MetricRow>,
  expected: Map<string, Expected>,
  frequencyMs: number,
  percentilesAt = 3_600_000,
): string[] {
  const mismatches: string[] = [];
  const keys = (m: Map<string, unknown>) => JSON.stringify([...m.keys()].sort());
  if (keys(lake) !== keys(expected)) mismatches.push(`${frequencyMs}: windows differ`);
  for (const [key, e] of expected) {
    const a = lake.get(key)?.aggregate;
    const got = a && {
      count: a.count,
      sum: a.sum,
      min: a.min,
      max: a.max,
      last: a.last,
      increase: a.increase,
    };
    const want = { count: e.count, sum: e.sum, min: e.min, max: e.max, last: e.last, increase: e.increase };
    if (JSON.stringify(got) !== JSON.stringify(want))
      mismatches.push(`${frequencyMs} ${key}: ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
    if (a && frequencyMs === percentilesAt) {
      const sorted = [...e.values].sort((x, y) => x - y);
      for (const q of [0.5, 0.9, 0.99]) {
        const got = sketchOf(a).getValueAtQuantile(q);
        const rank = q * (sorted.length - 1);
        const candidates = [sorted[Math.floor(rank)], sorted[Math.ceil(rank)]] as number[];
        if (!candidates.some((x) => Math.abs(got - x) <= Math.abs(x) * 0.01 + 1e-9)) {
          mismatches.push(`${key} p${q * 100}: ${got} not within 1% of ${candidates.join(' or ')}`);
        }
      }
    }
  }
  return mismatches;
}
