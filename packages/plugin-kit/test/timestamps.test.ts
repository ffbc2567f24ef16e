import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dateintOfNanos,
  fromAnyDate,
  fromCanonicalDate,
  parseTimestamp,
  timeBounds,
  withinBounds,
} from '../src/timestamps.js';

/** Nanoseconds of a UTC wall-clock time (month 1-based), plus nanoseconds of the second. */
function utc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, nanos = 0n): bigint {
  return BigInt(Date.UTC(y, mo - 1, d, h, mi, s)) * 1_000_000n + nanos;
}

const T = utc(2026, 11, 29, 12, 17, 10);
const HOUR = 3_600_000_000_000n;

describe('parseTimestamp of numbers, by magnitude', () => {
  it.each<[number, bigint]>([
    [1, 1_000_000_000n],
    [1_700_000_000, 1_700_000_000_000_000_000n],
    [1_700_000_000.5, 1_700_000_000_500_000_000n],
    [99_999_999_999, 99_999_999_999_000_000_000n],
    [1e11, 100_000_000_000_000_000n],
    [1_700_000_000_123, 1_700_000_000_123_000_000n],
    [1_700_000_000_123.5, 1_700_000_000_123_500_000n],
    [1e14, 100_000_000_000_000_000n],
    [1_700_000_000_123_456, 1_700_000_000_123_456_000n],
    [1e17, 100_000_000_000_000_000n],
    [Number(1_700_000_000_123_456_768n), 1_700_000_000_123_456_768n],
    [9.19e18, 9_190_000_000_000_000_000n],
  ])('%d → %d ns', (input, want) => {
    expect(parseTimestamp(input)).toBe(want);
  });

  it.each([0, -0, -5, -1_700_000_000, 9.2e18, 9.3e18, 1e22, Number.NaN, Infinity, -Infinity])(
    'rejects %d',
    (input) => {
      expect(parseTimestamp(input)).toBeUndefined();
    },
  );

  it('takes a bigint as nanoseconds, positive only', () => {
    expect(parseTimestamp(1_700_000_000_123_456_789n)).toBe(1_700_000_000_123_456_789n);
    expect(parseTimestamp(1n)).toBe(1n);
    expect(parseTimestamp(0n)).toBeUndefined();
    expect(parseTimestamp(-5n)).toBeUndefined();
  });

  it('is not fooled by other types', () => {
    for (const v of [null, undefined, true, {}, [1_700_000_000], new Date(0)]) {
      expect(parseTimestamp(v)).toBeUndefined();
    }
  });
});

