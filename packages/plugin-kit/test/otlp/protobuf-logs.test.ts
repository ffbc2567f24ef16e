import { LakerunnerError } from '@lakerunner/core';
import { describe, expect, it } from 'vitest';
import { decodeOtlpLogsProtobuf, type OtlpLogRecord } from '../../src/otlp/index.js';
import { encodeLogs } from './oracle.js';
import { bytes, double, fixed32, fixed64, int, len, str, tag, UNKNOWN_FIELDS, varint } from './wire.js';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';

function hex(id: string): Buffer {
  return Buffer.from(id, 'hex');
}

const request = {
  resourceLogs: [
    {
      resource: {
        attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }],
        droppedAttributesCount: 2,
      },
      schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
      scopeLogs: [
        {
          scope: {
            name: 'io.lakerunner',
            version: '1.4.0',
            attributes: [{ key: 'team', value: { stringValue: 'core' } }],
            droppedAttributesCount: 1,
          },
          schemaUrl: 'https://example.com/scope',
          logRecords: [
            {
              timeUnixNano: '1700000000123456789',
              observedTimeUnixNano: '18446744073709551615',
              severityNumber: 17,
              severityText: 'ERROR',
              body: {
                kvlistValue: {
                  values: [
                    {
                      key: 'z',
                      value: { arrayValue: { values: [{ intValue: '-1' }, { boolValue: false }, {}] } },
                    },
                    {
                      key: 'a',
                      value: { kvlistValue: { values: [{ key: 'deep', value: { doubleValue: 1.5 } }] } },
                    },
                  ],
                },
              },
              attributes: [
                { key: 'exact', value: { intValue: '9007199254740993' } },
                { key: 'min', value: { intValue: '-9223372036854775808' } },
                { key: 'bytes', value: { bytesValue: new Uint8Array([0, 1, 254, 255]) } },
                { key: 'nan', value: { doubleValue: Number.NaN } },
                { key: 'unicode', value: { stringValue: 'héllo 🌍 世界' } },
                { key: 'empty', value: {} },
                { key: 'absent' },
              ],
              droppedAttributesCount: 3,
              flags: 0x101,
              traceId: hex(TRACE_ID),
              spanId: hex(SPAN_ID),
              eventName: 'payment.declined',
            },
            {},
          ],
        },
      ],
    },
    { resource: {}, scopeLogs: [{ logRecords: [{ body: { stringValue: '' } }] }] },
  ],
};

const EMPTY_RECORD: OtlpLogRecord = {
  timeUnixNano: 0n,
  observedTimeUnixNano: 0n,
  severityNumber: 0,
  severityText: '',
  body: undefined,
  attributes: new Map(),
  droppedAttributesCount: 0,
  flags: 0,
  traceId: '',
  spanId: '',
  eventName: '',
};

function corrupt(input: Uint8Array): LakerunnerError {
  try {
    decodeOtlpLogsProtobuf(input);
  } catch (err) {
    expect(err).toBeInstanceOf(LakerunnerError);
    expect((err as LakerunnerError).code).toBe('LR_INPUT_CORRUPT');
    return err as LakerunnerError;
  }
  throw new Error('expected LR_INPUT_CORRUPT');
}

/** A request of one resource, one scope and one record whose fields are `record`. */
function withRecord(...record: number[][]): Uint8Array {
  return bytes(len(1, len(2, len(2, ...record))));
}

