import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linePieces } from '../src/framing/lines.js';
import type { Piece, RecordReject } from '../src/framing/piece.js';
import { allRejects, chunked, collect, concatPieces, latin1 } from './support.js';

const reason = (max: number) => `line longer than limits.maxRecordBytes (${max})`;

async function pieces(input: string | Buffer, sizes?: number[], target = 1 << 20, max = 1 << 20) {
  const bytes = typeof input === 'string' ? latin1(input) : input;
  return collect(linePieces(chunked(bytes, sizes), target, max));
}

const view = (ps: readonly Piece[]) =>
  ps.map((p) => ({ text: p.bytes.toString('latin1'), first: p.first, rejects: p.rejects ?? [] }));

/** What the pieces must add up to: every line as it is, an over-long one as "\n" plus a reject. */
function expected(input: Buffer, max: number): { text: string; rejects: RecordReject[] } {
  let text = '';
  const rejects: RecordReject[] = [];
  for (let start = 0, line = 1; start < input.length; line++) {
    const nl = input.indexOf(0x0a, start);
    const end = nl === -1 ? input.length : nl + 1;
    if ((nl === -1 ? end : nl) - start > max) {
      text += '\n';
      rejects.push({ position: String(line), reason: reason(max) });
    } else {
      text += input.subarray(start, end).toString('latin1');
    }
    start = end;
  }
  return { text, rejects };
}

const newlines = (b: Buffer) => b.reduce((n, byte) => n + (byte === 0x0a ? 1 : 0), 0);

/** Invariants every cut must satisfy, whatever the chunking and target. */
function checkInvariants(ps: readonly Piece[], input: Buffer, max: number) {
  const want = expected(input, max);
  expect(concatPieces(ps)).toBe(want.text);
  expect(allRejects(ps)).toEqual(want.rejects);
  let before = 0;
  ps.forEach((p, i) => {
    expect(p.first).toBe(before);
    // Whole lines only: a piece ends at a newline, except the object's unterminated last line.
    if (i < ps.length - 1) expect(p.bytes.at(-1)).toBe(0x0a);
    expect(p.bytes.length).toBeGreaterThan(0);
    const lines = newlines(p.bytes) + (p.bytes.at(-1) === 0x0a ? 0 : 1);
    for (const r of p.rejects ?? []) {
      // A reject travels with the piece holding its placeholder line.
      expect(Number(r.position)).toBeGreaterThan(p.first);
      expect(Number(r.position)).toBeLessThanOrEqual(p.first + lines);
      expect(p.bytes.toString('latin1').split('\n')[Number(r.position) - p.first - 1]).toBe('');
    }
    before += newlines(p.bytes);
  });
}