describe('parseTimestamp of strings', () => {
  it.each<[string, bigint]>([
    ['1700000000', 1_700_000_000_000_000_000n],
    ['1700000000123', 1_700_000_000_123_000_000n],
    ['1700000000123456', 1_700_000_000_123_456_000n],
    // From 1e17 on, digits are nanoseconds, exactly (no detour through a double).
    ['100000000000000000', 100_000_000_000_000_000n],
    ['1700000000123456789', 1_700_000_000_123_456_789n],
    ['1700000000.25', 1_700_000_000_250_000_000n],
    ['1700000000123.5', 1_700_000_000_123_500_000n],
  ])('digits %s → %d ns', (input, want) => {
    expect(parseTimestamp(input)).toBe(want);
  });

  it.each<[string, bigint]>([
    ['2026-11-29T12:17:10Z', T],
    ['2026-11-29T12:17:10z', T],
    ['2026-11-29T12:17:10', T],
    ['2026-11-29 12:17:10 UTC', T],
    ['  2026-11-29T12:17:10Z  ', T],
    ['2026-11-29T12:17:10.1Z', T + 100_000_000n],
    ['2026-11-29T12:17:10.12Z', T + 120_000_000n],
    ['2026-11-29T12:17:10.123Z', T + 123_000_000n],
    ['2026-11-29T12:17:10.123456Z', T + 123_456_000n],
    ['2026-11-29T12:17:10.123456789Z', T + 123_456_789n],
    ['2026-11-29T12:17:10.000000001Z', T + 1n],
    ['2026-11-29T14:17:10+02:00', T],
    ['2026-11-29T14:17:10+0200', T],
    ['2026-11-29T14:17:10+02', T],
    ['2026-11-29T06:47:10-05:30', T],
    ['2026-11-29T17:47:10.5+05:30', T + 500_000_000n],
    ['2026-11-29 12:17:10,607', T + 607_000_000n],
    ['2026-11-29T12:17Z', utc(2026, 11, 29, 12, 17)],
    ['2026-11-29', utc(2026, 11, 29)],
    ['2024-02-29T23:59:59.999999999Z', utc(2024, 2, 29, 23, 59, 59, 999_999_999n)],
    ['2026-11-30T01:17:10+13:00', T],
  ])('date %s', (input, want) => {
    expect(parseTimestamp(input)).toBe(want);
  });

  it.each([
    '',
    ' ',
    '-5',
    '+5',
    'yesterday',
    'now',
    '12abc',
    '1.2.3',
    '0',
    '1e9',
    'x'.repeat(65),
    '2026-11-29T12:17:10.1234567890Z',
    '2026-11-29T12:17:10.Z',
    '2026-13-01',
    '2026-11-29T12Z',
    '2026-11-29T12:17:10+2',
    '26-11-29',
    '2026/11/29 12:17:10',
    '2026-11-29T12:17:10 PST',
  ])('rejects %j', (input) => {
    expect(parseTimestamp(input)).toBeUndefined();
  });

  it('rejects a digit string longer than 64 characters', () => {
    expect(parseTimestamp('1'.repeat(65))).toBeUndefined();
  });

  it('rejects calendar dates that do not exist instead of rolling them into the next month', () => {
    // RFC 3339 §5.7: the day must exist in its month. Date.parse rolls 02-30 over to 03-01.
    expect(parseTimestamp('2026-02-30T00:00:00Z')).toBeUndefined();
    expect(parseTimestamp('2026-04-31')).toBeUndefined();
    expect(parseTimestamp('2025-02-29T12:00:00Z')).toBeUndefined();
  });

  it('accepts a lower-case t separator, as RFC 3339 §5.6 allows (it accepts a lower-case z)', () => {
    expect(parseTimestamp('2026-11-29t12:17:10z')).toBe(T);
  });

  it('reads any millisecond of 2000–2099 back from its ISO form (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) - 1 }), (ms) => {
        expect(parseTimestamp(new Date(ms).toISOString())).toBe(BigInt(ms) * 1_000_000n);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps all nine fraction digits exactly (property)', () => {
    const lo = utc(2000, 1, 1);
    const hi = utc(2100, 1, 1) - 1n;
    fc.assert(
      fc.property(fc.bigInt({ min: lo, max: hi }), (ns) => {
        const seconds = new Date(Number(ns / 1_000_000_000n) * 1000).toISOString().slice(0, 19);
        const fraction = String(ns % 1_000_000_000n).padStart(9, '0');
        expect(parseTimestamp(`${seconds}.${fraction}Z`)).toBe(ns);
        expect(parseTimestamp(String(ns))).toBe(ns);
      }),
      { numRuns: 500 },
    );
  });

  it('reads one instant the same as seconds, milliseconds and microseconds (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) - 1 }), (ms) => {
        const ns = BigInt(ms) * 1_000_000n;
        expect(parseTimestamp(ms / 1000)).toBe(ns);
        expect(parseTimestamp(ms)).toBe(ns);
        expect(parseTimestamp(ms * 1000)).toBe(ns);
        expect(parseTimestamp(String(ms))).toBe(ns);
      }),
      { numRuns: 500 },
    );
  });
});

describe('timeBounds and withinBounds', () => {
  const now = utc(2026, 1, 1);
  const bounds = timeBounds(now, 60_000);

  it('spans from just after the epoch to now plus the future tolerance', () => {
    expect(bounds).toEqual({ minNs: 1n, maxNs: now + 60_000_000_000n });
  });

  it('includes both ends and nothing past them', () => {
    expect(withinBounds(1n, bounds)).toBe(true);
    expect(withinBounds(now, bounds)).toBe(true);
    expect(withinBounds(now + 60_000_000_000n, bounds)).toBe(true);
    expect(withinBounds(now + 60_000_000_001n, bounds)).toBe(false);
    expect(withinBounds(0n, bounds)).toBe(false);
    expect(withinBounds(-HOUR, bounds)).toBe(false);
    expect(withinBounds(undefined, bounds)).toBe(false);
  });
});

