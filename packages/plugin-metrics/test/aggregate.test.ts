import { fnv1a64 } from '@lakerunner/plugin-kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seriesId } from '../src/aggregate/series-id.js';
import { mergeSketch, newSketch, sketchFromBytes, sketchToBytes } from '../src/aggregate/sketch.js';
import {
  asOneRun,
  mergeAggregates,
  pointAggregate,
  type SeriesKind,
  sketchOf,
  type WindowAggregate,
} from '../src/aggregate/window.js';
import type { MetricPoint } from '../src/record.js';

const resource = { attributes: new Map(), droppedAttributesCount: 0, schemaUrl: '' };
const scope = { name: '', version: '', attributes: new Map(), droppedAttributesCount: 0, schemaUrl: '' };
const point = (value: number, t: number, extra: Partial<MetricPoint> = {}): MetricPoint => ({
  position: '0',
  name: 'm',
  type: 'sum',
  unit: '',
  description: '',
  temporality: 'cumulative',
  monotonic: true,
  resource,
  scope,
  attributes: new Map(),
  timeNs: BigInt(t),
  value,
  ...extra,
});

describe('sketches', () => {
  it('merge negative values too (sketches-js 2.1.1 drops them in merge)', () => {
    const values = Array.from({ length: 400 }, (_, i) => ((i * 7919) % 1000) - 500);
    const merged = newSketch();
    for (let i = 0; i < values.length; i += 7) {
      const part = newSketch();
      for (const v of values.slice(i, i + 7)) part.accept(v);
      mergeSketch(merged, sketchFromBytes(sketchToBytes(part)));
    }
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of [0.01, 0.25, 0.5, 0.75, 0.99]) {
      const exact = sorted[Math.floor(q * (sorted.length - 1))] as number;
      expect(Math.abs(merged.getValueAtQuantile(q) - exact)).toBeLessThanOrEqual(Math.abs(exact) * 0.01 + 1);
    }
  });
});

