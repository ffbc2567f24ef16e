import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/fingerprint/index.js';

const MEGABYTE = 1 << 20;

// Inputs shaped to make a backtracking pattern go quadratic or worse. The work is bounded by the
// length cap and every scan is linear, so each takes milliseconds; the limit is loose for busy CI.
describe('pathological input', () => {
  it.each([
    ['letters', 'a'],
    ['dotted numbers', '1.'],
    ['double quotes', '"'],
    ['single quotes', "'"],
    ['escaped quotes', '\\"'],
    ['colons', ':'],
    ['clock-like', '1:'],
    ['signs', '-1'],
    ['address-like', 'a.b@'],
    ['schemes', 'http://'],
    ['escape introducers', '\u001b['],
    ['open braces', '{"a":'],
    ['logfmt messages', 'msg="'],
    ['spaces', ' '],
  ])('1 MB of %s', (_name, unit) => {
    const message = unit.repeat(Math.ceil(MEGABYTE / unit.length));
    const start = performance.now();
    fingerprint(message);
    expect(performance.now() - start).toBeLessThan(200);
  });
});
