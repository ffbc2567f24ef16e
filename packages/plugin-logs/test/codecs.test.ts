import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseJsonLines } from '../src/codecs/json-lines.js';
import { lineChunks } from '../src/codecs/line-chunks.js';
import { parseOtlpLogs } from '../src/codecs/otlp-json.js';
import { dateintOf, toNanos } from '../src/log-row.js';
import { decodeLogParquet, encodeLogParquet } from '../src/parquet/log-parquet.js';

describe('JSON lines', () => {
  it('maps well-known fields and keeps the rest as attributes', () => {
    const [r] = [...parseJsonLines('{"ts":1795000000,"msg":"hi","severity":"warn","app":"api","user":7}\n')];
    expect(r).toEqual({
      position: '1',
      time: 1795000000,
      message: 'hi',
      level: 'warn',
      service: 'api',
      attributes: { user: 7 },
    });
  });

  it('reads a line that is an OTLP request as one', () => {
    const otlp = {
      resourceLogs: [
        { scopeLogs: [{ logRecords: [{ body: { stringValue: 'a' } }, { body: { stringValue: 'b' } }] }] },
      ],
    };
    expect(
      [...parseJsonLines(`{"message":"x"}\n${JSON.stringify(otlp)}\n`)].map((r) => [r.position, r.message]),
    ).toEqual([
      ['1', 'x'],
      ['2.0', 'a'],
      ['2.1', 'b'],
    ]);
  });

  it('names the broken line', () => {
    expect(() => [...parseJsonLines('{"a":1}\n{"b":\n', 10)]).toThrow('line 12 is not JSON');
  });
});

describe('OTLP/JSON logs', () => {
  it('takes service, severity, body and attributes from the request', () => {
    const request = {
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] },
          scopeLogs: [
            {
              scope: { name: 'lib' },
              logRecords: [
                {
                  timeUnixNano: '1795000000123456789',
                  severityNumber: 17,
                  body: { stringValue: 'boom' },
                  attributes: [{ key: 'http.status', value: { intValue: '500' } }],
                  traceId: 'abc',
                },
              ],
            },
          ],
        },
      ],
    };
    expect([...parseOtlpLogs(request, '0.')]).toEqual([
      {
        position: '0.0',
        time: '1795000000123456789',
        message: 'boom',
        level: 'ERROR',
        service: 'checkout',
        attributes: {
          resource: { 'service.name': 'checkout' },
          scope: 'lib',
          'http.status': 500,
          trace_id: 'abc',
        },
      },
    ]);
  });
});

describe('timestamps', () => {
  it('reads seconds, milliseconds, microseconds, nanoseconds and RFC 3339 with sub-millisecond digits', () => {
    expect(toNanos(1_795_000_000)).toBe(1_795_000_000_000_000_000n);
    expect(toNanos(1_795_000_000_123)).toBe(1_795_000_000_123_000_000n);
    expect(toNanos(1_795_000_000_123_456)).toBe(1_795_000_000_123_456_000n);
    expect(toNanos('1795000000123456789')).toBe(1_795_000_000_123_456_789n);
    expect(toNanos('2026-11-29T07:00:00.123456Z')).toBe(
      BigInt(Date.parse('2026-11-29T07:00:00.123Z')) * 1_000_000n + 456_000n,
    );
    expect(toNanos('yesterday')).toBeUndefined();
    expect(dateintOf(Date.parse('2026-11-29T23:59:59Z'))).toBe(20261129);
  });
});

describe('lineChunks', () => {
  it('cuts at line ends only and counts the lines before each chunk, however the bytes arrive', async () => {
    const lines = Array.from({ length: 500 }, (_, i) => `{"n":${i},"pad":"${'x'.repeat(i % 37)}"}`);
    const text = `${lines.join('\n')}\n`;
    const pieces: Buffer[] = [];
    for (let i = 0; i < text.length; i += 97) pieces.push(Buffer.from(text.slice(i, i + 97)));
    const chunks = [];
    for await (const chunk of lineChunks(Readable.from(pieces), 1000)) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(5);
    expect(Buffer.concat(chunks.map((c) => c.bytes)).toString()).toBe(text);
    let before = 0;
    for (const c of chunks) {
      expect(c.firstLine).toBe(before);
      expect(c.bytes.at(-1)).toBe(0x0a);
      before += c.bytes.toString().split('\n').length - 1;
    }
    const positions = chunks.flatMap((c) =>
      [...parseJsonLines(c.bytes.toString(), c.firstLine)].map((r) => r.position),
    );
    expect(positions).toEqual([...parseJsonLines(text)].map((r) => r.position));
  });
});

describe('log Parquet', () => {
  it('round-trips rows through ZSTD Parquet', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      ts: 1_795_000_000_000 + i,
      tsNs: BigInt(1_795_000_000_000 + i) * 1_000_000n + 7n,
      id: `id-${i}`,
      service: `svc-${i % 3}`,
      level: 'INFO',
      message: `message ${i} ünïcödé`,
      attributes: JSON.stringify({ i }),
    }));
    const bytes = encodeLogParquet(rows);
    expect(Buffer.from(bytes.subarray(0, 4)).toString()).toBe('PAR1');
    expect(decodeLogParquet(bytes)).toEqual(rows);
  });
});
