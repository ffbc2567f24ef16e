import type { Attributes, OtlpScope, RowContext } from '@lakerunner/plugin-kit';
import { seriesId } from '../aggregate/series-id.js';
import { pointAggregate, type WindowAggregate } from '../aggregate/window.js';
import type { MetricPoint, MetricType, Temporality } from '../record.js';

/** One series in one time window at one frequency: what a metrics segment row holds. */
export interface MetricRow {
  name: string;
  type: MetricType;
  unit: string;
  description: string;
  temporality: Temporality;
  monotonic: boolean;
  seriesId: bigint;
  /** Window start, ns. */
  windowNs: bigint;
  frequencyMs: number;
  serviceName: string | null;
  resource: Attributes;
  scope: Pick<OtlpScope, 'name' | 'version' | 'attributes'>;
  attributes: Attributes;
  aggregate: WindowAggregate;
}

export function windowStart(timeNs: bigint, frequencyMs: number): bigint {
  const width = BigInt(frequencyMs) * 1_000_000n;
  return timeNs - (((timeNs % width) + width) % width);
}

/** A point becomes a one-point row of its window at `frequencyMs` (the first tier). */
export function pointRow(point: MetricPoint, context: RowContext, frequencyMs: number): MetricRow {
  const timeNs = context.validTime(point.timeNs) ?? context.resolveTime();
  const service = point.resource.attributes.get('service.name');
  return {
    name: point.name,
    type: point.type,
    unit: point.unit,
    description: point.description,
    temporality: point.temporality,
    monotonic: point.monotonic,
    seriesId: seriesId({ ...point, resource: point.resource.attributes }),
    windowNs: windowStart(timeNs, frequencyMs),
    frequencyMs,
    serviceName: typeof service === 'string' && service !== '' ? service : null,
    resource: point.resource.attributes,
    scope: point.scope,
    attributes: point.attributes,
    aggregate: pointAggregate(point, timeNs),
  };
}
