import { createHash } from 'node:crypto';
import {
  type Codec,
  type CodecPiece,
  DEFAULT_INPUT_LIMITS,
  defineCodec,
  type InputLimits,
  isLakerunnerError,
  LakerunnerError,
} from '@lakerunner/core';
import { describe, expect, it } from 'vitest';
import { pieceLines } from '../src/codec-helpers.js';
import { readSegment } from '../src/columns/parquet-reader.js';
import { runIngestTask } from '../src/ingest/decode-task.js';
import type { RecordSource, SignalEncoding } from '../src/segments/encoding.js';
import type { IngestTask, PieceTask } from '../src/thread/tasks.js';

interface Rec {
  position: string;
  text: string;
  t?: unknown;
  t2?: unknown;
}
interface Row {
  id: string;
  ts: bigint;
  text: string;
  key: string;
}

/** 2026-01-01T00:00:00Z, the ingest time of every task here. */
const NOW = BigInt(Date.UTC(2026, 0, 1)) * 1_000_000n;
const MS = 1_000_000n;

const encoding: SignalEncoding<Rec, Row> = {
  layout: { sortColumns: ['ts', 'id'], timeColumn: 'ts', idColumn: 'id' },
  toRow: (r, context) => ({
    id: context.rowId(r.position),
    ts: context.resolveTime(r.t, r.t2),
    text: r.text,
    key: context.source.key,
  }),
  columns: () => [
    { name: 'id', type: 'string', get: (r) => r.id },
    { name: 'ts', type: 'timestamp', get: (r) => r.ts },
    { name: 'text', type: 'string', get: (r) => r.text },
    { name: 'key', type: 'string', get: (r) => r.key },
  ],
};

/** One record per line: `bad` is rejected, `throw` throws a TypeError, anything else is `text[@time]`. */
function* decodeLines(piece: CodecPiece): Generator<Rec> {
  for (const { text, number } of pieceLines(piece)) {
    if (text === 'bad') piece.reject(String(number), 'bad line');
    else if (text === 'throw') throw new TypeError('boom');
    else if (text === 'throw-null') throw null;
    else if (text === 'throw-limit') throw new LakerunnerError('LR_INPUT_LIMIT', `${piece.key}: too deep`);
    else if (text === 'throw-retriable')
      throw new LakerunnerError('LR_STORAGE_UNAVAILABLE', 'x', { retriable: true });
    else {
      const [body = '', t] = text.split('@');
      yield { position: String(number), text: body, ...(t === undefined ? {} : { t }) };
    }
  }
}

const decoded: { codec: string; key: string; first: number; header?: string; maxDepth: number }[] = [];

const lines = defineCodec<Rec>({
  name: 'lines',
  signals: ['test'],
  suffixes: ['.txt'],
  framing: 'lines',
  sniff: () => 'maybe',
  decode(piece) {
    decoded.push({
      codec: 'lines',
      key: piece.key,
      first: piece.first,
      maxDepth: piece.limits.maxDepth,
      ...(piece.header ? { header: Buffer.from(piece.header).toString() } : {}),
    });
    return decodeLines(piece);
  },
});

const asyncLines = defineCodec<Rec>({
  name: 'async-lines',
  signals: ['test'],
  suffixes: [],
  framing: 'lines',
  sniff: () => 'no',
  async *decode(piece) {
    for (const record of decodeLines(piece)) {
      await Promise.resolve();
      yield record;
    }
  },
});

const source = (key: string): RecordSource => ({
  bucket: 'in',
  key,
  version: 'v1',
  identity: `in/${key}@v1`,
});

const piece = (sourceIndex: number, text: string, first = 0, codec = 'lines'): PieceTask => ({
  source: sourceIndex,
  codec,
  bytes: Buffer.from(text),
  first,
});

function task(pieces: PieceTask[], extra: Partial<IngestTask> = {}): IngestTask {
  return {
    kind: 'ingest',
    sources: [source('logs/a.txt'), source('logs/b.txt')],
    pieces,
    codecModules: [],
    limits: { ...DEFAULT_INPUT_LIMITS, futureToleranceMs: 1000 },
    ingestTimeNs: NOW,
    recordsBefore: [0, 0],
    maxRows: 1000,
    ...extra,
  };
}

