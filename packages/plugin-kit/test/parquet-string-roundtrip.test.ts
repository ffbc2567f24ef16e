import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSegment } from '../src/columns/parquet-reader.js';
import { writeParquet } from '../src/columns/parquet-writer.js';

type Row = { v: string | null; i: number };

/** The string as UTF-8 gives it back: lone surrogates become U+FFFD. */
const wellFormed = (s: string) => new TextDecoder().decode(new TextEncoder().encode(s));

// Strings are written in one call when all are ASCII and read back reusing a value equal to the
// one before it: both shortcuts must give back exactly what was written.
describe('string columns written and read back', () => {
  it('returns every value as written: runs of equal values, empty strings, nulls, any Unicode', async () => {
    const value = fc.oneof(
      fc.constantFrom('', 'a', 'ab', 'b', 'é', '😀', null),
      fc.string({ maxLength: 6 }),
      fc.string({ unit: 'binary', maxLength: 4 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(value, fc.integer({ min: 1, max: 4 })), { minLength: 1, maxLength: 60 }),
        async (runs) => {
          const values = runs.flatMap(([v, n]) => Array.from({ length: n }, () => v));
          const read = readSegment(
            await writeParquet(
              values.map((v, i) => ({ v, i })),
              [
                { name: 'v', type: 'string', get: (r: Row) => r.v },
                { name: 'i', type: 'int32', get: (r: Row) => r.i },
              ],
            ),
          );
          expect(read.columns.get('v')?.values).toEqual(
            values.map((v) => (v === null ? null : wellFormed(v))),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