describe('window aggregates', () => {
  const counter: SeriesKind = { type: 'sum', temporality: 'cumulative', monotonic: true };
  it('a counter increase adds the steps between merged windows, a reset counting its new value', () => {
    const a = mergeAggregates(pointAggregate(point(10, 1), 1n), pointAggregate(point(25, 2), 2n), counter);
    const b = mergeAggregates(pointAggregate(point(3, 4), 4n), pointAggregate(point(8, 5), 5n), counter);
    expect(a.increase).toBe(15);
    expect(b.increase).toBe(5);
    // 25 → 3 is a reset: it adds 3; merged in either order.
    const later = pointAggregate(point(3, 4), 4n);
    const merged = mergeAggregates(
      mergeAggregates(later, pointAggregate(point(8, 5), 5n), counter),
      a,
      counter,
    );
    expect(merged).toMatchObject({ count: 4, sum: 46, min: 3, max: 25, first: 10, last: 8, increase: 23 });
  });

  it('a part arriving between two merged parts replaces the step that bridged them', () => {
    // A part is a stretch of points that arrived together, folded to one run as a rollup does.
    const part = (...values: [number, number][]) =>
      asOneRun(
        values
          .map(([v, t]) => pointAggregate(point(v, t), BigInt(t)))
          .reduce((into, other) => mergeAggregates(into, other, counter)),
      );
    // 10 → 20 | 30 → 5 (reset) | 8 → 12: in order 10 + 10 + 5 + 3 + 4 = 32.
    const ends = mergeAggregates(part([10, 1], [20, 2]), part([8, 5], [12, 6]), counter);
    expect(ends.increase).toBe(10 + 8 + 4); // the bridge 20 → 8 counts as a reset to 8
    const whole = mergeAggregates(ends, part([30, 3], [5, 4]), counter);
    expect(whole.increase).toBe(32);
    expect(whole.runs).toHaveLength(3);
    expect(asOneRun(whole)).toMatchObject({ runs: null, increase: 32, first: 10, last: 12 });
  });

  it('merging a counter in any grouping and order gives the increase of its points in time order', () => {
    const increaseOf = (values: number[]) =>
      values.reduce((total, v, i) => {
        const previous = values[i - 1];
        return previous === undefined ? total : total + (v >= previous ? v - previous : v);
      }, 0);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 80 }),
        fc.boolean(),
        (values, choices, collapse) => {
          // Each point is a part; repeatedly merge two parts chosen by `choices`, sometimes
          // folding the result into one run as a rollup does.
          const parts: WindowAggregate[] = values.map((v, t) => pointAggregate(point(v, t), BigInt(t)));
          let c = 0;
          while (parts.length > 1) {
            const i = (choices[c++] ?? 0) % parts.length;
            const [a] = parts.splice(i, 1);
            const j = (choices[c++] ?? 0) % parts.length;
            const [b] = parts.splice(j, 1);
            const merged = mergeAggregates(a as WindowAggregate, b as WindowAggregate, counter);
            const contiguous = merged.runs?.every(
              (run, k, all) => k === 0 || run.firstNs === (all[k - 1]?.lastNs ?? 0n) + 1n,
            );
            parts.push(collapse && contiguous ? asOneRun(merged) : merged);
          }
          expect(parts[0]?.increase).toBe(increaseOf(values));
        },
      ),
    );
  });

  it('a delta sum increases by its values; a gauge has no increase', () => {
    const delta: SeriesKind = { type: 'sum', temporality: 'delta', monotonic: true };
    const d = mergeAggregates(
      pointAggregate(point(4, 1, { temporality: 'delta' }), 1n),
      pointAggregate(point(6, 2, { temporality: 'delta' }), 2n),
      delta,
    );
    expect(d.increase).toBe(10);
    const gauge: SeriesKind = { type: 'gauge', temporality: '', monotonic: false };
    const g = mergeAggregates(
      pointAggregate(point(4, 1, { type: 'gauge', temporality: '' }), 1n),
      pointAggregate(point(-6, 2, { type: 'gauge', temporality: '' }), 2n),
      gauge,
    );
    expect(g).toMatchObject({ increase: null, min: -6, max: 4, last: -6 });
  });
  it('a window keeps no sketch until its third value, and the sketch then holds every value', () => {
    const gauge: SeriesKind = { type: 'gauge', temporality: '', monotonic: false };
    const g = (v: number, t: number) =>
      pointAggregate(point(v, t, { type: 'gauge', temporality: '' }), BigInt(t));
    const two = mergeAggregates(g(5, 1), g(-3, 2), gauge);
    expect(two.sketch).toBeNull();
    expect(sketchOf(two).count).toBe(2);
    const three = mergeAggregates(two, g(100, 3), gauge);
    expect(three.sketch).not.toBeNull();
    const sketch = sketchOf(three);
    expect(sketch.count).toBe(3);
    expect(Math.abs(sketch.getValueAtQuantile(0) - -3)).toBeLessThanOrEqual(0.03);
    expect(Math.abs(sketch.getValueAtQuantile(0.5) - 5)).toBeLessThanOrEqual(0.05);
    expect(Math.abs(sketch.getValueAtQuantile(1) - 100)).toBeLessThanOrEqual(1);
  });
});

describe('series ids', () => {
  const id = (attributes: [string, unknown][], extra = {}) =>
    seriesId({
      name: 'http.server.duration',
      type: 'histogram',
      unit: 'ms',
      temporality: 'cumulative',
      monotonic: false,
      resource: new Map([['service.name', 'api']]),
      attributes: new Map(attributes as never),
      ...extra,
    });
  it('do not depend on attribute order, and differ with any part of the identity', () => {
    expect(
      id([
        ['a', 1n],
        ['b', 'x'],
      ]),
    ).toBe(
      id([
        ['b', 'x'],
        ['a', 1n],
      ]),
    );
    expect(id([['a', 1n]])).not.toBe(id([['a', 2n]]));
    expect(id([['a', 1n]])).not.toBe(id([['a', '1']]));
    expect(id([], { unit: 's' })).not.toBe(id([]));
  });
  it('are pinned: a change would re-key every stored series', () => {
    // The documented canonical form, hashed by the kit's FNV-1a 64.
    expect(id([])).toBe(
      fnv1a64('["http.server.duration","histogram","ms","cumulative",false,[["service.name","api"]],[]]'),
    );
    expect(id([])).toBe(-5747058121966886516n);
    expect(
      id([
        ['http.route', '/checkout'],
        ['http.status_code', 200n],
      ]),
    ).toBe(3677155861109458028n);
  });
});
