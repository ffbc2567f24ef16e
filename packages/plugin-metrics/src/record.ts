import type { Attributes, OtlpResource, OtlpScope } from '@lakerunner/plugin-kit';

/**
 * One data point as a metrics codec reads it: the point with its metric's identity, resource and
 * scope. What it contributes to its window depends on the type (see aggregate/window.ts).
 */
export type MetricType = 'gauge' | 'sum' | 'histogram' | 'exponential_histogram' | 'summary';
export type Temporality = 'delta' | 'cumulative' | '';

export interface MetricPoint {
  /** `<request>.<resource>.<scope>.<metric>.<point>` in its object. */
  position: string;
  name: string;
  type: MetricType;
  unit: string;
  description: string;
  temporality: Temporality;
  monotonic: boolean;
  resource: OtlpResource;
  scope: OtlpScope;
  attributes: Attributes;
  timeNs: bigint;
  /** Gauges and sums. */
  value?: number;
  /** Histograms (explicit buckets: `bounds` upper bounds, `counts` one more than bounds). */
  histogram?: {
    count: number;
    sum: number | undefined;
    min: number | undefined;
    max: number | undefined;
    bounds: number[];
    counts: number[];
  };
  /** Exponential histograms, as representative values with their counts. */
  buckets?: { value: number; count: number }[];
  /** Summaries. */
  summary?: { count: number; sum: number; quantiles: { quantile: number; value: number }[] };
}
