import { describe, expect, it } from 'vitest';
import { coalescing } from '../../src/util/coalescing.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('coalescing', () => {
  it('runs once for a request, and once more for any number arriving meanwhile', async () => {
    let runs = 0;
    const c = coalescing(async () => {
      runs++;
      await tick();
    });
    const first = c.request();
    const during = Array.from({ length: 50 }, () => c.request());
    await Promise.all([first, ...during]);
    expect(runs).toBe(2);
    await c.request();
    expect(runs).toBe(3);
  });

  it('loses no request: a run starts after the last one made', async () => {
    let value = 0;
    let seen = -1;
    const c = coalescing(async () => {
      await tick();
      seen = value;
    });
    for (let i = 1; i <= 20; i++) {
      value = i;
      void c.request();
      await new Promise((r) => setTimeout(r, Math.random() * 3));
    }
    await c.settled();
    expect(seen).toBe(20);
  });
});
