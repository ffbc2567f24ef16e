import { LakerunnerError } from '@lakerunner/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeOtlpLogsJson,
  decodeOtlpLogsProtobuf,
  decodeOtlpMetricsJson,
  decodeOtlpMetricsProtobuf,
  decodeOtlpTracesJson,
  decodeOtlpTracesProtobuf,
} from '../../src/otlp/index.js';
import { logs, metrics, traces } from './arbitraries.js';
import { encodeLogs, encodeMetrics, encodeTraces } from './oracle.js';
import { JSON_STYLE, logsWire, metricsWire, ORACLE, snakeCase, tracesWire } from './to-wire.js';

const RUNS = { numRuns: 150 };

/** Decoding hostile input may fail, but only with one of the input errors. */
function decodesOrRejects(decode: () => unknown): void {
  try {
    decode();
  } catch (err) {
    expect(err).toBeInstanceOf(LakerunnerError);
    expect(['LR_INPUT_CORRUPT', 'LR_INPUT_LIMIT']).toContain((err as LakerunnerError).code);
  }
}

/** What a JSON request looks like once it has been through a JSON text, as decoders receive it. */
function throughText(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

const signals = [
  {
    name: 'logs',
    model: logs as fc.Arbitrary<unknown>,
    encode: (m: unknown) => encodeLogs(logsWire(ORACLE, m as never)),
    toJson: (m: unknown) => logsWire(JSON_STYLE, m as never),
    protobuf: decodeOtlpLogsProtobuf,
    json: decodeOtlpLogsJson,
  },
  {
    name: 'traces',
    model: traces as fc.Arbitrary<unknown>,
    encode: (m: unknown) => encodeTraces(tracesWire(ORACLE, m as never)),
    toJson: (m: unknown) => tracesWire(JSON_STYLE, m as never),
    protobuf: decodeOtlpTracesProtobuf,
    json: decodeOtlpTracesJson,
  },
  {
    name: 'metrics',
    model: metrics as fc.Arbitrary<unknown>,
    encode: (m: unknown) => encodeMetrics(metricsWire(ORACLE, m as never)),
    toJson: (m: unknown) => metricsWire(JSON_STYLE, m as never),
    protobuf: decodeOtlpMetricsProtobuf,
    json: decodeOtlpMetricsJson,
  },
];

/** A copy of `value` with its `index`-th node (depth first, modulo the node count) replaced. */
function replaceNode(value: unknown, index: number, replacement: unknown): unknown {
  let remaining = index % countNodes(value);
  const walk = (v: unknown): unknown => {
    if (remaining-- === 0) return replacement;
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null)
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value);
}

function countNodes(v: unknown): number {
  if (Array.isArray(v)) return 1 + v.reduce((n: number, x) => n + countNodes(x), 0);
  if (typeof v === 'object' && v !== null)
    return 1 + Object.values(v).reduce((n: number, x) => n + countNodes(x), 0);
  return 1;
}

describe.each(signals)('$name', ({ model, encode, toJson, protobuf, json }) => {
  it('decodes what the oracle encodes back to the model', () => {
    fc.assert(
      fc.property(model, (m) => {
        expect(protobuf(encode(m))).toEqual(m);
      }),
      RUNS,
    );
  });

  it('decodes OTLP/JSON, in camelCase or snake_case, back to the model', () => {
    fc.assert(
      fc.property(model, fc.boolean(), (m, snake) => {
        const request = throughText(toJson(m));
        expect(json(snake ? snakeCase(request) : request)).toEqual(m);
      }),
      RUNS,
    );
  });

  it('decodes or rejects random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => decodesOrRejects(() => protobuf(bytes))),
      { numRuns: 500 },
    );
  });

  it('decodes or rejects truncated, bit-flipped and spliced encodings', () => {
    const mutation = fc.record({
      cut: fc.nat(),
      flip: fc.nat(),
      bit: fc.integer({ min: 0, max: 7 }),
      junk: fc.uint8Array({ maxLength: 12 }),
      kind: fc.constantFrom('truncate', 'flip', 'splice'),
    });
    fc.assert(
      fc.property(model, mutation, (m, { cut, flip, bit, junk, kind }) => {
        const bytes = encode(m);
        if (bytes.length === 0) return;
        let mutated: Uint8Array;
        if (kind === 'truncate') mutated = bytes.subarray(0, cut % bytes.length);
        else if (kind === 'flip') {
          mutated = bytes.slice();
          const at = flip % bytes.length;
          mutated[at] = (mutated[at] as number) ^ (1 << bit);
        } else {
          const at = cut % bytes.length;
          mutated = Buffer.concat([bytes.subarray(0, at), junk, bytes.subarray(at)]);
        }
        decodesOrRejects(() => protobuf(mutated));
      }),
      RUNS,
    );
  });

  it('decodes or rejects OTLP/JSON with any node replaced by a random JSON value', () => {
    fc.assert(
      fc.property(model, fc.nat(), fc.jsonValue({ maxDepth: 3 }), (m, index, replacement) => {
        const request = replaceNode(throughText(toJson(m)), index, replacement);
        decodesOrRejects(() => json(request));
      }),
      RUNS,
    );
  });

  it('decodes or rejects any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => decodesOrRejects(() => json(value))),
      { numRuns: 300 },
    );
  });
});