describe('decodeOtlpLogsProtobuf', () => {
  it('decodes every field of what the oracle encodes', () => {
    const decoded = decodeOtlpLogsProtobuf(encodeLogs(request));
    expect(decoded).toEqual({
      resourceLogs: [
        {
          resource: {
            attributes: new Map([['service.name', 'checkout']]),
            droppedAttributesCount: 2,
            schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
          },
          scopeLogs: [
            {
              scope: {
                name: 'io.lakerunner',
                version: '1.4.0',
                attributes: new Map([['team', 'core']]),
                droppedAttributesCount: 1,
                schemaUrl: 'https://example.com/scope',
              },
              logRecords: [
                {
                  timeUnixNano: 1_700_000_000_123_456_789n,
                  observedTimeUnixNano: 18_446_744_073_709_551_615n,
                  severityNumber: 17,
                  severityText: 'ERROR',
                  body: new Map<string, unknown>([
                    ['z', [-1n, false, null]],
                    ['a', new Map([['deep', 1.5]])],
                  ]),
                  attributes: new Map<string, unknown>([
                    ['exact', 9_007_199_254_740_993n],
                    ['min', -9_223_372_036_854_775_808n],
                    ['bytes', new Uint8Array([0, 1, 254, 255])],
                    ['nan', Number.NaN],
                    ['unicode', 'héllo 🌍 世界'],
                    ['empty', null],
                    ['absent', null],
                  ]),
                  droppedAttributesCount: 3,
                  flags: 0x101,
                  traceId: TRACE_ID,
                  spanId: SPAN_ID,
                  eventName: 'payment.declined',
                },
                EMPTY_RECORD,
              ],
            },
          ],
        },
        {
          resource: { attributes: new Map(), droppedAttributesCount: 0, schemaUrl: '' },
          scopeLogs: [
            {
              scope: {
                name: '',
                version: '',
                attributes: new Map(),
                droppedAttributesCount: 0,
                schemaUrl: '',
              },
              logRecords: [{ ...EMPTY_RECORD, body: '' }],
            },
          ],
        },
      ],
    });
  });

  it('keeps kvlist keys in their order', () => {
    const body = decodeOtlpLogsProtobuf(encodeLogs(request)).resourceLogs[0]?.scopeLogs[0]?.logRecords[0]
      ?.body;
    expect(body instanceof Map && [...body.keys()]).toEqual(['z', 'a']);
  });

  it('decodes an empty request', () => {
    expect(decodeOtlpLogsProtobuf(new Uint8Array(0))).toEqual({ resourceLogs: [] });
  });

  it('reads a Buffer, or a view into a larger buffer, and copies bytes values out of it', () => {
    const encoded = encodeLogs(request);
    const padded = Buffer.concat([Buffer.from([9, 9, 9]), encoded, Buffer.from([7])]);
    const view = padded.subarray(3, 3 + encoded.length);
    const decoded = decodeOtlpLogsProtobuf(view);
    expect(decoded).toEqual(decodeOtlpLogsProtobuf(encoded));
    const value = decoded.resourceLogs[0]?.scopeLogs[0]?.logRecords[0]?.attributes.get('bytes');
    padded.fill(0);
    expect(value).toEqual(new Uint8Array([0, 1, 254, 255]));
    expect(Buffer.isBuffer(value)).toBe(false);
  });

  it('skips unknown fields of every wire type at every level', () => {
    const input = bytes(
      UNKNOWN_FIELDS,
      len(
        1,
        UNKNOWN_FIELDS,
        len(1, UNKNOWN_FIELDS, len(1, str(1, 'k'), UNKNOWN_FIELDS, len(2, UNKNOWN_FIELDS, str(1, 'v')))),
        len(2, UNKNOWN_FIELDS, len(2, UNKNOWN_FIELDS, int(2, 9), UNKNOWN_FIELDS, len(5, UNKNOWN_FIELDS))),
        UNKNOWN_FIELDS,
      ),
    );
    expect(decodeOtlpLogsProtobuf(input).resourceLogs[0]).toMatchObject({
      resource: { attributes: new Map([['k', 'v']]) },
      scopeLogs: [{ logRecords: [{ severityNumber: 9, body: undefined }] }],
    });
  });

  it('reads fields in any order, merges a repeated resource and lets the last oneof value win', () => {
    const input = bytes(
      len(
        1,
        str(3, 'schema'),
        len(1, len(1, len(2, str(1, 'x')), str(1, 'a'))),
        len(1, int(2, 4)),
        len(2, len(2, fixed64(11, 5n), len(5, str(1, 'first'), int(3, 7)))),
      ),
    );
    expect(decodeOtlpLogsProtobuf(input).resourceLogs[0]).toMatchObject({
      resource: { attributes: new Map([['a', 'x']]), droppedAttributesCount: 4, schemaUrl: 'schema' },
      scopeLogs: [{ logRecords: [{ observedTimeUnixNano: 5n, body: 7n }] }],
    });
  });

  it('decodes negative enums, large dropped counts, a leading BOM and invalid UTF-8 (lossily)', () => {
    const decoded = decodeOtlpLogsProtobuf(
      withRecord(
        int(2, -5),
        int(7, 0xffffffff),
        len(3, [0x61, 0xff, 0x62]),
        fixed32(8, 0xffffffff),
        len(12, [0xef, 0xbb, 0xbf, 0x65]),
      ),
    );
    expect(decoded.resourceLogs[0]?.scopeLogs[0]?.logRecords[0]).toMatchObject({
      severityNumber: -5,
      droppedAttributesCount: 0xffffffff,
      severityText: 'a\ufffdb',
      flags: 0xffffffff,
      eventName: '\ufeffe',
    });
  });

  it('reports malformed input as LR_INPUT_CORRUPT with the byte offset', () => {
    expect(corrupt(bytes([0x0a, 0x05, 0x01])).message).toMatch(/length 5 exceeds the 1 bytes left at byte 1/);
    expect(corrupt(bytes([0x10, 0x80])).message).toMatch(/truncated varint at byte 1/);
    expect(corrupt(bytes([0x10], new Array(10).fill(0xff), [0x01])).message).toMatch(/longer than ten bytes/);
    expect(corrupt(bytes([0x00])).message).toMatch(/field number 0 at byte 0/);
    expect(corrupt(bytes(tag(5, 3))).message).toMatch(/unsupported wire type 3 for field 5/);
    expect(corrupt(bytes(tag(5, 4))).message).toMatch(/unsupported wire type 4/);
    expect(corrupt(bytes(tag(5, 6))).message).toMatch(/unsupported wire type 6/);
    expect(corrupt(bytes(int(1, 1))).message).toMatch(/field 1 has wire type 0 where 2 is expected/);
    expect(corrupt(withRecord(int(1, 5))).message).toMatch(/field 1 has wire type 0 where 1 is expected/);
    expect(corrupt(withRecord(str(2, 'INFO'))).message).toMatch(
      /field 2 has wire type 2 where 0 is expected/,
    );
    expect(corrupt(withRecord(tag(1, 1), [1, 2, 3])).message).toMatch(/truncated: 8 bytes needed, 3 left/);
    expect(corrupt(withRecord(len(9, [1, 2, 3]))).message).toMatch(/id of 3 bytes where 16 are expected/);
    expect(corrupt(withRecord(len(10, new Array(16).fill(1)))).message).toMatch(/where 8 are expected/);
    // A nested length may not reach past its parent, even when the buffer goes on.
    expect(corrupt(bytes([0x0a, 0x02, 0x12, 0x05], new Array(10).fill(0))).message).toMatch(
      /exceeds the 0 bytes/,
    );
    // A length varint too large for any buffer.
    expect(corrupt(bytes([0x0a], varint(2n ** 40n))).message).toMatch(/exceeds/);
  });

  it('rejects an invalid depth limit setting', () => {
    expect(() => decodeOtlpLogsProtobuf(new Uint8Array(0), { maxDepth: 1e6 })).toThrow(
      expect.objectContaining({ code: 'LR_CONFIG_INVALID' }),
    );
  });

  it('decodes a double attribute', () => {
    const input = withRecord(len(6, str(1, 'd'), len(2, double(4, -0))));
    expect(
      decodeOtlpLogsProtobuf(input).resourceLogs[0]?.scopeLogs[0]?.logRecords[0]?.attributes.get('d'),
    ).toBe(-0);
  });
});