async function run(t: IngestTask, codecs: readonly Codec<Rec>[] = [lines, asyncLines]) {
  decoded.length = 0;
  const result = await runIngestTask(t, encoding, codecs);
  const rows = result.files.flatMap((f) => {
    const read = readSegment(f.parquet);
    return Array.from({ length: read.rows }, (_, i) =>
      Object.fromEntries([...read.columns].map(([name, c]) => [name, c.values[i]])),
    );
  });
  return { result, rows };
}

const prefixOf = (identity: string) => createHash('sha256').update(identity).digest('hex').slice(0, 24);
const T = (ms: number) => `@${ms}`;
const OK_MS = Date.UTC(2025, 11, 31);

describe('runIngestTask', () => {
  it('decodes pieces into rows whose ids are <24 hex of sha256(identity)>-<position>', async () => {
    const { result, rows } = await run(task([piece(0, `a${T(OK_MS)}\nb${T(OK_MS + 1)}\n`, 10)]));
    expect(result.failures).toEqual([]);
    expect(result.counts).toEqual([
      { records: 2, rejected: 0, timeReplaced: 0 },
      { records: 0, rejected: 0, timeReplaced: 0 },
    ]);
    const prefix = prefixOf('in/logs/a.txt@v1');
    expect(prefix).toMatch(/^[0-9a-f]{24}$/);
    expect(rows).toEqual([
      { id: `${prefix}-11`, ts: BigInt(OK_MS) * MS, text: 'a', key: 'logs/a.txt' },
      { id: `${prefix}-12`, ts: BigInt(OK_MS + 1) * MS, text: 'b', key: 'logs/a.txt' },
    ]);
    expect(result.files.map((f) => [f.dateint, f.records])).toEqual([[20251231, 2]]);
  });

  it('gives the same ids however the object was cut into pieces, and other ids to another object', async () => {
    const whole = await run(task([piece(0, 'a\nb\nc\n')]));
    const cut = await run(task([piece(0, 'a\n'), piece(0, 'b\nc\n', 1)]));
    const ids = (r: typeof whole) => r.rows.map((row) => row.id).sort();
    expect(ids(cut)).toEqual(ids(whole));
    const other = await run(task([piece(1, 'a\nb\nc\n')]));
    expect(ids(other)).toEqual(['1', '2', '3'].map((p) => `${prefixOf('in/logs/b.txt@v1')}-${p}`));
    expect(prefixOf('in/logs/b.txt@v1')).not.toBe(prefixOf('in/logs/a.txt@v1'));
  });

  it('hands the codec the object key, first, header and limits', async () => {
    const withHeader = { ...piece(1, 'x\n', 7), header: Buffer.from('h1,h2\n') };
    await run(task([withHeader], { limits: { ...DEFAULT_INPUT_LIMITS, maxDepth: 3 } }));
    expect(decoded).toEqual([
      { codec: 'lines', key: 'logs/b.txt', first: 7, header: 'h1,h2\n', maxDepth: 3 },
    ]);
  });

  it('collects rejected records per source: the first 100 kept, all counted', async () => {
    const { result, rows } = await run(
      task([piece(0, `${'bad\n'.repeat(150)}good\n`), piece(1, 'bad\nok\nbad\n', 20)]),
    );
    expect(result.failures).toEqual([]);
    expect(result.counts.map((c) => [c.records, c.rejected])).toEqual([
      [1, 150],
      [1, 2],
    ]);
    const bySource = (s: number) => result.rejects.filter((r) => r.source === s);
    expect(bySource(0)).toHaveLength(100);
    expect(bySource(0)[0]).toEqual({ source: 0, position: '1', reason: 'bad line' });
    expect(bySource(0).at(-1)?.position).toBe('100');
    expect(bySource(1)).toEqual([
      { source: 1, position: '21', reason: 'bad line' },
      { source: 1, position: '23', reason: 'bad line' },
    ]);
    expect(rows.map((r) => r.text).sort()).toEqual(['good', 'ok']);
  });

  it('fails only the source whose codec throws, keeps its earlier rows and skips its later pieces', async () => {
    const { result, rows } = await run(
      task([
        piece(0, 'a1\n'),
        piece(1, 'b1\n'),
        piece(0, 'a2\nthrow\na3\n', 1),
        piece(1, 'b2\n', 1),
        piece(0, 'a4\n', 4),
      ]),
    );
    expect(result.failures).toEqual([
      { source: 0, code: 'LR_INPUT_CORRUPT', reason: 'logs/a.txt: codec lines could not read it: boom' },
    ]);
    expect(decoded.map((d) => [d.key, d.first])).toEqual([
      ['logs/a.txt', 0],
      ['logs/b.txt', 0],
      ['logs/a.txt', 1],
      ['logs/b.txt', 1],
    ]);
    expect(rows.map((r) => r.text).sort()).toEqual(['a1', 'a2', 'b1', 'b2']);
    expect(result.counts.map((c) => c.records)).toEqual([2, 2]);
  });

  it('reports a codec’s own non-retriable LakerunnerError with its code and message', async () => {
    const { result } = await run(task([piece(0, 'throw-limit\n'), piece(1, 'b\n')]));
    expect(result.failures).toEqual([{ source: 0, code: 'LR_INPUT_LIMIT', reason: 'logs/a.txt: too deep' }]);
  });

  it('lets a retriable error fail the whole task, to be retried', async () => {
    await expect(run(task([piece(1, 'b\n'), piece(0, 'throw-retriable\n')]))).rejects.toSatisfy(
      (err: unknown) => isLakerunnerError(err) && err.retriable,
    );
  });

  it('fails only its source when a codec throws something that is not an Error (even null)', async () => {
    const { result, rows } = await run(task([piece(0, 'throw-null\n'), piece(1, 'b\n')]));
    expect(result.failures).toMatchObject([{ source: 0, code: 'LR_INPUT_CORRUPT' }]);
    expect(rows.map((r) => r.text)).toEqual(['b']);
  });

  it('enforces maxRecordsPerObject across tasks through recordsBefore', async () => {
    const limits: InputLimits = { ...DEFAULT_INPUT_LIMITS, maxRecordsPerObject: 10 };
    const { result, rows } = await run(
      task([piece(0, 'a\nb\nc\nd\ne\n'), piece(1, 'a\nb\nc\nd\ne\n')], { limits, recordsBefore: [8, 5] }),
    );
    expect(result.failures).toEqual([
      {
        source: 0,
        code: 'LR_INPUT_LIMIT',
        reason: 'logs/a.txt: the record count exceeds limits.maxRecordsPerObject (10)',
      },
    ]);
    // Source 0 had room for 2 more; source 1 for exactly its 5.
    expect(rows.filter((r) => r.key === 'logs/a.txt').map((r) => r.text)).toEqual(['a', 'b']);
    expect(rows.filter((r) => r.key === 'logs/b.txt')).toHaveLength(5);
  });

  it('counts only the records it kept when the record limit stops an object', async () => {
    const limits: InputLimits = { ...DEFAULT_INPUT_LIMITS, maxRecordsPerObject: 10 };
    const { result, rows } = await run(
      task([piece(0, 'a\nb\nc\nd\ne\n')], { limits, recordsBefore: [8, 0] }),
    );
    expect(rows).toHaveLength(2);
    // The handler reports "(N records before it were ingested)" from this count.
    expect(result.counts[0]?.records).toBe(2);
  });

  it('replaces times before 1970 or beyond futureToleranceMs by the ingest time, and counts them', async () => {
    const edge = NOW + 1000n * MS;
    const input = [
      `valid${T(OK_MS)}`,
      'none',
      'zero@0',
      'old@1960-01-01T00:00:00Z',
      `edge@${edge}`,
      `future@${edge + 1n}`,
      'garbage@yesterday',
    ].join('\n');
    const { result, rows } = await run(task([piece(0, input)]));
    expect(result.counts[0]).toEqual({ records: 7, rejected: 0, timeReplaced: 5 });
    expect(Object.fromEntries(rows.map((r) => [r.text, r.ts]))).toEqual({
      valid: BigInt(OK_MS) * MS,
      none: NOW,
      zero: NOW,
      old: NOW,
      edge,
      future: NOW,
      garbage: NOW,
    });
  });

  it('takes the first candidate time that is valid', async () => {
    const codec = defineCodec<Rec>({
      ...lines,
      decode: () => [
        { position: '1', text: 'second', t: 'nope', t2: OK_MS },
        { position: '2', text: 'first', t: OK_MS + 5, t2: OK_MS },
      ],
    });
    const { result, rows } = await run(task([piece(0, '')]), [codec]);
    expect(result.counts[0]?.timeReplaced).toBe(0);
    expect(Object.fromEntries(rows.map((r) => [r.text, r.ts]))).toEqual({
      second: BigInt(OK_MS) * MS,
      first: BigInt(OK_MS + 5) * MS,
    });
  });

  it('gives toRow a validTime that checks bounds without counting a replacement', async () => {
    const seen: unknown[] = [];
    const probing: SignalEncoding<Rec, Row> = {
      ...encoding,
      toRow(r, context) {
        seen.push(
          context.validTime(r.t),
          context.ingestTimeNs,
          context.bounds,
          context.limits.futureToleranceMs,
        );
        return encoding.toRow({ ...r, t: OK_MS }, context);
      },
    };
    decoded.length = 0;
    const result = await runIngestTask(
      task([piece(0, `late@${NOW + 2000n * MS}\nok${T(OK_MS)}\n`)]),
      probing,
      [lines],
    );
    expect(result.counts[0]?.timeReplaced).toBe(0);
    const bounds = { minNs: 1n, maxNs: NOW + 1000n * MS };
    expect(seen).toEqual([undefined, NOW, bounds, 1000, BigInt(OK_MS) * MS, NOW, bounds, 1000]);
  });

  it('reads async-iterable codecs like synchronous ones', async () => {
    const text = `a${T(OK_MS)}\nbad\nb${T(OK_MS + 1)}\n`;
    const sync = await run(task([piece(0, text)]));
    const viaAsync = await run(task([piece(0, text, 0, 'async-lines')]));
    expect(viaAsync.rows).toEqual(sync.rows);
    expect(viaAsync.result.counts).toEqual(sync.result.counts);
    expect(viaAsync.result.rejects).toEqual([{ source: 0, position: '2', reason: 'bad line' }]);
    const failing = await run(task([piece(0, 'x\nthrow\n', 0, 'async-lines'), piece(1, 'y\n')]));
    expect(failing.result.failures).toEqual([
      {
        source: 0,
        code: 'LR_INPUT_CORRUPT',
        reason: 'logs/a.txt: codec async-lines could not read it: boom',
      },
    ]);
    expect(failing.rows.map((r) => r.text).sort()).toEqual(['x', 'y']);
  });

  it('writes no file when nothing decodes, and cuts files by maxRows', async () => {
    expect((await run(task([piece(0, 'bad\n')]))).result.files).toEqual([]);
    const { result } = await run(task([piece(0, 'a\nb\nc\n')], { maxRows: 2 }));
    expect(result.files.map((f) => [f.dateint, f.part, f.records])).toEqual([
      [20260101, 0, 2],
      [20260101, 1, 1],
    ]);
  });

  it('refuses a task naming a codec it does not have', async () => {
    await expect(run(task([piece(0, 'a\n', 0, 'nope')]))).rejects.toThrow(/unknown source or codec nope/);
  });

  it('refuses to run with no codec at all', async () => {
    await expect(run(task([piece(0, 'a\n')]), [])).rejects.toSatisfy(
      (err: unknown) => isLakerunnerError(err) && err.code === 'LR_PLUGIN_INVALID',
    );
  });
});
