import {
  Binary,
  Bool,
  Float64,
  Int32,
  Int64,
  makeData,
  makeVector,
  TimestampNanosecond,
  Utf8,
  type Vector,
} from 'apache-arrow';
import type { ColumnType } from './column.js';

/**
 * Arrow vectors built straight into typed buffers: vectorFromArray was measured an order of
 * magnitude slower for strings. `values` are already of the column's type, or null.
 */
export function buildVector(type: ColumnType, values: readonly unknown[]): Vector {
  const length = values.length;
  const validity = new Uint8Array((length + 7) >> 3);
  let nullCount = 0;
  for (let i = 0; i < length; i++) {
    if (values[i] === null || values[i] === undefined) nullCount++;
    else validity[i >> 3] = (validity[i >> 3] as number) | (1 << (i & 7));
  }
  const nulls = nullCount > 0 ? { nullBitmap: validity, nullCount } : {};
  switch (type) {
    case 'string':
      return (
        asciiStrings(values, nulls) ??
        variableWidth(
          new Utf8(),
          values,
          nulls,
          (v) => Buffer.byteLength(v as string, 'utf8'),
          (buf, v, at) => buf.write(v as string, at, 'utf8'),
        )
      );
    case 'binary':
      return variableWidth(
        new Binary(),
        values,
        nulls,
        (v) => (v as Uint8Array).length,
        (buf, v, at) => buf.set(v as Uint8Array, at),
      );
    case 'int64':
    case 'timestamp': {
      const data = new BigInt64Array(length);
      for (let i = 0; i < length; i++) data[i] = (values[i] as bigint | null) ?? 0n;
      return type === 'int64'
        ? makeVector(makeData({ type: new Int64(), length, data, ...nulls }))
        : makeVector(makeData({ type: new TimestampNanosecond('UTC'), length, data, ...nulls }));
    }
    case 'int32': {
      const data = new Int32Array(length);
      for (let i = 0; i < length; i++) data[i] = (values[i] as number | null) ?? 0;
      return makeVector(makeData({ type: new Int32(), length, data, ...nulls }));
    }
    case 'double': {
      const data = new Float64Array(length);
      for (let i = 0; i < length; i++) data[i] = (values[i] as number | null) ?? 0;
      return makeVector(makeData({ type: new Float64(), length, data, ...nulls }));
    }
    case 'bool': {
      const data = new Uint8Array((length + 7) >> 3);
      for (let i = 0; i < length; i++)
        if (values[i] === true) data[i >> 3] = (data[i >> 3] as number) | (1 << (i & 7));
      return makeVector(makeData({ type: new Bool(), length, data, ...nulls }));
    }
  }
}

function variableWidth<T extends Utf8 | Binary>(
  type: T,
  values: readonly unknown[],
  nulls: { nullBitmap?: Uint8Array; nullCount?: number },
  size: (value: unknown) => number,
  write: (buffer: Buffer, value: unknown, at: number) => void,
): Vector<T> {
  // Measure first, then write every value into one buffer: no per-value allocations.
  const offsets = new Int32Array(values.length + 1);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) total += size(v);
    offsets[i + 1] = total;
  }
  const data = Buffer.allocUnsafe(total);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) write(data, v, offsets[i] as number);
  }
  // makeData's overloads cannot narrow a generic Utf8 | Binary; both take the same props.
  const props = { type, length: values.length, valueOffsets: offsets, data, ...nulls } as never;
  return makeVector(makeData(props)) as unknown as Vector<T>;
}

/**
 * Strings that are all ASCII (most columns' values) encoded in one call: one byte per character,
 * so the offsets are the strings' lengths. Undefined when some string is not ASCII.
 */
function asciiStrings(
  values: readonly unknown[],
  nulls: { nullBitmap?: Uint8Array; nullCount?: number },
): Vector<Utf8> | undefined {
  const offsets = new Int32Array(values.length + 1);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // join() below writes null and undefined as nothing; anything else would not be a string.
    if (typeof v === 'string') total += v.length;
    else if (v !== null && v !== undefined) return undefined;
    offsets[i + 1] = total;
  }
  const joined = values.join('');
  const data = Buffer.from(joined, 'utf8');
  // Any other character takes more UTF-8 bytes than UTF-16 units.
  if (data.length !== joined.length) return undefined;
  const props = { type: new Utf8(), length: values.length, valueOffsets: offsets, data, ...nulls };
  return makeVector(makeData(props));
}
