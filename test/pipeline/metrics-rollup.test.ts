import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPostgresCatalog } from '../../packages/catalog-postgres/src/index.js';
import type { Catalog, ObjectStore } from '../../packages/core/src/index.js';
import { readSegment, reduceRows } from '../../packages/plugin-kit/src/index.js';
import {
  createMetricsPlugin,
  DEFAULT_TIERS,
  type MetricRow,
  metricReducer,
  sketchOf,
} from '../../packages/plugin-metrics/src/index.js';
import { freshSchemaUrl } from '../support/database.js';
import { testDeployment } from '../support/deployment.js';
import { type InProcessDeployment, startInProcess } from '../support/in-process.js';
import { until } from '../support/wait.js';

const brokers = inject('kafkaBrokers');
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
const T0 = Date.UTC(2026, 10, 28, 8);
const HOURS = 2;
const STEP_MS = 15_000;
const CHUNK_MS = 10 * 60_000;
const KINDS = ['gauge', 'counter', 'delta', 'gauge-by-host'] as const;
const SERIES = 12;

interface Point {
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

function generate(): Point[] {
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

interface Expected {
  count: number;
  sum: number;
  min: number;
  max: number;
  last: number;
  increase: number | null;
  values: number[];
}

/** The oracle: every aggregate of every window of one tier, from the raw points. */
function oracle(points: Point[], frequencyMs: number): Map<string, Expected> {
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

describe('metrics: the rollup chain against a brute-force oracle (real Kafka, PostgreSQL)', () => {
  let running: InProcessDeployment | undefined;
  let catalog: Catalog;
  let store: ObjectStore;
  let sweeping: NodeJS.Timeout | undefined;
  const points = generate();

  /** The lake's live rows of one tier, merged per series and window as any reader would. */
  async function lakeTier(frequencyMs: number): Promise<Map<string, MetricRow>> {
    const rows: MetricRow[] = [];
    for (const s of await catalog.segments({ signal: 'metrics', frequencyMs })) {
      const segment = readSegment(await store.getBytes(s.objectKey));
      for (let i = 0; i < segment.rows; i++) rows.push(metricReducer.read(segment, i));
    }
    return new Map(
      reduceRows(rows, metricReducer).map((r) => [`${r.name}@${Number(r.windowNs / 1_000_000n)}`, r]),
    );
  }

  beforeAll(async () => {
    const d = await testDeployment(brokers, 'metrics', { plugins: ['@lakerunner/plugin-metrics'] });
    catalog = createPostgresCatalog({ connectionString: await freshSchemaUrl('metrics') });
    await catalog.migrate();
    const plugin = createMetricsPlugin({
      ingest: { maxAgeMs: 500, maxInputs: 3 },
      compact: { maxAgeMs: 1500 },
      rollup: { maxAgeMs: 800 },
    });
    // The sweeper may delete a replaced segment 3 s after it was replaced: it must still wait for
    // rollup to have read it. (Orphans get the same grace: outputs are registered within it.)
    running = await startInProcess({
      brokers,
      prefix: d.prefix,
      plugins: [plugin],
      catalog,
      sweeperGraceMs: 3000,
    });
    const sweeper = running.services.find((s) => s.name === 'sweeper') as unknown as {
      sweepOnce(): Promise<void>;
    };
    sweeping = setInterval(() => void sweeper.sweepOnce().catch(() => {}), 300);
    store = running.store;
    // Chunks out of order: every other chunk first, then the rest (late data for each window).
    const chunks: Point[][] = [];
    for (let start = T0; start < T0 + HOURS * 3_600_000; start += CHUNK_MS) {
      chunks.push(points.filter((p) => p.t >= start && p.t < start + CHUNK_MS));
    }
    const order = [...chunks.keys()].sort((a, b) => (a % 2) - (b % 2) || b - a);
    for (const i of order) {
      const body = request(chunks[i] as Point[]);
      const type = otlp.metrics.v1.ExportMetricsServiceRequest;
      const bytes =
        i % 3 === 0
          ? Buffer.from(JSON.stringify(body))
          : Buffer.from(type.encode(type.fromObject(body)).finish());
      const name =
        i % 3 === 0 ? `metrics_${i}.json` : i % 3 === 1 ? `metrics_${i}.binpb` : `metrics_${i}.binpb.gz`;
      await store.put(`otel-raw/acme/c1/${name}`, i % 3 === 2 ? gzipSync(bytes) : bytes);
    }
  }, 120_000);

  afterAll(async () => {
    clearInterval(sweeping);
    await running?.stop();
    await catalog?.close();
  });

  it('every tier equals the oracle, window by window', async () => {
    for (const frequencyMs of DEFAULT_TIERS) {
      const expected = oracle(points, frequencyMs);
      const total = [...expected.values()].reduce((n, e) => n + e.count, 0);
      await until(
        `the ${frequencyMs} ms tier complete`,
        async () =>
          [...(await lakeTier(frequencyMs)).values()].reduce((n, r) => n + r.aggregate.count, 0) === total,
        180_000,
        1000,
      );
      const lake = await lakeTier(frequencyMs);
      expect([...lake.keys()].sort()).toEqual([...expected.keys()].sort());
      const mismatches: string[] = [];
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
        const want = {
          count: e.count,
          sum: e.sum,
          min: e.min,
          max: e.max,
          last: e.last,
          increase: e.increase,
        };
        if (JSON.stringify(got) !== JSON.stringify(want))
          mismatches.push(`${frequencyMs} ${key}: ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
        // Percentiles: within the sketch's relative accuracy of a value at that rank.
        if (a && frequencyMs === 3_600_000) {
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
      expect(mismatches.slice(0, 10)).toEqual([]);
    }
    // Nothing failed: no rollup ever found its input swept away.
    expect(await catalog.failures()).toEqual([]);
  }, 600_000);

  it('replaying every notification changes nothing', async () => {
    const before = new Map<number, string>();
    for (const f of DEFAULT_TIERS)
      before.set(
        f,
        JSON.stringify(
          [...(await lakeTier(f))].map(([k, r]) => [
            k,
            r.aggregate.count,
            r.aggregate.sum,
            r.aggregate.increase,
          ]),
        ),
      );
    const pubsub = running?.services.find((s) => s.name === 'pubsub') as unknown as {
      publish(e: { bucket: string; key: string; size: number; version: string }): Promise<void>;
    };
    for await (const o of store.list('otel-raw/')) {
      await pubsub.publish({ bucket: store.bucket, key: o.key, size: o.size, version: o.version });
    }
    await new Promise((r) => setTimeout(r, 6000));
    for (const f of DEFAULT_TIERS) {
      const after = JSON.stringify(
        [...(await lakeTier(f))].map(([k, r]) => [
          k,
          r.aggregate.count,
          r.aggregate.sum,
          r.aggregate.increase,
        ]),
      );
      expect(after, `tier ${f}`).toBe(before.get(f));
    }
  }, 120_000);
});
