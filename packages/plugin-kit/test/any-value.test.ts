import { isLakerunnerError } from '@lakerunner/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyValueToJson, anyValueToText, jsonToAnyValue } from '../src/any-value.js';
import type { AnyValue } from '../src/values.js';

/** AnyValues that survive JSON text unchanged: no bytes, no whole doubles, int64 within 2^53. */
const faithful: fc.Arbitrary<AnyValue> = fc.letrec<{ value: AnyValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string({ unit: 'binary' }),
    fc.boolean(),
    fc.constant(null),
    fc.bigInt({ min: BigInt(Number.MIN_SAFE_INTEGER), max: BigInt(Number.MAX_SAFE_INTEGER) }),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)),
    fc.array(tie('value'), { maxLength: 4 }),
    fc
      .uniqueArray(fc.tuple(fc.string({ unit: 'binary' }), tie('value')), {
        selector: ([k]) => k,
        maxLength: 4,
      })
      .map((entries) => new Map(entries)),
  ),
})).value;

function limitError(run: () => unknown) {
  try {
    run();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('anyValueToJson', () => {
  it.each<[string, AnyValue, string]>([
    ['null', null, 'null'],
    ['a string with quotes', 'say "hi"\n', '"say \\"hi\\"\\n"'],
    ['true', true, 'true'],
    ['false', false, 'false'],
    ['an int64 beyond 2^53, exactly', 9007199254740993n, '9007199254740993'],
    [
      'the int64 extremes',
      [9223372036854775807n, -9223372036854775808n],
      '[9223372036854775807,-9223372036854775808]',
    ],
    ['a double', 1.5, '1.5'],
    ['a whole double', 2, '2'],
    ['NaN as its name', Number.NaN, '"NaN"'],
    ['Infinity as its name', Number.POSITIVE_INFINITY, '"Infinity"'],
    ['-Infinity as its name', Number.NEGATIVE_INFINITY, '"-Infinity"'],
    ['bytes as base64', new Uint8Array([0, 1, 255]), '"AAH/"'],
    ['empty bytes', new Uint8Array(), '""'],
    ['an empty array', [], '[]'],
    ['an empty kvlist', new Map(), '{}'],
    [
      'nested kvlists and arrays, keys in their order',
      new Map<string, AnyValue>([
        ['z', [1n, new Map<string, AnyValue>([['b', null]]), 'x']],
        ['a', new Map<string, AnyValue>([['q"', true]])],
      ]),
      '{"z":[1,{"b":null},"x"],"a":{"q\\"":true}}',
    ],
  ])('%s', (_, value, want) => {
    expect(anyValueToJson(value)).toBe(want);
  });

  it('always produces valid JSON (property)', () => {
    const any: fc.Arbitrary<AnyValue> = fc.letrec<{ v: AnyValue }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.string({ unit: 'binary' }),
        fc.double(),
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        fc.uint8Array({ maxLength: 8 }),
        fc.array(tie('v'), { maxLength: 3 }),
        fc.array(fc.tuple(fc.string(), tie('v')), { maxLength: 3 }).map((e) => new Map(e)),
      ),
    })).v;
    fc.assert(
      fc.property(any, (v) => {
        expect(() => JSON.parse(anyValueToJson(v))).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});

describe('jsonToAnyValue', () => {
  it('turns whole numbers into int64 and others into doubles', () => {
    expect(jsonToAnyValue(3, 8)).toBe(3n);
    expect(jsonToAnyValue(-7, 8)).toBe(-7n);
    expect(jsonToAnyValue(0, 8)).toBe(0n);
    expect(jsonToAnyValue(Number.MAX_SAFE_INTEGER, 8)).toBe(9007199254740991n);
    expect(jsonToAnyValue(1.5, 8)).toBe(1.5);
    expect(jsonToAnyValue(-0.25, 8)).toBe(-0.25);
    // Beyond 2^53 a JSON number is no longer known to be exact, so it stays a double.
    expect(jsonToAnyValue(2 ** 53, 8)).toBe(2 ** 53);
    expect(jsonToAnyValue(1e300, 8)).toBe(1e300);
  });

  it('keeps strings, booleans, bigints and bytes, and maps null and undefined to null', () => {
    const bytes = new Uint8Array([1, 2]);
    expect(jsonToAnyValue('x', 8)).toBe('x');
    expect(jsonToAnyValue(false, 8)).toBe(false);
    expect(jsonToAnyValue(2n ** 64n, 8)).toBe(2n ** 64n);
    expect(jsonToAnyValue(bytes, 8)).toBe(bytes);
    expect(jsonToAnyValue(null, 8)).toBeNull();
    expect(jsonToAnyValue(undefined, 8)).toBeNull();
    expect(jsonToAnyValue(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)), 8)).toBe('2026-01-02T03:04:05.006Z');
  });

  it('turns objects and Maps into kvlists in key order, and arrays into arrays', () => {
    const value = jsonToAnyValue(JSON.parse('{"b":[1,"x",null,{"c":true}],"a":{}}'), 8);
    expect(value).toEqual(
      new Map<string, AnyValue>([
        ['b', [1n, 'x', null, new Map([['c', true]])]],
        ['a', new Map()],
      ]),
    );
    expect([...(value as Map<string, AnyValue>).keys()]).toEqual(['b', 'a']);
    expect(jsonToAnyValue(new Map<unknown, unknown>([[1, 2.5]]), 8)).toEqual(new Map([['1', 2.5]]));
  });

  it('allows nesting up to maxDepth and fails past it with LR_INPUT_LIMIT', () => {
    expect(jsonToAnyValue({ a: { b: 1 } }, 2)).toEqual(new Map([['a', new Map([['b', 1n]])]]));
    expect(jsonToAnyValue([[1]], 2)).toEqual([[1n]]);
    const err = limitError(() => jsonToAnyValue({ a: { b: [] } }, 2));
    expect(isLakerunnerError(err) && err.code).toBe('LR_INPUT_LIMIT');
    expect((err as Error).message).toBe('value nested deeper than limits.maxDepth (2)');
    expect(isLakerunnerError(limitError(() => jsonToAnyValue([[[]]], 2)))).toBe(true);
  });

  it('refuses 100,000 levels of nesting without exhausting the stack', () => {
    let array: unknown = [];
    let object: unknown = {};
    for (let i = 0; i < 100_000; i++) {
      array = [array];
      object = { k: object };
    }
    for (const deep of [array, object]) {
      const err = limitError(() => jsonToAnyValue(deep, 64));
      expect(isLakerunnerError(err) && err.code).toBe('LR_INPUT_LIMIT');
    }
  });

  it('round-trips through JSON text, keys in order (property)', () => {
    fc.assert(
      fc.property(faithful, (value) => {
        const json = anyValueToJson(value);
        const back = jsonToAnyValue(JSON.parse(json), 1000);
        expect(anyValueToJson(back)).toBe(json);
        expect(back).toEqual(value);
      }),
      { numRuns: 300 },
    );
  });

  it('loses only what JSON cannot say: bytes, whole doubles, non-finite doubles', () => {
    const back = (v: AnyValue) => jsonToAnyValue(JSON.parse(anyValueToJson(v)), 8);
    expect(back(new Uint8Array([0, 1, 255]))).toBe('AAH/');
    expect(back(2)).toBe(2n);
    expect(back(Number.NaN)).toBe('NaN');
    expect(back(Number.NEGATIVE_INFINITY)).toBe('-Infinity');
  });
});

describe('anyValueToText', () => {
  it.each<[string, AnyValue, string]>([
    ['a string as it is', 'a "b"', 'a "b"'],
    ['bytes as bare base64', new Uint8Array([0, 1, 255]), 'AAH/'],
    ['an int64 exactly', 9007199254740993n, '9007199254740993'],
    ['a double', 1.5, '1.5'],
    ['NaN', Number.NaN, 'NaN'],
    ['a boolean', true, 'true'],
    ['null as JSON', null, 'null'],
    ['an array as JSON', [1n, 'x'], '[1,"x"]'],
    ['a kvlist as JSON', new Map<string, AnyValue>([['k', 1.5]]), '{"k":1.5}'],
  ])('%s', (_, value, want) => {
    expect(anyValueToText(value)).toBe(want);
  });
});
