import type { MetricPoint, MetricType, Temporality } from '../record.js';
import { mergeSketch, newSketch, type Sketch } from './sketch.js';

/**
 * What one series holds for one time window: mergeable, so every tier (and a late row folded
 * into its window by compaction) is computed exactly from the tier below.
 *
 * - gauges and sums: each point is a value; count, sum, min, max, first and last (with their
 *   times) and a sketch of the values.
 * - `increase` (sums and cumulative histograms' counts): what the counter grew by between the
 *   window's consecutive points — delta sums add their values; cumulative monotonic counters add
 *   each step and, where the value fell (a reset), the new value; non-monotonic cumulative sums
 *   the signed steps. A cumulative window merged from parts that arrived separately keeps each
 *   part as a run (see `runs`), so a part arriving later between two earlier ones replaces the
 *   step that bridged them rather than adding to it: merges are exact in any order.
 * - histograms: bucket counts and a sketch of the buckets (delta: added; cumulative: the latest
 *   point's, since each point already holds everything before it); summaries: the latest
 *   point's count, sum and quantiles.
 */
export interface WindowAggregate {
  count: number;
  sum: number;
  min: number;
  max: number;
  first: number;
  firstNs: bigint;
  last: number;
  lastNs: bigint;
  increase: number | null;
  /**
   * Cumulative counters only: the separately arrived parts of this window, in time order, when
   * there are two or more (null: the window is one run, described by first/last/increase). The
   * increase is the runs' own plus the steps between consecutive runs. A rollup folds a window's
   * runs into one run of the coarser window (`asOneRun`), so a row holds at most as many runs as
   * parts of its window arrived apart.
   */
  runs: CounterRun[] | null;
  /**
   * The values' sketch; null while the window holds at most two values of a gauge or sum, which
   * min and max then describe exactly (most 10 s windows: building a sketch per point would be
   * most of ingest's cost). See `sketchOf`.
   */
  sketch: Sketch | null;
  buckets: { bounds: number[]; counts: number[] } | null;
  quantiles: { quantile: number; value: number }[] | null;
}

/** A stretch of a counter's points that arrived together: its ends and its inner increase. */
export interface CounterRun {
  firstNs: bigint;
  first: number;
  lastNs: bigint;
  last: number;
  increase: number;
}

export interface SeriesKind {
  type: MetricType;
  temporality: Temporality;
  monotonic: boolean;
}

/** Whether later points contain earlier ones (cumulative histograms, summaries). */
function snapshots(kind: SeriesKind): boolean {
  return (
    kind.type === 'summary' ||
    (kind.type !== 'gauge' && kind.type !== 'sum' && kind.temporality === 'cumulative')
  );
}

function counts(kind: SeriesKind): boolean {
  return (
    kind.type === 'sum' ||
    (kind.type !== 'gauge' && kind.type !== 'summary' && kind.temporality === 'cumulative')
  );
}

/** The window's sketch, built from min and max when it holds no more than two values. */
export function sketchOf(aggregate: WindowAggregate): Sketch {
  if (aggregate.sketch) return aggregate.sketch;
  const sketch = newSketch();
  if (aggregate.count >= 1) sketch.accept(aggregate.min);
  if (aggregate.count >= 2) sketch.accept(aggregate.max);
  return sketch;
}

export function pointAggregate(point: MetricPoint, timeNs: bigint): WindowAggregate {
  if (point.value !== undefined) {
    const v = point.value;
    return {
      count: 1,
      sum: v,
      min: v,
      max: v,
      first: v,
      firstNs: timeNs,
      last: v,
      lastNs: timeNs,
      increase: point.type === 'gauge' ? null : point.temporality === 'delta' ? v : 0,
      runs: null,
      sketch: null,
      buckets: null,
      quantiles: null,
    };
  }
  const sketch = newSketch();
  if (point.summary) {
    const q = point.summary.quantiles;
    const value = (quantile: number) => q.find((x) => x.quantile === quantile)?.value;
    return {
      count: point.summary.count,
      sum: point.summary.sum,
      min: value(0) ?? Number.NaN,
      max: value(1) ?? Number.NaN,
      first: point.summary.count,
      firstNs: timeNs,
      last: point.summary.count,
      lastNs: timeNs,
      increase: null,
      runs: null,
      sketch,
      buckets: null,
      quantiles: q,
    };
  }
  const h = point.histogram ?? { count: 0, sum: 0, min: undefined, max: undefined, bounds: [], counts: [] };
  for (const [value, count] of histogramValues(h, point.buckets)) if (count > 0) sketch.accept(value, count);
  return {
    count: h.count,
    sum: h.sum ?? 0,
    min: h.min ?? (sketch.count > 0 ? sketch.min : Number.NaN),
    max: h.max ?? (sketch.count > 0 ? sketch.max : Number.NaN),
    first: h.count,
    firstNs: timeNs,
    last: h.count,
    lastNs: timeNs,
    increase: point.temporality === 'cumulative' ? 0 : null,
    runs: null,
    sketch,
    buckets: h.bounds.length > 0 ? { bounds: h.bounds, counts: h.counts } : null,
    quantiles: null,
  };
}

