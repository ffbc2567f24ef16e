import { fnv1a64 } from '@lakerunner/plugin-kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint, messageTemplate } from '../../src/fingerprint/index.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const word = fc.constantFrom(
  'connection',
  'node',
  'failed',
  'partition',
  'offset',
  'retry',
  'took',
  'user',
  'lag',
);
// Separators that do not join numbers into another shape: `1:2:3` is a time, `2026-11-29` a date,
// `1.2.3.4` an address, and those are meant to be masked as such.
const separator = fc.constantFrom(' ', ', ', ' = ', '=', ': ', ' (', ') ', ' [', '] ', ' / ');
const number = fc
  .tuple(
    fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
    fc.option(fc.nat({ max: 99_999 })),
    fc.constantFrom('', 'ms', 's', 'KB', 'MiB', '%'),
  )
  .map(([whole, fraction, unit]) => `${whole}${fraction === null ? '' : `.${fraction}`}${unit}`);

/** A message shape: words and number slots, and the separators between them. */
const shape = fc.record({
  parts: fc.array(fc.option(word, { nil: undefined }), { minLength: 1, maxLength: 10 }),
  separators: fc.array(separator, { minLength: 10, maxLength: 10 }),
});

function render(
  { parts, separators }: { parts: (string | undefined)[]; separators: string[] },
  numbers: string[],
): string {
  return parts.map((part, i) => `${part ?? numbers[i]}${separators[i]}`).join('');
}

describe('properties', () => {
  it('is deterministic: same message, same template and fingerprint', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (message) => {
        const copy = [...message].join('');
        expect(messageTemplate(copy)).toBe(messageTemplate(message));
        expect(fingerprint(copy)).toBe(fingerprint(message));
        expect(fingerprint(message)).toBe(fnv1a64(messageTemplate(message)));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the fingerprint when any number is replaced by another', () => {
    const numbers = fc.array(number, { minLength: 10, maxLength: 10 });
    fc.assert(
      fc.property(shape, numbers, numbers, (s, a, b) => {
        expect(messageTemplate(render(s, b))).toBe(messageTemplate(render(s, a)));
        expect(fingerprint(render(s, b))).toBe(fingerprint(render(s, a)));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the fingerprint when an address, an id or a time changes', () => {
    const octet = fc.nat({ max: 255 });
    const ip = fc
      .tuple(octet, octet, octet, octet, fc.nat({ max: 65535 }))
      .map((o) => `${o.slice(0, 4).join('.')}:${o[4]}`);
    const hex = fc.stringMatching(/^[0-9a-f]{32}$/).filter((h) => /[a-f]/.test(h) && /\d/.test(h));
    const uuid = fc.uuid();
    const time = fc
      .date({ min: new Date(0), max: new Date(4102444800000), noInvalidDate: true })
      .map((d) => d.toISOString());
    const line = ([when, from, trace, id]: [string, string, string, string]) =>
      `${when} WARN request ${id} from ${from} failed (trace ${trace})`;
    const values = fc.tuple(time, ip, hex, uuid);
    fc.assert(
      fc.property(values, values, (a, b) => {
        expect(fingerprint(line(b))).toBe(fingerprint(line(a)));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws and stays fast on arbitrary text, returning a signed 64-bit value', () => {
    // Characters the masker treats specially, so the generator lands on its edge cases often.
    const tricky = fc.constantFrom(
      ...'"\'\\ .,:;-+_/@%{}[]()<>x0123456789abcdefvTZ\u001b\u009b\n\r\t'.split(''),
    );
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 3000 }),
      fc.string({ unit: tricky, maxLength: 3000 }),
    );
    fc.assert(
      fc.property(text, (message) => {
        const start = performance.now();
        const value = fingerprint(message);
        expect(performance.now() - start).toBeLessThan(50);
        expect(value >= INT64_MIN && value <= INT64_MAX).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
