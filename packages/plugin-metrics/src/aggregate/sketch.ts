import { DDSketch } from '@datadog/sketches-js';

/**
 * DDSketch with 1 % relative accuracy: quantiles of a window's values, mergeable across windows
 * and tiers without losing accuracy. Stored as Datadog's sketch protobuf (readable by the
 * sketches-go/java/py libraries too); its count, sum, min and max are kept beside it, because
 * the protobuf form does not carry them.
 */
export const RELATIVE_ACCURACY = 0.01;

export type Sketch = DDSketch;

export function newSketch(): Sketch {
  return new DDSketch({ relativeAccuracy: RELATIVE_ACCURACY });
}

export function sketchToBytes(sketch: Sketch): Uint8Array {
  return sketch.toProto();
}

export function sketchFromBytes(bytes: Uint8Array): Sketch {
  return DDSketch.fromProto(bytes);
}

/**
 * Merges `other` into `into`. @datadog/sketches-js 2.1.1 merges only the positive values' store
 * (its `merge` forgets `negativeStore` while adding the counts), which skews every quantile of a
 * series with negative values: the negative store is merged here as well.
 */
export function mergeSketch(into: Sketch, other: Sketch): void {
  const wasEmpty = into.count === 0;
  into.merge(other);
  // Into an empty sketch, `merge` copies both stores; otherwise the negative one is left out.
  if (wasEmpty || other.count === 0) return;
  (into as unknown as { negativeStore: { merge(s: unknown): void } }).negativeStore.merge(
    (other as unknown as { negativeStore: unknown }).negativeStore,
  );
}
