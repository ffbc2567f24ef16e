import { LakerunnerError } from '@lakerunner/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeOtlpLogsProtobuf, otlpProtobufFrames } from '../../src/otlp/index.js';
import { encodeLogs } from './oracle.js';
import { bytes, UNKNOWN_FIELDS } from './wire.js';

function resourceLogs(service: string, records: number) {
  return {
    resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
    scopeLogs: [
      {
        logRecords: Array.from({ length: records }, (_, i) => ({ body: { stringValue: `${service} ${i}` } })),
      },
    ],
  };
}

const whole = encodeLogs({
  resourceLogs: [resourceLogs('a', 3), resourceLogs('b', 200), resourceLogs('c', 1)],
});
// Top-level fields other than 1 (not in any OTLP request today) must be passed over.
const withUnknown = bytes(UNKNOWN_FIELDS, whole, UNKNOWN_FIELDS);

async function* chunked(input: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let start = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    yield input.subarray(start, cut);
    start = cut;
  }
  yield input.subarray(start);
}

async function frames(stream: AsyncIterable<Uint8Array>, max = 1 << 20): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const frame of otlpProtobufFrames(stream, max)) out.push(frame);
  return out;
}

async function failure(stream: AsyncIterable<Uint8Array>, max?: number): Promise<LakerunnerError> {
  try {
    await frames(stream, max);
  } catch (err) {
    expect(err).toBeInstanceOf(LakerunnerError);
    return err as LakerunnerError;
  }
  throw new Error('expected a failure');
}

function union(parts: Uint8Array[]) {
  return { resourceLogs: parts.flatMap((p) => decodeOtlpLogsProtobuf(p).resourceLogs) };
}

describe('otlpProtobufFrames', () => {
  it('yields one standalone request per resource whose union is the whole request', async () => {
    const parts = await frames(chunked(withUnknown, []));
    expect(parts).toHaveLength(3);
    for (const part of parts) expect(decodeOtlpLogsProtobuf(part).resourceLogs).toHaveLength(1);
    expect(union(parts)).toEqual(decodeOtlpLogsProtobuf(whole));
  });

  it('splits the same wherever the chunks break, one byte at a time included', async () => {
    const small = bytes(
      UNKNOWN_FIELDS,
      encodeLogs({ resourceLogs: [resourceLogs('a', 2), resourceLogs('b', 1)] }),
    );
    const oneByte = Array.from({ length: small.length }, (_, i) => i);
    expect(union(await frames(chunked(small, oneByte)))).toEqual(decodeOtlpLogsProtobuf(small));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat({ max: withUnknown.length }), { maxLength: 20 }), async (cuts) => {
        expect(union(await frames(chunked(withUnknown, cuts)))).toEqual(decodeOtlpLogsProtobuf(whole));
      }),
      { numRuns: 50 },
    );
  });

  it('yields nothing for an empty request', async () => {
    expect(await frames(chunked(new Uint8Array(0), []))).toEqual([]);
  });

  it('refuses a frame over the limit before buffering it', async () => {
    let pulledAfterHeader = false;
    async function* hugeResource(): AsyncGenerator<Uint8Array> {
      yield Uint8Array.from([0x0a, 0x80, 0x80, 0x80, 0x80, 0x10]); // field 1, 4 GiB
      pulledAfterHeader = true;
      yield new Uint8Array(1024);
    }
    const err = await failure(hugeResource(), 1 << 20);
    expect(err.code).toBe('LR_INPUT_LIMIT');
    expect(err.message).toMatch(/4294967296 bytes.*over the maxFrameBytes limit of 1048576/);
    expect(pulledAfterHeader).toBe(false);
    const small = await failure(chunked(whole, []), 100);
    expect(small.code).toBe('LR_INPUT_LIMIT');
  });

  it('reports a stream that ends inside a resource as truncated', async () => {
    const firstResource = (await frames(chunked(whole, [])))[0]?.length ?? 0;
    const err = await failure(chunked(whole.subarray(0, firstResource + 10), [5]));
    expect(err.code).toBe('LR_INPUT_CORRUPT');
    expect(err.message).toMatch(
      /truncated after 1 complete resource\(s\): the stream ends inside a resource/,
    );
    expect((await failure(chunked(Uint8Array.from([0x0a]), []))).message).toMatch(
      /after 0 complete resource/,
    );
    expect((await failure(chunked(Uint8Array.from([0x10, 0x80]), []))).message).toMatch(/inside field 2/);
    expect((await failure(chunked(Uint8Array.from([0x1a, 0x05, 1]), []))).message).toMatch(/inside field 3/);
  });

  it('rejects a limit that is not a positive number', async () => {
    for (const max of [0, -1, Number.NaN]) {
      expect((await failure(chunked(whole, []), max)).code).toBe('LR_CONFIG_INVALID');
    }
  });

  it('frames or rejects random bytes, however they are chunked', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 64 }),
        fc.array(fc.nat({ max: 64 })),
        async (input, cuts) => {
          try {
            for (const frame of await frames(chunked(input, cuts), 32)) expect(frame[0]).toBe(0x0a);
          } catch (err) {
            expect(err).toBeInstanceOf(LakerunnerError);
            expect(['LR_INPUT_CORRUPT', 'LR_INPUT_LIMIT']).toContain((err as LakerunnerError).code);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects a top-level tag no request can hold', async () => {
    expect((await failure(chunked(Uint8Array.from([0x08, 0x01]), []))).code).toBe('LR_INPUT_CORRUPT');
    expect((await failure(chunked(Uint8Array.from([0x00]), []))).code).toBe('LR_INPUT_CORRUPT');
    expect((await failure(chunked(Uint8Array.from([0x13]), []))).message).toMatch(/wire type 3/);
    const longVarint = Uint8Array.from([0x10, ...new Array(10).fill(0xff), 0x01]);
    expect((await failure(chunked(longVarint, []))).message).toMatch(
      /varint longer than ten bytes at byte 1/,
    );
  });

  it('stops its source when the caller stops reading', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        yield whole;
      } finally {
        closed = true;
      }
    }
    for await (const _frame of otlpProtobufFrames(source(), 1 << 20)) break;
    expect(closed).toBe(true);
  });
});
