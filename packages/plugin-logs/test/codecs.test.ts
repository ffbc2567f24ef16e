import { gzipSync } from 'node:zlib';
import { Binary, Field, Int64, makeData, makeVector, Struct, Table, tableToIPC, Utf8 } from 'apache-arrow';
import { Table as WasmTable, writeParquet } from 'parquet-wasm';
import { describe, expect, it } from 'vitest';
import { csvLogsCodec } from '../src/codecs/csv.js';
import { jsonLinesLogsCodec } from '../src/codecs/json-lines.js';
import { otlpJsonLogsCodec } from '../src/codecs/otlp-json.js';
import { parquetLogsCodec } from '../src/codecs/parquet.js';
import { textLogsCodec } from '../src/codecs/text.js';
import { decodeAll, piece } from './support.js';

describe('JSON lines', () => {
  it('maps well-known fields and keeps the rest as typed attributes', async () => {
    const { piece: p } = piece(
      '{"ts":1795000000,"msg":"hi","severity":"warn","app":"api","user":7,"ratio":0.5,"tags":["a"]}\n',
    );
    const [r] = await decodeAll(jsonLinesLogsCodec.decode(p));
    expect(r).toMatchObject({
      position: '1',
      time: 1795000000,
      timeField: 'ts',
      body: 'hi',
      severityText: 'warn',
    });
    expect(r?.resource?.attributes.get('service.name')).toBe('api');
    expect(r?.attributes).toEqual(
      new Map<string, unknown>([
        ['user', 7n],
        ['ratio', 0.5],
        ['tags', ['a']],
      ]),
    );
  });

  it('reads a line that is an OTLP request as one, positioned by line, resource, scope and record', async () => {
    const otlp = {
      resourceLogs: [
        { scopeLogs: [{ logRecords: [{ body: { stringValue: 'a' } }, { body: { stringValue: 'b' } }] }] },
      ],
    };
    const { piece: p } = piece(`{"message":"x"}\n${JSON.stringify(otlp)}\n`);
    expect((await decodeAll(jsonLinesLogsCodec.decode(p))).map((r) => [r.position, r.body])).toEqual([
      ['1', 'x'],
      ['2.0.0.0', 'a'],
      ['2.0.0.1', 'b'],
    ]);
  });

  it('rejects a broken line by its number and keeps the others', async () => {
    const { piece: p, rejects } = piece('{"a":1}\n{"b":\n[1,2]\n{"c":3}\n', { first: 10 });
    const records = await decodeAll(jsonLinesLogsCodec.decode(p));
    expect(records.map((r) => r.position)).toEqual(['11', '14']);
    expect(rejects.map((r) => r.position)).toEqual(['12', '13']);
    expect(rejects[1]?.reason).toBe('not a JSON object');
  });

  it('rejects a value nested beyond limits.maxDepth, without exhausting the stack', async () => {
    const deep = `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const { piece: p, rejects } = piece(`${deep}\n{"ok":1}\n`);
    const records = await decodeAll(jsonLinesLogsCodec.decode(p));
    expect(records).toHaveLength(1);
    expect(rejects[0]).toMatchObject({ position: '1', reason: expect.stringMatching(/limits\.maxDepth/) });
  });

  it('a record attribute named resource or scope stays an attribute', async () => {
    const { piece: p } = piece('{"msg":"x","service":"api","resource":"r","scope":"s"}\n');
    const [r] = await decodeAll(jsonLinesLogsCodec.decode(p));
    expect(r?.attributes?.get('resource')).toBe('r');
    expect(r?.attributes?.get('scope')).toBe('s');
    expect(r?.resource?.attributes.get('service.name')).toBe('api');
  });
});

describe('JSON documents', () => {
  it('reads an OTLP/JSON request at full fidelity', async () => {
    const request = {
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] },
          schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
          scopeLogs: [
            {
              scope: {
                name: 'lib',
                version: '1.2.3',
                attributes: [{ key: 'x', value: { boolValue: true } }],
              },
              logRecords: [
                {
                  timeUnixNano: '1795000000123456789',
                  observedTimeUnixNano: '1795000000223456789',
                  severityNumber: 17,
                  severityText: 'Error',
                  body: { kvlistValue: { values: [{ key: 'k', value: { intValue: '9007199254740993' } }] } },
                  attributes: [
                    { key: 'big', value: { intValue: '9007199254740993' } },
                    { key: 'raw', value: { bytesValue: 'AQID' } },
                    { key: 'resource', value: { stringValue: 'not the resource' } },
                  ],
                  traceId: '5b8efff798038103d269b633813fc60c',
                  spanId: 'eee19b7ec3c1b174',
                  flags: 1,
                  eventName: 'checkout.failed',
                },
                { timeUnixNano: '1795000000123456790' },
              ],
            },
          ],
        },
      ],
    };
    const { piece: p } = piece(JSON.stringify(request, null, 2));
    const [r, bare] = await decodeAll(otlpJsonLogsCodec.decode(p));
    expect(r).toMatchObject({
      position: '0.0.0.0',
      time: 1795000000123456789n,
      observedTime: 1795000000223456789n,
      severityNumber: 17,
      severityText: 'Error',
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      flags: 1,
      eventName: 'checkout.failed',
    });
    expect(r?.body).toEqual(new Map([['k', 9007199254740993n]]));
    expect(r?.attributes?.get('big')).toBe(9007199254740993n);
    expect(r?.attributes?.get('raw')).toEqual(new Uint8Array([1, 2, 3]));
    expect(r?.attributes?.get('resource')).toBe('not the resource');
    expect(r?.resource).toMatchObject({ schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' });
    expect(r?.scope).toMatchObject({ name: 'lib', version: '1.2.3' });
    expect(r?.scope?.attributes.get('x')).toBe(true);
    expect(bare?.body).toBeUndefined();
  });

  it('reads an array of flat records, rejecting what is not an object', async () => {
    const { piece: p, rejects } = piece('[{"msg":"a"},3,{"msg":"b"}]');
    expect((await decodeAll(otlpJsonLogsCodec.decode(p))).map((r) => r.body)).toEqual(['a', 'b']);
    expect(rejects).toEqual([{ position: '2', reason: 'not a JSON object' }]);
  });

  it('names a malformed OTLP request', async () => {
    const { piece: p } = piece('{"resourceLogs":[{"scopeLogs":"abc"}]}');
    await expect(decodeAll(otlpJsonLogsCodec.decode(p))).rejects.toThrow(/scopeLogs/);
  });
});

describe('CSV', () => {
  it('reads quoted fields, embedded newlines and typed values', async () => {
    const { piece: p } = piece(
      '2026-11-29T10:00:00Z,INFO,"hello, ""world""",7,0.5,true\n2026-11-29T10:00:01Z,error,"multi\nline",,x,FALSE\n',
      {
        header: Buffer.from('time,level,message,count,ratio,flag\n'),
      },
    );
    const records = await decodeAll(csvLogsCodec.decode(p));
    expect(records.map((r) => [r.position, r.time, r.severityText, r.body])).toEqual([
      ['1', '2026-11-29T10:00:00Z', 'INFO', 'hello, "world"'],
      ['2', '2026-11-29T10:00:01Z', 'error', 'multi\nline'],
    ]);
    expect(records[0]?.attributes).toEqual(
      new Map<string, unknown>([
        ['count', 7n],
        ['ratio', 0.5],
        ['flag', true],
      ]),
    );
    expect(records[1]?.attributes).toEqual(
      new Map<string, unknown>([
        ['ratio', 'x'],
        ['flag', false],
      ]),
    );
  });

  it('rejects a malformed record by number and reads on', async () => {
    const { piece: p, rejects } = piece('a,b\nx"y"z,1\n"a"b,2\nc,d,e\nok,3\n', {
      header: Buffer.from('message,n\n'),
      first: 5,
    });
    expect((await decodeAll(csvLogsCodec.decode(p))).map((r) => r.position)).toEqual(['6', '10']);
    expect(rejects.map((r) => r.position)).toEqual(['7', '8', '9']);
  });
});

describe('plain text', () => {
  it('takes a leading timestamp and a level word, and keeps the whole line as the body', async () => {
    const line = '[2026-11-29 12:17:10,607] WARN [QuorumController id=1] Performing controller activation.';
    const { piece: p } = piece(`${line}\nno time here\n`);
    const records = await decodeAll(textLogsCodec.decode(p));
    expect(records[0]).toMatchObject({ time: '2026-11-29 12:17:10,607', severityText: 'WARN', body: line });
    expect(records[1]).toEqual({ position: '2', body: 'no time here' });
  });
});

describe('Parquet input', () => {
  it('reads any schema, flattening nested structs into dotted field names', async () => {
    const n = 2;
    const utf8 = (values: string[]) => {
      const bytes = Buffer.from(values.join(''));
      const offsets = new Int32Array(values.length + 1);
      values.forEach((v, i) => {
        offsets[i + 1] = (offsets[i] as number) + Buffer.byteLength(v);
      });
      return makeData({ type: new Utf8(), length: values.length, valueOffsets: offsets, data: bytes });
    };
    const http = makeData({
      type: new Struct([new Field('method', new Utf8()), new Field('status', new Int64())]),
      length: n,
      children: [
        utf8(['GET', 'POST']),
        makeData({ type: new Int64(), length: n, data: new BigInt64Array([200n, 500n]) }),
      ],
    });
    const table = new Table({
      msg: makeVector(utf8(['a', 'b'])),
      http: makeVector(http),
      blob: makeVector(
        makeData({
          type: new Binary(),
          length: n,
          valueOffsets: new Int32Array([0, 1, 2]),
          data: new Uint8Array([7, 8]),
        }),
      ),
    });
    const bytes = writeParquet(WasmTable.fromIPCStream(tableToIPC(table, 'stream')));
    const { piece: p } = piece(gzipSync(Buffer.alloc(0)).subarray(0, 0));
    const records = await decodeAll(parquetLogsCodec.decode({ ...p, bytes }));
    expect(records.map((r) => [r.position, r.body])).toEqual([
      ['1', 'a'],
      ['2', 'b'],
    ]);
    expect(records[1]?.attributes).toEqual(
      new Map<string, unknown>([
        ['http.method', 'POST'],
        ['http.status', 500n],
        ['blob', new Uint8Array([8])],
      ]),
    );
  });
});
