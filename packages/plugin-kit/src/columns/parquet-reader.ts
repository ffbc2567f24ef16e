import { type Data, type DataType, type Table, Type, tableFromIPC } from 'apache-arrow';
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

/**
 * Every column of an Arrow table as plain values (see readSegment). Values are read straight
 * from the Arrow buffers (a string per value decoded from its bytes, fixed-width values by
 * index): Arrow's own accessors cost several calls per value, most of a merge's reading time.
 */
export function tableColumns(table: Table): Map<string, ReadColumn> {
  const columns = new Map<string, ReadColumn>();
  for (const field of table.schema.fields) {
    const vector = table.getChild(field.name);
    if (!vector) continue;
    const type = columnTypeOf(field.type);
    const values: unknown[] = new Array(table.numRows);
    let at = 0;
    for (const data of vector.data) {
      readData(data, field.type, values, at, (i) => vector.get(i));
      at += data.length;
    }
    columns.set(field.name, { type, values });
  }
  return columns;
}

/** One Arrow chunk's values into `out` from `at`; `get` reads a value of a type not handled here. */
function readData(data: Data, type: DataType, out: unknown[], at: number, get: (i: number) => unknown) {
  const n = data.length;
  const bitmap = data.nullCount > 0 ? data.nullBitmap : undefined;
  const bit = data.offset;
  const valid = (i: number) =>
    bitmap === undefined || ((bitmap[(bit + i) >> 3] as number) & (1 << ((bit + i) & 7))) !== 0;
  // Fixed-width values and offsets start at the chunk's first row, sliced or not; the bytes of
  // strings and the bits of booleans do not.
  switch (type.typeId) {
    case Type.Utf8:
    case Type.LargeUtf8: {
      const bytes = data.values as Uint8Array;
      // Node's own decoder, without toString's argument checks per value.
      const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as Buffer & {
        utf8Slice(start: number, end: number): string;
      };
      const offsets = data.valueOffsets as Int32Array | BigInt64Array;
      const large = type.typeId === Type.LargeUtf8;
      // A value equal to the one before it (sorted and constant columns: most of a segment's)
      // is the same string, not a new one: less to allocate and to collect.
      let previous = '';
      let previousStart = 0;
      let previousEnd = 0;
      for (let i = 0; i < n; i++) {
        if (!valid(i)) {
          out[at + i] = null;
          continue;
        }
        const start = large ? Number(offsets[i]) : (offsets[i] as number);
        const end = large ? Number(offsets[i + 1]) : (offsets[i + 1] as number);
        if (!sameBytes(bytes, start, end, previousStart, previousEnd)) {
          previous = text.utf8Slice(start, end);
          previousStart = start;
          previousEnd = end;
        }
        out[at + i] = previous;
      }
      return;
    }
    case Type.Int:
    case Type.Float:
    case Type.Timestamp: {
      if (type.typeId === Type.Int && ![32, 64].includes((type as unknown as { bitWidth: number }).bitWidth))
        break;
      if (type.typeId === Type.Float && (type as unknown as { precision: number }).precision !== 2) break;
      const raw = data.values as ArrayLike<unknown>;
      for (let i = 0; i < n; i++) out[at + i] = valid(i) ? raw[i] : null;
      return;
    }
    case Type.Bool: {
      const bits = data.values as Uint8Array;
      for (let i = 0; i < n; i++)
        out[at + i] = valid(i) ? ((bits[(bit + i) >> 3] as number) & (1 << ((bit + i) & 7))) !== 0 : null;
      return;
    }
  }
  for (let i = 0; i < n; i++) out[at + i] = valid(i) ? get(at + i) : null;
}

function sameBytes(bytes: Uint8Array, start: number, end: number, otherStart: number, otherEnd: number) {
  if (end - start !== otherEnd - otherStart) return false;
  for (let i = 0; i < end - start; i++) if (bytes[start + i] !== bytes[otherStart + i]) return false;
  return true;
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

const attributeKeyCache = new WeakMap<Map<string, string>, Map<string, AttributeKey>>();

/**
 * Column name → the attribute it holds, from the segment's `lakerunner.columns` metadata (which
 * the segment encoder writes), read once per metadata map: the batches a merge reads of one file
 * share it.
 */
export function attributeKeysOf(segment: Pick<ReadSegment, 'metadata'>): Map<string, AttributeKey> {
  let keys = attributeKeyCache.get(segment.metadata);
  if (!keys) {
    const raw = segment.metadata.get('lakerunner.columns');
    keys = new Map(raw ? Object.entries(JSON.parse(raw) as Record<string, AttributeKey>) : []);
    attributeKeyCache.set(segment.metadata, keys);
  }
  return keys;
}
