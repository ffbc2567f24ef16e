import { anyValueToText } from '../any-value.js';
import type { AnyValue } from '../values.js';
import type { ColumnType } from './column.js';

/**
 * The type a dynamic column takes from its values: the one they share, double for a mix of int64
 * and double (a numeric widening every engine does), string for any other mix (every value is
 * kept, as text). Arrays and kvlists are JSON text. Undefined when the column holds no value.
 */
export function typeOfValue(value: AnyValue): ColumnType | undefined {
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int64';
    case 'number':
      return 'double';
  }
  if (value === null || value === undefined) return undefined;
  return value instanceof Uint8Array ? 'binary' : 'string';
}

export function widen(a: ColumnType | undefined, b: ColumnType | undefined): ColumnType | undefined {
  if (a === undefined || a === b) return b;
  if (b === undefined) return a;
  const numeric = (t: ColumnType) => t === 'int64' || t === 'double' || t === 'int32';
  if (numeric(a) && numeric(b)) return a === 'double' || b === 'double' ? 'double' : 'int64';
  return 'string';
}

/** A value converted to the column's type (after widening); null when absent. */
export function coerce(value: unknown, type: ColumnType): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'string':
      return typeof value === 'string' ? value : anyValueToText(value as AnyValue);
    case 'double':
      return typeof value === 'number' ? value : Number(value);
    case 'int64':
    case 'timestamp':
      return typeof value === 'bigint' ? value : BigInt(value as number);
    default:
      return value;
  }
}