describe('linePieces', () => {
  it('gives one piece of whole lines when everything fits the target', async () => {
    expect(view(await pieces('a\nbb\nccc\n'))).toEqual([{ text: 'a\nbb\nccc\n', first: 0, rejects: [] }]);
  });

  it('numbers each piece by the lines before it, and never splits a line across pieces', async () => {
    const ps = await pieces('a\nbb\nccc\ndddd\n', [3, 3, 3, 3, 3], 1);
    expect(view(ps)).toEqual([
      { text: 'a\n', first: 0, rejects: [] },
      { text: 'bb\n', first: 1, rejects: [] },
      { text: 'ccc\n', first: 2, rejects: [] },
      { text: 'dddd\n', first: 3, rejects: [] },
    ]);
  });

  it('collects chunks until a piece reaches the target size', async () => {
    const ps = await pieces('a\nb\nc\nd\ne\n', [2], 4);
    expect(view(ps).map((p) => [p.text, p.first])).toEqual([
      ['a\nb\n', 0],
      ['c\nd\n', 2],
      ['e\n', 4],
    ]);
  });

  it('keeps CRLF line endings as they are', async () => {
    const ps = await pieces('a\r\nb\r\n\r\nc\r\n', [1], 1);
    expect(concatPieces(ps)).toBe('a\r\nb\r\n\r\nc\r\n');
    expect(ps.map((p) => p.first)).toEqual([0, 1, 2, 3]);
  });

  it('ends with the unterminated last line as it is', async () => {
    expect(view(await pieces('a\nlast'))).toEqual([{ text: 'a\nlast', first: 0, rejects: [] }]);
    expect(view(await pieces('a\nlast', [3], 1))).toEqual([
      { text: 'a\n', first: 0, rejects: [] },
      { text: 'last', first: 1, rejects: [] },
    ]);
  });

  it('gives no piece for an empty object, and blank lines for blank lines', async () => {
    expect(await pieces('')).toEqual([]);
    expect(view(await pieces('\n\n'))).toEqual([{ text: '\n\n', first: 0, rejects: [] }]);
  });

  it('replaces an over-long line by an empty one and rejects it by its 1-based number', async () => {
    for (const sizes of [[100], [1], [5]]) {
      const ps = await pieces('ok\ntoolong\nok2\n', sizes, 1 << 20, 4);
      expect(concatPieces(ps)).toBe('ok\n\nok2\n');
      expect(allRejects(ps)).toEqual([{ position: '2', reason: reason(4) }]);
    }
  });

  it('limits the bytes of a line without its newline, whether it arrives whole or byte by byte', async () => {
    for (const sizes of [[100], [1], [3]]) {
      // 4 bytes is the limit: a line of 4 is kept, a line of 5 is not.
      const ps = await pieces('abcd\nabcde\nabc\n', sizes, 1 << 20, 4);
      expect(concatPieces(ps)).toBe('abcd\n\nabc\n');
      expect(allRejects(ps).map((r) => r.position)).toEqual(['2']);
    }
  });

  it('counts a carriage return toward the limit', async () => {
    const ps = await pieces('abc\r\nabcd\r\n', [100], 1 << 20, 4);
    expect(concatPieces(ps)).toBe('abc\r\n\n');
    expect(allRejects(ps).map((r) => r.position)).toEqual(['2']);
  });

  it('rejects an over-long unterminated last line', async () => {
    for (const sizes of [[100], [1]]) {
      const ps = await pieces('a\nb\nabcdefgh', sizes, 1 << 20, 4);
      expect(concatPieces(ps)).toBe('a\nb\n\n');
      expect(allRejects(ps)).toEqual([{ position: '3', reason: reason(4) }]);
    }
  });

  it('numbers several over-long lines, consecutive or not, across pieces', async () => {
    const input = latin1('xxxxxx\nyyyyyy\na\nzzzzzz\nb\n');
    const ps = await pieces(input, [2], 3, 4);
    checkInvariants(ps, input, 4);
    expect(allRejects(ps).map((r) => r.position)).toEqual(['1', '2', '4']);
  });

  it('cuts the same content whatever the chunking (property)', async () => {
    const bytes = fc
      .uint8Array({ maxLength: 300 })
      .map((a) => Buffer.from(a.map((b) => [0x61, 0x0a, 0x0d, 0xc3, 0x62, 0x0a][b % 6] as number)));
    await fc.assert(
      fc.asyncProperty(
        bytes,
        fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 80 }),
        fc.integer({ min: 1, max: 24 }),
        async (input, sizes, target, max) => {
          const ps = await pieces(input, sizes, target, max);
          checkInvariants(ps, input, max);
          const whole = await pieces(input, [Math.max(1, input.length)], target, max);
          expect(concatPieces(ps)).toBe(concatPieces(whole));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('streams a 50 MB line past a 1 MiB limit without buffering it; the lines after it survive', async () => {
    const MiB = 1024 * 1024;
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const baseline = process.memoryUsage().arrayBuffers;
    let midway = 0;
    async function* source(): AsyncGenerator<Buffer> {
      yield Buffer.from('first\n');
      for (let i = 0; i < 800; i++) {
        // Fresh 64 KiB chunks: were the line kept, they could not be collected.
        yield Buffer.alloc(64 * 1024, 0x78);
        if (i === 600) {
          gc();
          midway = process.memoryUsage().arrayBuffers;
        }
      }
      yield Buffer.from('\nafter\nlast\n');
    }
    const ps = await collect(linePieces(source(), 4 * MiB, MiB));
    expect(concatPieces(ps)).toBe('first\n\nafter\nlast\n');
    expect(allRejects(ps)).toEqual([{ position: '2', reason: reason(MiB) }]);
    // 37 MiB of the line had streamed by then; a loose bound still tells buffering from not.
    expect(midway - baseline).toBeLessThan(8 * MiB);
  });
});
