import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fnv1a64 } from '../src/hash.js';

/** The algorithm as written in its comment, in plain BigInt arithmetic: slow, but obviously right. */
function reference(text: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    h = BigInt.asUintN(64, (h ^ BigInt(byte)) * 0x100000001b3n);
  }
  return BigInt.asIntN(64, h);
}

/** Any UTF-16 code unit, lone surrogates included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

describe('FNV-1a 64', () => {
  it('gives the published test vectors, as signed 64-bit values', () => {
    expect(BigInt.asUintN(64, fnv1a64(''))).toBe(0xcbf29ce484222325n);
    expect(BigInt.asUintN(64, fnv1a64('a'))).toBe(0xaf63dc4c8601ec8cn);
    expect(BigInt.asUintN(64, fnv1a64('foobar'))).toBe(0x85944171f73967e8n);
    expect(fnv1a64('')).toBe(-3750763034362895579n);
    expect(fnv1a64('a')).toBe(-5808556873153909620n);
  });

  it('hashes the UTF-8 bytes: two-, three- and four-byte characters and lone surrogates', () => {
    for (const text of ['é', '€', '😀', 'ü€😀', '\ud800', 'a\udc00b', '\ud83d']) {
      expect(fnv1a64(text)).toBe(reference(text));
    }
  });

  it('agrees with the plain BigInt algorithm on any string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: codeUnit })), (text) => {
        expect(fnv1a64(text)).toBe(reference(text));
      }),
      { numRuns: 500 },
    );
  });
});
