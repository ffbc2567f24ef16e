import { describe, expect, it } from 'vitest';
import { normaliseLevel } from '../src/schema/level.js';
import { toLogRow } from '../src/schema/row.js';
import { NOW_NS, rowContext } from './support.js';

describe('log rows', () => {
  it('keeps the time field as an attribute when it is not a valid time, and gives the row the ingest time', () => {
    for (const bad of ['-5', 1e22, '9999-12-31T23:59:59Z', '-0001-01-01T00:00:00Z', 'yesterday', 0]) {
      const context = rowContext();
      const row = toLogRow(
        { position: '1', time: bad, timeField: 'ts', body: 'x', attributes: new Map() },
        context,
      );
      expect(row.timestamp).toBe(NOW_NS);
      expect(context.replaced).toBe(1);
      expect(row.attributes?.has('ts')).toBe(true);
    }
  });

  it('falls back to the observed time before the ingest time', () => {
    const context = rowContext();
    const row = toLogRow({ position: '1', time: 0n, observedTime: 1795000000000000000n }, context);
    expect(row.timestamp).toBe(1795000000000000000n);
    expect(context.replaced).toBe(0);
  });

  it('reads seconds, milliseconds, microseconds, nanoseconds and RFC 3339 with its fraction', () => {
    const at = (time: unknown) => toLogRow({ position: '1', time }, rowContext()).timestamp;
    expect(at(1_795_000_000)).toBe(1_795_000_000_000_000_000n);
    expect(at(1_795_000_000_123)).toBe(1_795_000_000_123_000_000n);
    expect(at(1_795_000_000_123_456)).toBe(1_795_000_000_123_456_000n);
    expect(at('1795000000123456789')).toBe(1_795_000_000_123_456_789n);
    expect(at('2026-11-29T07:00:00.123456789Z')).toBe(
      BigInt(Date.UTC(2026, 10, 29, 7)) * 1_000_000n + 123_456_789n,
    );
    expect(at('2026-11-29 07:00:00,5')).toBe(BigInt(Date.UTC(2026, 10, 29, 7)) * 1_000_000n + 500_000_000n);
    expect(at('2026-11-29T09:00:00+02:00')).toBe(BigInt(Date.UTC(2026, 10, 29, 7)) * 1_000_000n);
  });

  it('renders bodies as text with their type, and no body as none', () => {
    const body = (b: unknown) => {
      const r = toLogRow({ position: '1', ...(b === 'absent' ? {} : { body: b as never }) }, rowContext());
      return [r.body, r.bodyType];
    };
    expect(body('absent')).toEqual([null, null]);
    expect(body('hi')).toEqual(['hi', 'string']);
    expect(body(5n)).toEqual(['5', 'int']);
    expect(body(new Map([['a', [1n, 'x']]]))).toEqual(['{"a":[1,"x"]}', 'kvlist']);
    expect(body(new Uint8Array([1, 2, 3]))).toEqual(['AQID', 'bytes']);
  });
});

describe('levels', () => {
  it('gives one level per severity, whatever it was called', () => {
    expect(normaliseLevel(undefined, 'INFORMATION')).toBe('INFO');
    expect(normaliseLevel(undefined, 'info')).toBe('INFO');
    expect(normaliseLevel(undefined, 'Warning')).toBe('WARN');
    expect(normaliseLevel(undefined, 'crit')).toBe('FATAL');
    expect(normaliseLevel(undefined, 'DEBUG2')).toBe('DEBUG');
    expect(normaliseLevel(17, 'whatever')).toBe('ERROR');
    expect(normaliseLevel(9, undefined)).toBe('INFO');
    expect(normaliseLevel(undefined, 'bananas')).toBe('UNSPECIFIED');
  });
});
