import { isLakerunnerError, type LakerunnerError } from '@lakerunner/core';
import { describe, expect, it } from 'vitest';
import { documentPiece } from '../src/framing/document.js';
import { chunked, collect, latin1 } from './support.js';

async function failure(run: Promise<unknown>): Promise<LakerunnerError> {
  const err = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isLakerunnerError(err)) throw new Error(`expected a LakerunnerError, got ${String(err)}`);
  return err;
}

describe('documentPiece', () => {
  it('gives the whole object as one piece, however it was chunked', async () => {
    const ps = await collect(documentPiece(chunked(latin1('{"a":\n1}\n'), [1, 2]), 100, 'k.json'));
    expect(ps.map((p) => [p.bytes.toString('latin1'), p.first])).toEqual([['{"a":\n1}\n', 0]]);
  });

  it('accepts a document of exactly maxDocumentBytes', async () => {
    const ps = await collect(documentPiece(chunked(latin1('x'.repeat(10)), [3]), 10, 'k'));
    expect(ps[0]?.bytes.length).toBe(10);
  });

  it('fails with LR_INPUT_LIMIT naming the key and the limit one byte over maxDocumentBytes', async () => {
    const err = await failure(
      collect(documentPiece(chunked(latin1('x'.repeat(11)), [3]), 10, 'logs/a.json')),
    );
    expect(err.code).toBe('LR_INPUT_LIMIT');
    expect(err.retriable).toBe(false);
    expect(err.message).toBe('logs/a.json: a whole-document input exceeds limits.maxDocumentBytes (10)');
  });

  it('stops reading at the limit instead of draining the stream', async () => {
    let pulled = 0;
    async function* endless(): AsyncGenerator<Buffer> {
      for (;;) {
        pulled++;
        yield Buffer.alloc(1024);
      }
    }
    const err = await failure(collect(documentPiece(endless(), 4096, 'k')));
    expect(err.code).toBe('LR_INPUT_LIMIT');
    expect(pulled).toBe(5);
  });

  it('gives one empty piece for an empty object', async () => {
    const ps = await collect(documentPiece(chunked(Buffer.alloc(0)), 10, 'k'));
    expect(ps.map((p) => [p.bytes.length, p.first])).toEqual([[0, 0]]);
  });
});
