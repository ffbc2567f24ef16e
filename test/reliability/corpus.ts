import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { createGzip, gzipSync, constants as zlib } from 'node:zlib';

/**
 * Hostile and odd inputs, each with the outcome it must have: rows ingested (exactly), single
 * records rejected (with the rest of the object kept), or the object dead-lettered with a code
 * and reason. Nothing may stall the pipeline, hold other orgs up, or disappear without a trace.
 */
export interface Case {
  name: string;
  /** File name under otel-raw/<org>/<collector>/; the prefix says the signal. */
  file: string;
  body: Buffer | (() => Readable);
  /** Rows that must land from this object. */
  rows: number;
  /** The object is dead-lettered (fully or for some records) with this code. */
  fails?: string;
  /** …and a reason matching this. */
  reason?: RegExp;
  /** Records reported rejected (partial objects). */
  rejected?: number;
  /** Checked against the object's rows after ingest (DuckDB column → expected value). */
  check?: { sql: string; equals: unknown };
}

const otlp = createRequire(import.meta.url)('otlp-oracle/build/src/generated/root').opentelemetry.proto
  .collector;
const T = Date.UTC(2026, 10, 28, 10);
const line = (o: object) => JSON.stringify(o);
const lines = (n: number, extra: (i: number) => object = () => ({})) =>
  Array.from({ length: n }, (_, i) => line({ ts: T + i, msg: `m ${i}`, service: 'svc', ...extra(i) })).join(
    '\n',
  );
const text = (s: string) => Buffer.from(s);
const logsRequest = (n: number, record: (i: number) => object = () => ({})) => ({
  resourceLogs: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
      scopeLogs: [
        {
          logRecords: Array.from({ length: n }, (_, i) => ({
            timeUnixNano: String(BigInt(T + i) * 1_000_000n),
            body: { stringValue: `r ${i}` },
            ...record(i),
          })),
        },
      ],
    },
  ],
});
const protobuf = (request: object) => {
  const type = otlp.logs.v1.ExportLogsServiceRequest;
  return Buffer.from(type.encode(type.fromObject(request)).finish());
};
const spansRequest = (n: number) => ({
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
      scopeSpans: [
        {
          spans: Array.from({ length: n }, (_, i) => ({
            traceId: Buffer.alloc(16, i + 1),
            spanId: Buffer.alloc(8, i + 1),
            name: `s${i}`,
            startTimeUnixNano: String(BigInt(T + i) * 1_000_000n),
            endTimeUnixNano: String(BigInt(T + i + 5) * 1_000_000n),
          })),
        },
      ],
    },
  ],
});
const traceProtobuf = (request: object) => {
  const type = otlp.trace.v1.ExportTraceServiceRequest;
  return Buffer.from(type.encode(type.fromObject(request)).finish());
};

/** A gzip stream of `prefix`, then `bytes` of one repeated byte, generated while it is written. */
function gzipOf(bytes: number, fill: number, prefix = ''): () => Readable {
  return () => {
    const chunk = Buffer.alloc(1 << 20, fill);
    let left = bytes;
    let started = false;
    const source = new Readable({
      read() {
        if (!started && prefix) this.push(Buffer.from(prefix));
        started = true;
        if (left <= 0) {
          this.push(null);
          return;
        }
        const n = Math.min(left, chunk.length);
        left -= n;
        this.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      },
    });
    return source.pipe(createGzip({ level: zlib.Z_BEST_SPEED }));
  };
}

/** `prefix`, then one line longer than any sane record, then a normal line. */
function hugeLine(bytes: number, prefix = ''): () => Readable {
  return () => {
    let left = bytes;
    let started = false;
    const chunk = Buffer.alloc(1 << 20, 0x61);
    return new Readable({
      read() {
        if (!started && prefix) this.push(Buffer.from(prefix));
        started = true;
        if (left <= 0) {
          this.push(Buffer.from(`\n${line({ ts: T, msg: 'after the huge line', service: 'svc' })}\n`));
          this.push(null);
          return;
        }
        const n = Math.min(left, chunk.length);
        left -= n;
        this.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      },
    });
  };
}