/** Each populated bucket as one representative value: its middle, or its known edge. */
function histogramValues(
  h: NonNullable<MetricPoint['histogram']>,
  exponential: MetricPoint['buckets'],
): [number, number][] {
  if (exponential) return exponential.map((b) => [b.value, b.count]);
  return h.counts.map((count, i) => {
    const low = h.bounds[i - 1];
    const high = h.bounds[i];
    if (low === undefined) return [high ?? h.max ?? 0, count];
    if (high === undefined) return [h.max ?? low, count];
    return [(low + high) / 2, count];
  });
}

/** One counter step from `previous` to `next`. */
function step(previous: number, next: number, monotonic: boolean): number {
  if (!monotonic) return next - previous;
  return next >= previous ? next - previous : next;
}

/** Merges two aggregates of one series and window (either order); `into` is changed and returned. */
export function mergeAggregates(
  into: WindowAggregate,
  other: WindowAggregate,
  kind: SeriesKind,
): WindowAggregate {
  const [early] = into.firstNs <= other.firstNs ? [into, other] : [other, into];
  const latest =
    into.lastNs > other.lastNs || (into.lastNs === other.lastNs && into.last >= other.last) ? into : other;
  const snapshot = snapshots(kind);
  let increase: number | null = null;
  let runs: CounterRun[] | null = null;
  if (into.increase !== null && other.increase !== null) {
    if (counts(kind) && kind.temporality === 'cumulative') {
      runs = [...runsOf(into), ...runsOf(other)].sort((a, b) =>
        a.firstNs === b.firstNs ? Number(a.lastNs - b.lastNs) : a.firstNs < b.firstNs ? -1 : 1,
      );
      increase = runsIncrease(runs, kind.monotonic || kind.type !== 'sum');
    } else increase = into.increase + other.increase;
  }
  let sketch: Sketch | null;
  if (snapshot) sketch = latest.sketch;
  else if (!into.sketch && !other.sketch && into.count + other.count <= 2) sketch = null;
  else {
    sketch = into.sketch ?? sketchOf(into);
    mergeSketch(sketch, sketchOf(other));
  }
  const merged: WindowAggregate = {
    count: snapshot ? latest.count : into.count + other.count,
    sum: snapshot ? latest.sum : into.sum + other.sum,
    min: extreme(Math.min, into.min, other.min),
    max: extreme(Math.max, into.max, other.max),
    first: early.first,
    firstNs: early.firstNs,
    last: latest.last,
    lastNs: latest.lastNs,
    increase,
    runs,
    sketch,
    buckets: snapshot ? latest.buckets : addBuckets(into.buckets, other.buckets, latest.buckets),
    quantiles: latest.quantiles,
  };
  return Object.assign(into, merged);
}

/** The window's runs: its own, or itself as one run. */
function runsOf(a: WindowAggregate): CounterRun[] {
  return (
    a.runs ?? [
      { firstNs: a.firstNs, first: a.first, lastNs: a.lastNs, last: a.last, increase: a.increase ?? 0 },
    ]
  );
}

/** The runs' own increases and the steps between consecutive runs. */
function runsIncrease(runs: readonly CounterRun[], monotonic: boolean): number {
  let total = 0;
  runs.forEach((run, i) => {
    const previous = runs[i - 1];
    total += run.increase + (previous ? step(previous.last, run.first, monotonic) : 0);
  });
  return total;
}

/**
 * The window as one run, for the coarser window a rollup moves it to: its parts are then one
 * part there (the window's own increase already counts the steps between them).
 */
export function asOneRun(aggregate: WindowAggregate): WindowAggregate {
  return aggregate.runs ? { ...aggregate, runs: null } : aggregate;
}

/** min or max of two values where NaN means "not known" rather than poisoning the result. */
function extreme(pick: (a: number, b: number) => number, a: number, b: number): number {
  if (Number.isNaN(a)) return b;
  if (Number.isNaN(b)) return a;
  return pick(a, b);
}

function addBuckets(
  a: WindowAggregate['buckets'],
  b: WindowAggregate['buckets'],
  latest: WindowAggregate['buckets'],
): WindowAggregate['buckets'] {
  if (!a || !b) return a ?? b;
  // Boundaries changed within a window: the counts cannot be added bucket by bucket.
  if (a.bounds.length !== b.bounds.length || a.bounds.some((x, i) => x !== b.bounds[i])) return latest;
  return { bounds: a.bounds, counts: a.counts.map((c, i) => c + (b.counts[i] ?? 0)) };
}
