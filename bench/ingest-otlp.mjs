#!/usr/bin/env node
// bench/ingest-otlp: OTLP logs and traces, protobuf and JSON, through our bare codec path
// (decode + rows + sort + ZSTD Parquet, one thread), and the OTLP/JSON files through DuckDB
// (read_json → unnest → ORDER BY → COPY zstd) on the same rows: DuckDB cannot read OTLP
// protobuf here, so the protobuf figures are compared with DuckDB on the JSON of the same rows.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { LOG_CODECS, logsEncoding } from '@lakerunner/plugin-logs';
import { TRACE_CODECS, tracesEncoding } from '@lakerunner/plugin-traces';
import { report, timeCodec } from './codec.mjs';

const ROWS = Number(process.env.BENCH_ROWS ?? 300_000);
const PER_FILE = 10_000;
const FILES = Math.ceil(ROWS / PER_FILE);
const otlp = createRequire(import.meta.url)('otlp-oracle/build/src/generated/root').opentelemetry.proto
  .collector;
const T0 = Date.UTC(2026, 10, 28);
const str = (v) => ({ stringValue: v });
const nanos = (ms) => `${BigInt(ms) * 1_000_000n}`;
const hex = (n, len) => (BigInt(n) * 0x9e3779b97f4a7c15n).toString(16).padStart(len, '0').slice(-len);

function logsRequest(f) {
  return {
    resourceLogs: Array.from({ length: 10 }, (_, r) => ({
      resource: { attributes: [{ key: 'service.name', value: str(`svc-${r}`) }] },
      scopeLogs: [
        {
          scope: { name: 'bench', version: '1.0.0' },
          logRecords: Array.from({ length: PER_FILE / 10 }, (_, n) => {
            const i = f * PER_FILE + r * 1000 + n;
            return {
              timeUnixNano: nanos(T0 + i * 250),
              severityNumber: 9,
              severityText: 'INFO',
              body: str(
                `request ${i} path=/api/v1/items/${i % 9973} took ${(i * 37) % 900}ms user=${i % 10007}`,
              ),
              attributes: [
                { key: 'http.response.status_code', value: { intValue: 200 + (i % 5) } },
                { key: 'host.name', value: str(`node-${i % 100}`) },
              ],
              traceId: hex(i + 1, 32),
              spanId: hex(i + 3, 16),
            };
          }),
        },
      ],
    })),
  };
}

function tracesRequest(f) {
  const spans = Array.from({ length: PER_FILE }, (_, n) => {
    const i = f * PER_FILE + n;
    const trace = Math.floor(i / 5);
    return {
      traceId: hex(trace + 1, 32),
      spanId: hex(i + 1, 16),
      ...(i % 5 === 0 ? {} : { parentSpanId: hex(trace * 5 + 1, 16) }),
      name: i % 5 === 0 ? 'GET /checkout' : `SELECT ${i % 5}`,
      kind: i % 5 === 0 ? 2 : 3,
      startTimeUnixNano: nanos(T0 + trace * 1000 + (i % 5)),
      endTimeUnixNano: nanos(T0 + trace * 1000 + (i % 5) + 3),
      attributes: [{ key: 'db.system', value: str('postgresql') }],
      status: { code: 1 },
    };
  });
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: str('shop') }] },
        scopeSpans: [{ scope: { name: 'bench' }, spans }],
      },
    ],
  };
}

/** OTLP/JSON writes ids as hex, protobuf as bytes: the encoder gets the bytes. */
const idsAsBytes = (value) =>
  Array.isArray(value)
    ? value.map(idsAsBytes)
    : value && typeof value === 'object'
      ? Object.fromEntries(
          Object.entries(value).map(([k, v]) => [
            k,
            /^(trace|span|parentSpan)Id$/.test(k) ? Buffer.from(v, 'hex') : idsAsBytes(v),
          ]),
        )
      : value;