const deep = (depth: number) => `{"ts":${T},"msg":"deep","a":${'['.repeat(depth)}${']'.repeat(depth)}}`;
const goodProto = protobuf(logsRequest(30));

export const CASES: Case[] = [
  // --- timestamps: never wrapped, never a negative day, strings that are not dates are not dates
  { name: 'time 1e22', file: 'logs_time_1e22.jsonl', body: text(lines(3, () => ({ ts: 1e22 }))), rows: 3 },
  { name: 'time 1e19 ns', file: 'logs_time_1e19.jsonl', body: text(lines(3, () => ({ ts: 1e19 }))), rows: 3 },
  {
    name: 'time 9999-12-31',
    file: 'logs_time_9999.jsonl',
    body: text(lines(2, () => ({ ts: '9999-12-31T23:59:59Z' }))),
    rows: 2,
  },
  {
    name: 'time year -1',
    file: 'logs_time_minus1.jsonl',
    body: text(lines(2, () => ({ ts: '-000001-01-01T00:00:00Z' }))),
    rows: 2,
  },
  {
    name: 'time "-5" is not a date',
    file: 'logs_time_minus5.jsonl',
    body: text(lines(2, () => ({ ts: '-5' }))),
    rows: 2,
    check: { sql: "SELECT count(*)::INTEGER AS v FROM lake WHERE attr_ts = '-5'", equals: 2 },
  },
  {
    name: 'time negative number',
    file: 'logs_time_negative.jsonl',
    body: text(lines(2, () => ({ ts: -1700000000 }))),
    rows: 2,
  },
  {
    name: 'time NaN string',
    file: 'logs_time_nan.jsonl',
    body: text(lines(2, () => ({ ts: 'NaN' }))),
    rows: 2,
  },
  {
    name: 'time 2026-02-30',
    file: 'logs_time_feb30.jsonl',
    body: text(lines(2, () => ({ ts: '2026-02-30T00:00:00Z' }))),
    rows: 2,
  },
  {
    name: 'time missing',
    file: 'logs_time_missing.jsonl',
    body: text('{"msg":"no time at all"}\n{"msg":"none either"}\n'),
    rows: 2,
  },
  {
    name: 'time before 1970',
    file: 'logs_time_1960.jsonl',
    body: text(lines(2, () => ({ ts: '1960-01-01T00:00:00Z' }))),
    rows: 2,
  },
  {
    name: 'time far future',
    file: 'logs_time_2300.jsonl',
    body: text(lines(2, () => ({ ts: '2300-01-01T00:00:00Z' }))),
    rows: 2,
  },
  {
    name: 'OTLP time 2^64-1',
    file: 'logs_otlp_time_max.binpb',
    body: protobuf(logsRequest(2, () => ({ timeUnixNano: '18446744073709551615' }))),
    rows: 2,
  },
  // --- nesting, size and count limits
  {
    name: 'JSON nested 100k levels',
    file: 'logs_deep.jsonl',
    body: text(`${deep(100_000)}\n${lines(2)}\n`),
    rows: 2,
    fails: 'LR_INPUT_CORRUPT',
    rejected: 1,
  },
  {
    name: 'JSON document nested 100k levels',
    file: 'logs_deep_doc.json',
    body: text(`[${deep(100_000)}]`),
    rows: 0,
    fails: 'LR_INPUT_CORRUPT',
    rejected: 1,
  },
  {
    name: 'OTLP kvlist nested 100k levels',
    file: 'logs_otlp_deep.json',
    body: text(
      `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":${'{"kvlistValue":{"values":[{"key":"k","value":'.repeat(100_000)}{"stringValue":"x"}${'}]}}'.repeat(100_000)}}]}]}]}`,
    ),
    rows: 0,
    fails: 'LR_INPUT_LIMIT',
    reason: /maxDepth/,
  },
  {
    name: 'a 20 MB .json of 700k rows (JSON lines)',
    file: 'logs_700k.json',
    body: text(lines(700_000)),
    rows: 700_000,
  },
  { name: 'a .jsonl of 800k rows', file: 'logs_800k.jsonl', body: text(lines(800_000)), rows: 800_000 },
  {
    name: '.json.gz inflating past 512 MiB',
    file: 'logs_bomb.json.gz',
    body: gzipOf(600 * 1024 ** 2, 0x78, '{"a":"'),
    rows: 0,
    fails: 'LR_INPUT_LIMIT',
    reason: /maxDocumentBytes/,
  },
  {
    name: '2.2 GiB of NUL bytes as .json.gz',
    file: 'logs_nuls.json.gz',
    body: gzipOf(2.2 * 1024 ** 3, 0x00),
    rows: 0,
    fails: 'LR_INPUT_UNSUPPORTED',
    reason: /first bytes 0x0000/,
  },
  {
    name: '2.2 GiB of zeros as .jsonl.gz, no newline',
    file: 'logs_zeros.jsonl.gz',
    body: gzipOf(2.2 * 1024 ** 3, 0x30),
    rows: 0,
    fails: 'LR_INPUT_CORRUPT',
    rejected: 1,
  },
  {
    name: 'one 200 MB line, then a good one',
    file: 'logs_long_line.jsonl',
    body: hugeLine(200 * 1024 ** 2),
    rows: 1,
    fails: 'LR_INPUT_CORRUPT',
    rejected: 1,
    reason: /1 record\(s\) could not be read/,
  },
  {
    name: 'a CSV record longer than the limit',
    file: 'logs_long_record.csv',
    body: hugeLine(20 * 1024 ** 2, 'x,y,'),
    rows: 0,
    fails: 'LR_INPUT_LIMIT',
    reason: /header row/,
  },
  // --- malformed per codec: dead-lettered with the reason; what can be kept is kept
  {
    name: 'OTLP scopeLogs "abc"',
    file: 'logs_otlp_abc.json',
    body: text('{"resourceLogs":[{"scopeLogs":"abc"}]}'),
    rows: 0,
    fails: 'LR_INPUT_CORRUPT',
    reason: /scopeLogs: expected an array/,
  },
  {
    name: 'OTLP logRecords a number',
    file: 'logs_otlp_num.json',
    body: text('{"resourceLogs":[{"scopeLogs":[{"logRecords":5}]}]}'),
    rows: 0,
    fails: 'LR_INPUT_CORRUPT',
    reason: /logRecords/,
  },
  {
    name: 'OTLP bad trace id',
    file: 'logs_otlp_badid.json',
    body: text('{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"traceId":"zz"}]}]}]}'),
    rows: 0,
    fails: 'LR_INPUT_CORRUPT',
    reason: /traceId/,
  },
  {
    name: 'OTLP intValue not a number',
    file: 'logs_otlp_int.json',
    body: text(
      '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"attributes":[{"key":"a","value":{"intValue":"abc"}}]}]}]}]}',
    ),
    rows: 0,
    fails: 'LR_INPUT_CORRUPT',
  },
  {
    name: 'OTLP JSON truncated',
    file: 'logs_otlp_cut.json',
    body: text(JSON.stringify(logsRequest(3)).slice(0, 80)),
    rows: 0,
    fails: 'LR_INPUT_CORRUPT',
  },
  {
    name: 'OTLP traces request under logs',
    file: 'logs_otlp_traces.json',
    body: text('{"resourceSpans":[]}'),
    rows: 0,
    fails: 'LR_INPUT_UNSUPPORTED',
  },
  {
    name: 'OTLP JSON empty request',
    file: 'logs_otlp_empty.json',
    body: text('{"resourceLogs":[]}'),
    rows: 0,
  },
  {
    name: 'OTLP protobuf truncated',
    file: 'logs_cut.binpb',
    body: goodProto.subarray(0, goodProto.length - 7),
    rows: 0,
    fails: 'LR_INPUT_CORRUPT',
    reason: /truncated/,
  },
  // Inputs whose first bytes already show they are not OTLP: nothing recognises them.
  {
    name: 'OTLP protobuf random bytes',
    file: 'logs_random.binpb',
    body: Buffer.from([0x0a, 0x04, 0xff, 0xff, 0xff, 0xff]),
    rows: 0,
    fails: 'LR_INPUT_UNSUPPORTED',
  },
  {
    name: 'OTLP protobuf bad varint',
    file: 'logs_varint.binpb',
    body: Buffer.from([0x0a, 0x0b, ...new Array(11).fill(0xff)]),
    rows: 0,
    fails: 'LR_INPUT_UNSUPPORTED',
  },
  {
    name: 'OTLP protobuf wrong wire type',
    file: 'logs_wiretype.binpb',
    body: Buffer.from([0x0a, 0x02, 0x08, 0x01]),
    rows: 0,
    fails: 'LR_INPUT_UNSUPPORTED',
  },
  {
    name: 'OTLP protobuf length past the end',
    file: 'logs_length.binpb',
    body: Buffer.from([0x0a, 0x7f, 0x0a, 0x00]),
    rows: 0,
    fails: 'LR_INPUT_CORRUPT',
  },
  {
    name: 'OTLP protobuf, then garbage',
    file: 'logs_tail.binpb',
    body: Buffer.concat([goodProto, Buffer.from([0x0a, 0x09, 1, 2])]),
    rows: 30,
    fails: 'LR_INPUT_CORRUPT',
    reason: /30 records before it were ingested/,
  },
  { name: 'OTLP protobuf 0-byte', file: 'logs_zero.binpb', body: Buffer.alloc(0), rows: 0 },
  {
    name: 'two OTLP protobuf requests concatenated',
    file: 'logs_two.binpb',
    body: Buffer.concat([goodProto, goodProto]),
    rows: 60,
  },
  {
    name: 'OTLP protobuf gzipped twice',
    file: 'logs_twice.binpb.gz',
    body: gzipSync(gzipSync(goodProto)),
    rows: 0,
    fails: 'LR_INPUT_UNSUPPORTED',
  },
  {
    name: 'gzip truncated',
    file: 'logs_cut.jsonl.gz',
    body: gzipSync(text(lines(500))).subarray(0, 300),
    rows: 0,
    fails: 'LR_INPUT_CORRUPT',
    reason: /cannot decompress/,
  },
  {
    name: 'gzip with garbage after it',
    file: 'logs_trailing.jsonl.gz',
    body: Buffer.concat([gzipSync(text(lines(5))), Buffer.from('garbage')]),
    rows: 0,
    fails: 'LR_INPUT_CORRUPT',
  },
  {
    name: 'gzip of two members',
    file: 'logs_members.jsonl.gz',
    body: Buffer.concat([gzipSync(text(`${lines(3)}\n`)), gzipSync(text(lines(4)))]),
    rows: 7,
  },
  {
    name: 'gzip header only',
    file: 'logs_header.jsonl.gz',
    body: Buffer.from([0x1f, 0x8b, 0x08, 0x00]),
    rows: 0,
    fails: 'LR_INPUT_CORRUPT',
  },
  { name: '.gz that is not gzip', file: 'logs_plain.jsonl.gz', body: text(lines(4)), rows: 4 },
  { name: 'gzip without .gz', file: 'logs_secretly_gzip.jsonl', body: gzipSync(text(lines(4))), rows: 4 },
  {
    name: 'zstd',
    file: 'logs_z.jsonl.zst',
    body: Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]),
    rows: 0,
    fails: Number(process.versions.node.split('.')[0]) < 22 ? 'LR_INPUT_UNSUPPORTED' : 'LR_INPUT_CORRUPT',
  },
  {
    name: 'JSON lines, one broken line',
    file: 'logs_one_bad.jsonl',
    body: text(`${lines(3)}\n{"broken":\n${lines(2)}`),
    rows: 5,
    fails: 'LR_INPUT_CORRUPT',
    rejected: 1,
  },
  {
    name: 'JSON lines, arrays and scalars',
    file: 'logs_scalars.jsonl',
    body: text(`[1]\n42\n"s"\nnull\ntrue\n${lines(1)}`),
    rows: 1,
    fails: 'LR_INPUT_CORRUPT',
    rejected: 5,
  },
  {
    name: 'JSON lines, every line bad',
    file: 'logs_all_bad.jsonl',
    body: text(Array.from({ length: 300 }, (_, i) => `{bad ${i}`).join('\n')),
    rows: 0,
    fails: 'LR_INPUT_CORRUPT',
    rejected: 300,
  },
  {
    name: 'JSON lines with CRLF',
    file: 'logs_crlf.jsonl',
    body: text(lines(4).replaceAll('\n', '\r\n')),
    rows: 4,
  },
  {
    name: 'JSON lines with a BOM',
    file: 'logs_bom.jsonl',
    body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text(lines(3))]),
    rows: 3,
  },
  { name: 'JSON lines, blank lines', file: 'logs_blank.jsonl', body: text(`\n\n${lines(2)}\n\n\n`), rows: 2 },
  {
    name: 'JSON lines, invalid UTF-8',
    file: 'logs_utf8.jsonl',
    body: Buffer.concat([text('{"ts":1795860000000,"msg":"a'), Buffer.from([0xff, 0xfe]), text('b"}\n')]),
    rows: 1,
  },
  {
    name: 'JSON lines, NUL in a value',
    file: 'logs_nul.jsonl',
    body: text(`${line({ ts: T, msg: 'a\u0000b', 'k\u0000': 'v\u0000' })}\n`),
    rows: 1,
  },
  {
    name: 'JSON lines, 2,000 attributes',
    file: 'logs_wide.jsonl',
    body: text(
      line({
        ts: T,
        msg: 'wide',
        ...Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i])),
      }),
    ),
    rows: 1,
  },
  {
    name: 'JSON lines, attribute names colliding',
    file: 'logs_collide.jsonl',
    body: text(line({ ts: T, msg: 'c', 'a.b': 1, a_b: 2, 'A.B': 3 })),
    rows: 1,
    check: { sql: 'SELECT attr_a_b AS v FROM lake', equals: 3n },
  },
  {
    name: 'JSON lines, a huge number',
    file: 'logs_bignum.jsonl',
    body: text(`{"ts":${T},"msg":"n","n":1e400,"m":-1e400}\n`),
    rows: 1,
  },
  {
    name: 'JSON lines, message an object',
    file: 'logs_msg_obj.jsonl',
    body: text(line({ ts: T, msg: { a: [1, 2] } })),
    rows: 1,
    check: { sql: 'SELECT body_type AS v FROM lake', equals: 'kvlist' },
  },
  {
    name: 'JSON lines, service a number',
    file: 'logs_service_num.jsonl',
    body: text(line({ ts: T, msg: 'x', service: 42 })),
    rows: 1,
  },
  {
    name: 'JSON lines, level an object',
    file: 'logs_level_obj.jsonl',
    body: text(line({ ts: T, msg: 'x', level: { a: 1 } })),
    rows: 1,
  },
  {
    name: 'JSON lines, duplicate keys',
    file: 'logs_dupkeys.jsonl',
    body: text(`{"ts":${T},"msg":"a","msg":"b"}\n`),
    rows: 1,
  },
  {
    name: 'JSON lines, 100k short lines',
    file: 'logs_short.jsonl',
    body: text(Array.from({ length: 100_000 }, (_, i) => `{"i":${i}}`).join('\n')),
    rows: 100_000,
  },
  {
    name: 'JSON document, an array of records',
    file: 'logs_array.json',
    body: text(JSON.stringify([{ msg: 'a' }, { msg: 'b' }, 3])),
    rows: 2,
    fails: 'LR_INPUT_CORRUPT',
    rejected: 1,
  },
  { name: 'JSON document, a scalar (read as text)', file: 'logs_scalar.json', body: text('42'), rows: 1 },
  { name: 'JSON document, empty', file: 'logs_empty.json', body: Buffer.alloc(0), rows: 0 },
  {
    name: 'JSON document, pretty-printed OTLP',
    file: 'logs_pretty.json',
    body: text(JSON.stringify(logsRequest(4), null, 2)),
    rows: 4,
  },
  {
    name: 'CSV, quoted newlines and commas',
    file: 'logs_quoted.csv',
    body: text('message,level\n"a,\nb",info\n"c ""d""",warn\n'),
    rows: 2,
  },
  { name: 'CSV, header only', file: 'logs_header.csv', body: text('message,level\n'), rows: 0 },
  {
    name: 'CSV, ragged rows',
    file: 'logs_ragged.csv',
    body: text('message,level\na\nb,info,extra\nc,warn\n'),
    rows: 2,
    fails: 'LR_INPUT_CORRUPT',
    rejected: 1,
  },
  {
    name: 'CSV, unclosed quote',
    file: 'logs_unclosed.csv',
    body: text('message\nok\n"never closed\n'),
    rows: 1,
    fails: 'LR_INPUT_CORRUPT',
    rejected: 1,
  },
  {
    name: 'CSV, 50k rows',
    file: 'logs_many.csv',
    body: text(`ts,message\n${Array.from({ length: 50_000 }, (_, i) => `${T + i},row ${i}`).join('\n')}\n`),
    rows: 50_000,
  },
  {
    name: 'Parquet, truncated',
    file: 'logs_cut.parquet',
    body: text('PAR1 not really parquet PAR1'),
    rows: 0,
    fails: 'LR_INPUT_CORRUPT',
  },
  {
    name: 'Parquet, only the magic',
    file: 'logs_magic.parquet',
    body: text('PAR1'),
    rows: 0,
    fails: 'LR_INPUT_CORRUPT',
  },
  {
    name: 'text, long lines and control characters',
    file: 'logs_ctrl.log',
    body: text(`a\u0007b\u001bc\n${'x'.repeat(100_000)}\nend\n`),
    rows: 3,
  },
  {
    name: 'text, binary content',
    file: 'logs_binary.log',
    body: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)),
    rows: 0,
    fails: 'LR_INPUT_UNSUPPORTED',
  },
  {
    name: 'unknown suffix, binary',
    file: 'logs_blob.xyz',
    body: Buffer.from([0, 1, 2, 3, 4, 5]),
    rows: 0,
    fails: 'LR_INPUT_UNSUPPORTED',
    reason: /0x000102030405/,
  },
  { name: 'unknown suffix, JSON lines inside', file: 'logs_lines.dat', body: text(lines(3)), rows: 3 },
  { name: 'no suffix, OTLP protobuf inside', file: 'logs_noext', body: goodProto, rows: 30 },
  { name: 'empty object, no suffix', file: 'logs_nothing', body: Buffer.alloc(0), rows: 0 },
  { name: 'key with spaces and unicode', file: 'logs_ünïcödé name.jsonl', body: text(lines(2)), rows: 2 },
  { name: 'traces, protobuf', file: 'traces_ok.binpb', body: traceProtobuf(spansRequest(12)), rows: 12 },
  {
    name: 'traces, protobuf truncated',
    file: 'traces_cut.binpb',
    body: traceProtobuf(spansRequest(12)).subarray(0, 40),
    rows: 0,
    fails: 'LR_INPUT_CORRUPT',
  },
  {
    name: 'traces, JSON bad span id',
    file: 'traces_badid.json',
    body: text('{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"00","spanId":"x"}]}]}]}'),
    rows: 0,
    fails: 'LR_INPUT_CORRUPT',
  },
  {
    name: 'traces, a logs request',
    file: 'traces_logs.json',
    body: text(JSON.stringify(logsRequest(1))),
    rows: 0,
    fails: 'LR_INPUT_UNSUPPORTED',
  },
  {
    name: 'traces, JSON lines with a bad line',
    file: 'traces_lines.jsonl',
    body: text(
      `${JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: `${'0'.repeat(31)}1`, spanId: `${'0'.repeat(15)}1`, startTimeUnixNano: String(BigInt(T) * 1_000_000n) }] }] }] })}\nnot json\n`,
    ),
    rows: 1,
    fails: 'LR_INPUT_CORRUPT',
    rejected: 1,
  },
];
