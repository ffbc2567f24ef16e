import { describe, expect, it } from 'vitest';
import type { ColumnType } from '../src/columns/column.js';
import { coerce, typeOfValue, widen } from '../src/columns/resolve-type.js';
import type { AnyValue } from '../src/values.js';

describe('typeOfValue', () => {
  it.each<[string, AnyValue, ColumnType | undefined]>([
    ['string', 'x', 'string'],
    ['boolean', false, 'bool'],
    ['bigint', 1n, 'int64'],
    ['number', 1, 'double'],
    ['bytes', new Uint8Array(), 'binary'],
    ['array', [], 'string'],
    ['kvlist', new Map(), 'string'],
    ['null', null, undefined],
  ])('%s → %s', (_, value, want) => {
    expect(typeOfValue(value)).toBe(want);
  });
});

describe('widen', () => {
  const all: ColumnType[] = ['string', 'int64', 'int32', 'double', 'bool', 'binary', 'timestamp'];

  it('keeps a shared type and ignores absent values', () => {
    for (const t of all) {
      expect(widen(t, t)).toBe(t);
      expect(widen(undefined, t)).toBe(t);
      expect(widen(t, undefined)).toBe(t);
    }
    expect(widen(undefined, undefined)).toBeUndefined();
  });

  it('widens numbers to the wider number, anything else to string, symmetrically', () => {
    const want = (a: ColumnType, b: ColumnType): ColumnType => {
      if (a === b) return a;
      const numeric = ['int32', 'int64', 'double'];
      if (numeric.includes(a) && numeric.includes(b))
        return a === 'double' || b === 'double' ? 'double' : 'int64';
      return 'string';
    };
    for (const a of all) for (const b of all) expect([a, b, widen(a, b)]).toEqual([a, b, want(a, b)]);
  });
});

describe('coerce', () => {
  it('gives null for absent values of any type', () => {
    expect(coerce(null, 'int64')).toBeNull();
    expect(coerce(undefined, 'string')).toBeNull();
  });

  it('converts to the widened type', () => {
    expect(coerce(9007199254740993n, 'string')).toBe('9007199254740993');
    expect(coerce(new Uint8Array([255]), 'string')).toBe('/w==');
    expect(coerce([1n], 'string')).toBe('[1]');
    expect(coerce(true, 'string')).toBe('true');
    expect(coerce(3n, 'double')).toBe(3);
    expect(coerce(7, 'int64')).toBe(7n);
    expect(coerce(5, 'timestamp')).toBe(5n);
    expect(coerce(1.5, 'double')).toBe(1.5);
    expect(coerce(true, 'bool')).toBe(true);
  });
});
