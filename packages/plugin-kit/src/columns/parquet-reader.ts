import { type DataType, type Table, Type, tableFromIPC } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import type { ColumnType } from './column.js';

/** One column of a segment read back: its type and every row's value (null when absent). */
export interface ReadColumn {
  type: ColumnType;
  values: unknown[];
}

export interface ReadSegment {
  rows: number;
  columns: Map<string, ReadColumn>;
  /** The file's key-value metadata. */
  metadata: Map<string, string>;
}

/**
 * Reads a segment written by writeParquet back into plain values of the same types: int64 and
 * timestamps as exact bigints (Arrow's own accessor turns nanosecond timestamps into float
 * milliseconds), strings, numbers, booleans and bytes as they are.
 */
export function readSegment(bytes: Uint8Array): ReadSegment {
  const table = tableFromIPC(readParquet(bytes, { batchSize: 65_536 }).intoIPCStream());
  return { rows: table.numRows, columns: tableColumns(table), metadata: table.schema.metadata };
}

/** Every column of an Arrow table as plain values (see readSegment). */
export function tableColumns(table: Table): Map<string, ReadColumn> {
  const columns = new Map<string, ReadColumn>();
  for (const field of table.schema.fields) {
    const vector = table.getChild(field.name);
    if (!vector) continue;
    const type = columnTypeOf(field.type);
    const values: unknown[] = new Array(table.numRows);
    let at = 0;
    for (const data of vector.data) {
      const raw = type === 'int64' || type === 'timestamp' ? (data.values as BigInt64Array) : undefined;
      for (let i = 0; i < data.length; i++, at++) {
        if (data.nullCount > 0 && !data.getValid(i)) values[at] = null;
        // A fixed-width values buffer starts at the data's first row, sliced or not.
        else if (raw) values[at] = raw[i];
        else values[at] = vector.get(at);
      }
    }
    columns.set(field.name, { type, values });
  }
  return columns;
}

/** The segment column type an Arrow type is read as. */
export function columnTypeOf(type: DataType): ColumnType {
  switch (type.typeId) {
    case Type.Utf8:
    case Type.LargeUtf8:
      return 'string';
    case Type.Int:
      return (type as unknown as { bitWidth: number }).bitWidth === 64 ? 'int64' : 'int32';
    case Type.Float:
      return 'double';
    case Type.Bool:
      return 'bool';
    case Type.Binary:
    case Type.LargeBinary:
      return 'binary';
    case Type.Timestamp:
      return 'timestamp';
    default:
      return 'string';
  }
}

/** Where an attribute column's values came from: the namespace (resource, scope…) and the key. */
export interface AttributeKey {
  namespace: string;
  key: string;
}

const attributeKeyCache = new WeakMap<ReadSegment, Map<string, AttributeKey>>();

/**
 * Column name → the attribute it holds, from the segment's `lakerunner.columns` metadata (which
 * the segment encoder writes), read once per segment.
 */
export function attributeKeysOf(segment: ReadSegment): Map<string, AttributeKey> {
  let keys = attributeKeyCache.get(segment);
  if (!keys) {
    const raw = segment.metadata.get('lakerunner.columns');
    keys = new Map(raw ? Object.entries(JSON.parse(raw) as Record<string, AttributeKey>) : []);
    attributeKeyCache.set(segment, keys);
  }
  return keys;
}
