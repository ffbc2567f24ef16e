import { LakerunnerError } from '@lakerunner/core';
import { describe, expect, it } from 'vitest';
import { decodeOtlpLogsJson, decodeOtlpLogsProtobuf } from '../../src/otlp/index.js';
import { tag, varint } from './wire.js';

/**
 * Hostile nesting: the decoders must stop at the depth limit with LR_INPUT_LIMIT, never with a
 * RangeError from a blown stack. The inputs are built iteratively so the test itself cannot
 * overflow either.
 */

const LEAF = [0x0a, 0x04, ...new TextEncoder().encode('leaf')];

/** A log body of `levels` kvlists, each holding the next under key "k", written outside in. */
function nestedKvlistRequest(levels: number): Uint8Array {
  // Sizes inside out: any[i] is the AnyValue at level i, which holds kvl[i], which holds kv[i].
  const any = new Array<number>(levels + 1);
  const kvl = new Array<number>(levels);
  const kv = new Array<number>(levels);
  any[levels] = LEAF.length;
  for (let i = levels - 1; i >= 0; i--) {
    const inner = any[i + 1] as number;
    kv[i] = 4 + varint(inner).length + inner;
    kvl[i] = 1 + varint(kv[i] as number).length + (kv[i] as number);
    any[i] = 1 + varint(kvl[i] as number).length + (kvl[i] as number);
  }
  const body = new Uint8Array(any[0] as number);
  let pos = 0;
  const put = (values: number[]) => {
    body.set(values, pos);
    pos += values.length;
  };
  for (let i = 0; i < levels; i++) {
    put([0x32, ...varint(kvl[i] as number), 0x0a, ...varint(kv[i] as number), 0x0a, 0x01, 0x6b, 0x12]);
    put(varint(any[i + 1] as number));
  }
  put(LEAF);
  return wrap(1, wrap(2, wrap(2, wrap(5, body))));
}

/** A length-delimited field around `inner`, without spreading a megabyte into an array. */
function wrap(field: number, inner: Uint8Array): Uint8Array {
  return new Uint8Array(Buffer.concat([Uint8Array.from([...tag(field, 2), ...varint(inner.length)]), inner]));
}

function nestedJsonRequest(levels: number, kind: 'kvlist' | 'array'): unknown {
  let value: unknown = { stringValue: 'leaf' };
  for (let i = 0; i < levels; i++) {
    value =
      kind === 'kvlist'
        ? { kvlistValue: { values: [{ key: 'k', value }] } }
        : { arrayValue: { values: [value] } };
  }
  return { resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: value }] }] }] };
}

function depthOf(body: unknown): number {
  let depth = 0;
  for (let v = body; v instanceof Map || Array.isArray(v); depth++) v = v instanceof Map ? v.get('k') : v[0];
  return depth;
}

function limitError(decode: () => unknown): LakerunnerError {
  try {
    decode();
  } catch (err) {
    expect(err).toBeInstanceOf(LakerunnerError);
    return err as LakerunnerError;
  }
  throw new Error('expected LR_INPUT_LIMIT');
}

describe('AnyValue nesting', () => {
  it('stops a protobuf kvlist nested 100,000 deep at the limit', () => {
    const err = limitError(() => decodeOtlpLogsProtobuf(nestedKvlistRequest(100_000)));
    expect(err.code).toBe('LR_INPUT_LIMIT');
    expect(err.message).toMatch(/maxDepth limit of 64 at byte \d+/);
  });

  it('stops JSON kvlists and arrays nested 100,000 deep at the limit', () => {
    for (const kind of ['kvlist', 'array'] as const) {
      const err = limitError(() => decodeOtlpLogsJson(nestedJsonRequest(100_000, kind)));
      expect(err.code).toBe('LR_INPUT_LIMIT');
      expect(err.message).toMatch(
        /maxDepth limit of 64 at resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[0\]\.body/,
      );
    }
  });

  it('accepts exactly the limit and rejects one more', () => {
    const body = (request: unknown) =>
      decodeOtlpLogsJson(request).resourceLogs[0]?.scopeLogs[0]?.logRecords[0]?.body ?? null;
    expect(
      depthOf(
        decodeOtlpLogsProtobuf(nestedKvlistRequest(64)).resourceLogs[0]?.scopeLogs[0]?.logRecords[0]?.body,
      ),
    ).toBe(64);
    expect(depthOf(body(nestedJsonRequest(64, 'array')))).toBe(64);
    expect(limitError(() => decodeOtlpLogsProtobuf(nestedKvlistRequest(65))).code).toBe('LR_INPUT_LIMIT');
    expect(limitError(() => decodeOtlpLogsJson(nestedJsonRequest(65, 'kvlist'))).code).toBe('LR_INPUT_LIMIT');
    expect(limitError(() => decodeOtlpLogsProtobuf(nestedKvlistRequest(3), { maxDepth: 2 })).message).toMatch(
      /limit of 2/,
    );
  });

  it('decodes the deepest nesting a limit may allow without overflowing the stack', () => {
    const limits = { maxDepth: 1000 };
    const fromProtobuf = decodeOtlpLogsProtobuf(nestedKvlistRequest(1000), limits);
    expect(depthOf(fromProtobuf.resourceLogs[0]?.scopeLogs[0]?.logRecords[0]?.body)).toBe(1000);
    const fromJson = decodeOtlpLogsJson(nestedJsonRequest(1000, 'kvlist'), limits);
    expect(depthOf(fromJson.resourceLogs[0]?.scopeLogs[0]?.logRecords[0]?.body)).toBe(1000);
    expect(limitError(() => decodeOtlpLogsJson({}, { maxDepth: 1001 })).code).toBe('LR_CONFIG_INVALID');
  });
});