const protobuf = (type, request) => Buffer.from(type.encode(type.fromObject(idsAsBytes(request))).finish());
const work = mkdtempSync(join(tmpdir(), 'lakerunner-bench-otlp-'));
const inputs = { logs: { protobuf: [], json: [] }, traces: { protobuf: [], json: [] } };
for (let f = 0; f < FILES; f++) {
  const logs = logsRequest(f);
  const traces = tracesRequest(f);
  inputs.logs.protobuf.push({
    key: `logs_${f}.binpb`,
    bytes: protobuf(otlp.logs.v1.ExportLogsServiceRequest, logs),
  });
  inputs.traces.protobuf.push({
    key: `traces_${f}.binpb`,
    bytes: protobuf(otlp.trace.v1.ExportTraceServiceRequest, traces),
  });
  for (const [signal, request] of [
    ['logs', logs],
    ['traces', traces],
  ]) {
    const bytes = Buffer.from(JSON.stringify(request));
    inputs[signal].json.push({ key: `${signal}_${f}.json`, bytes });
    writeFileSync(join(work, `${signal}_${f}.json`), bytes);
  }
}
console.log(`input: ${FILES} requests per signal and encoding, ${FILES * PER_FILE} records each`);

const logsProto = await timeCodec({
  encoding: logsEncoding,
  codecs: LOG_CODECS,
  codec: 'otlp-protobuf',
  files: inputs.logs.protobuf,
});
const logsJson = await timeCodec({
  encoding: logsEncoding,
  codecs: LOG_CODECS,
  codec: 'json-document',
  files: inputs.logs.json,
});
const tracesProto = await timeCodec({
  encoding: tracesEncoding,
  codecs: TRACE_CODECS,
  codec: 'otlp-protobuf',
  files: inputs.traces.protobuf,
});
const tracesJson = await timeCodec({
  encoding: tracesEncoding,
  codecs: TRACE_CODECS,
  codec: 'otlp-json',
  files: inputs.traces.json,
});
for (const r of [logsProto, logsJson, tracesProto, tracesJson]) {
  if (r.rows !== FILES * PER_FILE)
    throw new Error(`a codec wrote ${r.rows} rows, expected ${FILES * PER_FILE}`);
}

const duck = await (await DuckDBInstance.create(':memory:', { threads: '2' })).connect();
async function duckdb(signal, path, order) {
  const t = performance.now();
  await duck.run(
    `COPY (SELECT * FROM (SELECT unnest(item, recursive := true) FROM (
       SELECT unnest(s.${path[1]}) AS item FROM (
         SELECT unnest(r.${path[0]}) AS s FROM (
           SELECT unnest(resource${signal === 'logs' ? 'Logs' : 'Spans'}) AS r
           FROM read_json('${work}/${signal}_*.json', maximum_object_size = 268435456)))))
       ORDER BY ${order})
     TO '${join(work, `${signal}.parquet`)}' (FORMAT parquet, COMPRESSION zstd)`,
  );
  return performance.now() - t;
}
const duckLogs = await duckdb('logs', ['scopeLogs', 'logRecords'], 'timeUnixNano');
const duckTraces = await duckdb('traces', ['scopeSpans', 'spans'], 'traceId, startTimeUnixNano');
rmSync(work, { recursive: true, force: true });

const n = FILES * PER_FILE;
report(
  [
    ['(a) logs, OTLP protobuf: lakerunner codec (1 thread)', logsProto.ms, n],
    ['(b) logs, OTLP/JSON: lakerunner codec (1 thread)', logsJson.ms, n],
    ['(c) logs, OTLP/JSON: DuckDB read_json → unnest → COPY zstd (2 threads)', duckLogs, n],
  ],
  duckLogs,
);
report(
  [
    ['(d) traces, OTLP protobuf: lakerunner codec (1 thread)', tracesProto.ms, n],
    ['(e) traces, OTLP/JSON: lakerunner codec (1 thread)', tracesJson.ms, n],
    ['(f) traces, OTLP/JSON: DuckDB read_json → unnest → COPY zstd (2 threads)', duckTraces, n],
  ],
  duckTraces,
);
process.exit(0);
