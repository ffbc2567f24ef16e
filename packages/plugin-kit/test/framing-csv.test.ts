import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvPieces } from '../src/framing/csv.js';
import type { Piece, RecordReject } from '../src/framing/piece.js';
import { allRejects, chunked, collect, concatPieces, latin1 } from './support.js';

const reason = (max: number) => `record longer than limits.maxRecordBytes (${max})`;

async function pieces(input: string | Buffer, sizes?: number[], target = 1 << 20, max = 1 << 20) {
  const bytes = typeof input === 'string' ? latin1(input) : input;
  return collect(csvPieces(chunked(bytes, sizes), target, max));
}

const view = (ps: readonly Piece[]) =>
  ps.map((p) => ({
    header: p.header?.toString('latin1'),
    text: p.bytes.toString('latin1'),
    first: p.first,
    rejects: p.rejects ?? [],
  }));

/** Records as RFC 4180 reads them: a newline inside quotes does not end one. */
function records(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x22) quoted = !quoted;
    else if (bytes[i] === 0x0a && !quoted) {
      out.push(bytes.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < bytes.length) out.push(bytes.subarray(start));
  return out;
}

function expected(input: Buffer, max: number) {
  const [header, ...rest] = records(input);
  let text = '';
  const rejects: RecordReject[] = [];
  rest.forEach((record, i) => {
    if (record.length > max) {
      text += '\n';
      rejects.push({ position: String(i + 1), reason: reason(max) });
    } else {
      text += record.toString('latin1');
    }
  });
  return { header: header?.toString('latin1'), text, rejects };
}

describe('csvPieces', () => {
  it('sends the header line with every piece and numbers records after it', async () => {
    const ps = await pieces('h1,h2\n1,2\n3,4\n5,6\n', [6, 4, 4, 4], 1);
    expect(view(ps)).toEqual([
      { header: 'h1,h2\n', text: '1,2\n', first: 0, rejects: [] },
      { header: 'h1,h2\n', text: '3,4\n', first: 1, rejects: [] },
      { header: 'h1,h2\n', text: '5,6\n', first: 2, rejects: [] },
    ]);
  });

  it('does not end a record at a newline inside quotes, even byte by byte', async () => {
    const input = 'a,b\n"x\ny",1\n"say ""hi""\n",2\n3,4\n';
    const ps = await pieces(input, [1], 1);
    expect(view(ps).map((p) => [p.text, p.first])).toEqual([
      ['"x\ny",1\n', 0],
      ['"say ""hi""\n",2\n', 1],
      ['3,4\n', 2],
    ]);
  });

  it('keeps CRLF and an unterminated last record', async () => {
    const ps = await pieces('a,b\r\n1,2\r\n3,4', [100]);
    expect(view(ps)).toEqual([{ header: 'a,b\r\n', text: '1,2\r\n3,4', first: 0, rejects: [] }]);
  });

  it('gives no piece for an empty object or one with only a header', async () => {
    expect(await pieces('')).toEqual([]);
    expect(await pieces('a,b\n')).toEqual([]);
    expect(await pieces('a,b')).toEqual([]);
  });

  it('replaces an over-long record (quoted newlines and all) by an empty line and rejects it by number', async () => {
    const input = 'a,b\n1,2\n"long\nlong long",3\n4,5\n';
    for (const sizes of [[100], [1], [7]]) {
      const ps = await pieces(input, sizes, 1 << 20, 10);
      expect(concatPieces(ps)).toBe('1,2\n\n4,5\n');
      expect(allRejects(ps)).toEqual([{ position: '2', reason: reason(10) }]);
      expect(ps.every((p) => p.header?.toString() === 'a,b\n')).toBe(true);
    }
  });

  it('limits the bytes of a record including its newline', async () => {
    // The limit is 4: "123\n" is kept, "1234\n" is not.
    const ps = await pieces('h\n123\n1234\n12\n', [100], 1 << 20, 4);
    expect(concatPieces(ps)).toBe('123\n\n12\n');
    expect(allRejects(ps).map((r) => r.position)).toEqual(['2']);
  });

  it('rejects an over-long unterminated last record, and numbers rejects across pieces', async () => {
    const ps = await pieces('h\nxxxxxxx\na\nyyyyyyy', [1], 1, 4);
    expect(view(ps).map((p) => [p.text, p.first, p.rejects.map((r) => r.position)])).toEqual([
      ['\n', 0, ['1']],
      ['a\n', 1, []],
      ['\n', 2, ['3']],
    ]);
  });

  it('fails the object when the header itself is over-long, never taking a data record for it', async () => {
    // The header is 12 bytes, over the limit of 8: without it no record can be read.
    await expect(pieces('colA,colB,c\n1,2\n3,4\n', [100], 1 << 20, 8)).rejects.toMatchObject({
      code: 'LR_INPUT_LIMIT',
      message: expect.stringMatching(/the header row exceeds limits\.maxRecordBytes \(8\)/),
    });
  });

  it('cuts the same records whatever the chunking (property)', async () => {
    const header = fc
      .array(fc.constantFrom(0x61, 0x2c), { minLength: 1, maxLength: 6 })
      .map((a) => Buffer.from([...a, 0x0a]));
    const body = fc
      .uint8Array({ maxLength: 300 })
      .map((a) => Buffer.from(a.map((b) => [0x61, 0x2c, 0x0a, 0x22, 0x0d, 0x62, 0x0a][b % 7] as number)));
    await fc.assert(
      fc.asyncProperty(
        header,
        body,
        fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 80 }),
        fc.integer({ min: 7, max: 30 }),
        async (head, rest, sizes, target, max) => {
          const input = Buffer.concat([head, rest]);
          const ps = await pieces(input, sizes, target, max);
          const want = expected(input, max);
          expect(concatPieces(ps)).toBe(want.text);
          expect(allRejects(ps)).toEqual(want.rejects);
          let before = 0;
          ps.forEach((p, i) => {
            expect(p.header?.toString('latin1')).toBe(want.header);
            expect(p.first).toBe(before);
            const recs = records(p.bytes);
            if (i < ps.length - 1) expect(p.bytes.at(-1)).toBe(0x0a);
            for (const r of p.rejects ?? []) {
              expect(recs[Number(r.position) - p.first - 1]?.toString()).toBe('\n');
            }
            before += recs.length;
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
