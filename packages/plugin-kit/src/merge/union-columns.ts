import type { ColumnType } from '../columns/column.js';
import { type AttributeKey, attributeKeysOf } from '../columns/parquet-reader.js';
import type { TypedColumn } from '../columns/parquet-writer.js';
import { widen } from '../columns/resolve-type.js';
import type { SegmentFile } from './segment-file.js';

export interface UnionColumn extends TypedColumn {
  /** Set for attribute columns: where the values came from (`lakerunner.columns`). */
  attribute?: AttributeKey;
}

/**
 * Every column of the inputs, in order of first appearance, typed to hold all of them: a type
 * that differs between inputs widens (int64 and double to double, anything else to string), as
 * on ingest.
 */
export function unionColumns(inputs: readonly SegmentFile[]): UnionColumn[] {
  const types = new Map<string, ColumnType | undefined>();
  const attributes = new Map<string, AttributeKey>();
  for (const input of inputs) {
    for (const column of input.columns) types.set(column.name, widen(types.get(column.name), column.type));
    for (const [name, ref] of attributeKeysOf(input)) attributes.set(name, ref);
  }
  return [...types].map(([name, type]) => {
    const attribute = attributes.get(name);
    return { name, type: type ?? 'string', ...(attribute ? { attribute } : {}) };
  });
}

/** `lakerunner.columns` as JSON text: attribute column → namespace and key, in column order. */
export function attributeColumnsJson(columns: readonly UnionColumn[]): string {
  const out: Record<string, AttributeKey> = {};
  for (const c of columns)
    if (c.attribute) out[c.name] = { namespace: c.attribute.namespace, key: c.attribute.key };
  return JSON.stringify(out);
}