describe('dateintOfNanos', () => {
  it.each<[bigint, number]>([
    [0n, 19700101],
    [86_399_999_999_999n, 19700101],
    [86_400_000_000_000n, 19700102],
    [utc(2024, 2, 29, 23, 59, 59, 999_999_999n), 20240229],
    [utc(2024, 3, 1), 20240301],
    [utc(2026, 12, 31, 23, 59, 59, 999_999_999n), 20261231],
    [utc(2027, 1, 1), 20270101],
    [utc(2026, 6, 15, 12), 20260615],
  ])('%d → %d', (ns, want) => {
    expect(dateintOfNanos(ns)).toBe(want);
  });

  it('agrees with the UTC calendar for any nanosecond of 2000–2099 (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: utc(2000, 1, 1), max: utc(2100, 1, 1) - 1n }), (ns) => {
        const d = new Date(Number(ns / 1_000_000n));
        const want = Number(d.toISOString().slice(0, 10).replaceAll('-', ''));
        expect(dateintOfNanos(ns)).toBe(want);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the canonical-date fast path', () => {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  /** Canonical-looking dates with every field drawn past its range too, and odd separators. */
  const nearlyCanonical = fc
    .record({
      year: fc.integer({ min: 0, max: 9999 }),
      month: fc.integer({ min: 0, max: 19 }),
      day: fc.integer({ min: 0, max: 39 }),
      hour: fc.integer({ min: 0, max: 29 }),
      minute: fc.integer({ min: 0, max: 69 }),
      second: fc.integer({ min: 0, max: 69 }),
      fraction: fc.stringMatching(/^[0-9]{0,10}$/),
      separator: fc.constantFrom('.', ',', ':', ''),
      t: fc.constantFrom('T', 't', ' ', 'X'),
      zone: fc.constantFrom('Z', 'z', '+01:00', ' Z', ''),
    })
    .map(
      (d) =>
        `${pad(d.year, 4)}-${pad(d.month, 2)}-${pad(d.day, 2)}${d.t}${pad(d.hour, 2)}:${pad(d.minute, 2)}:${pad(d.second, 2)}` +
        `${d.fraction === '' ? '' : d.separator + d.fraction}${d.zone}`,
    );

  it('reads what the general path reads, or leaves the string to it (property)', () => {
    fc.assert(
      fc.property(fc.oneof(nearlyCanonical, fc.string({ maxLength: 32 })), (text) => {
        const fast = fromCanonicalDate(text);
        if (fast !== undefined) expect(fast).toBe(fromAnyDate(text));
        if (text !== '' && !/^\d+(\.\d+)?$/.test(text)) expect(parseTimestamp(text)).toBe(fromAnyDate(text));
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['2026-11-29T12:17:10.607Z', 1_795_954_630_607_000_000n],
    ['2026-11-29T12:17:10Z', 1_795_954_630_000_000_000n],
    ['2026-11-29T12:17:10,123456789Z', 1_795_954_630_123_456_789n],
    ['2024-02-29T00:00:00Z', utc(2024, 2, 29)],
  ])('%s', (text, want) => {
    expect(fromCanonicalDate(text)).toBe(want);
  });

  it.each([
    '2026-02-29T00:00:00Z',
    '2026-11-29T24:00:00Z',
    '2026-11-29T12:60:00Z',
    '2026-11-29T12:00:60Z',
    '0099-01-01T00:00:00Z',
    '2026-11-29T12:17:10.Z',
    '2026-11-29T12:17:10.1234567890Z',
    '2026-1a-29T12:17:10Z',
  ])('leaves %s to the general path', (text) => {
    expect(fromCanonicalDate(text)).toBeUndefined();
  });
});
