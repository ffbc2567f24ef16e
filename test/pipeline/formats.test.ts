import { gzipSync } from 'node:zlib';
import { Int64, makeData, makeVector, Table, tableToIPC, Utf8 } from 'apache-arrow';
import { Table as WasmTable, writeParquet } from 'parquet-wasm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPgliteCatalog } from '../../packages/catalog-postgres/src/index.js';
import type { Catalog, ObjectStore } from '../../packages/core/src/index.js';
import { createLogsPlugin } from '../../packages/plugin-logs/src/index.js';
import { createTracesPlugin } from '../../packages/plugin-traces/src/index.js';
import { testDeployment } from '../support/deployment.js';
import { duckdb } from '../support/duckdb.js';
import { type InProcessDeployment, startInProcess } from '../support/in-process.js';
import { sdkLogExport, sdkTraceExport } from '../support/otel-sdk.js';
import { until } from '../support/wait.js';

const brokers = inject('kafkaBrokers');
const T0 = Date.UTC(2026, 10, 28, 8);
const RAW = 'otel-raw/acme/c1';

/** What each object should become: its row count, or its dead-letter code. */
const expected = new Map<string, { signal: 'logs' | 'traces'; rows: number; fails?: RegExp }>();

async function put(
  store: ObjectStore,
  name: string,
  body: Buffer,
  signal: 'logs' | 'traces',
  rows: number,
  fails?: RegExp,
) {
  await store.put(`${RAW}/${name}`, body);
  expected.set(`${RAW}/${name}`, { signal, rows, ...(fails ? { fails } : {}) });
}

function jsonLines(n: number, tag: string): string {
  return Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      time: new Date(T0 + i * 1000).toISOString(),
      level: i % 2 ? 'INFORMATION' : 'info',
      msg: `${tag} user ${i} logged in from 10.0.0.${i % 255}`,
      service: 'auth',
      'http.status_code': 200 + (i % 3),
      latency_ms: i + 0.5,
      resource: 'a record field named resource',
    }),
  ).join('\n');
}

function csv(n: number, tag: string): string {
  const rows = Array.from(
    { length: n },
    (_, i) =>
      `${new Date(T0 + i * 1000).toISOString()},WARN,"${tag} row ${i}, with ""quotes""",${i},${i % 2 === 0}`,
  );
  return ['timestamp,severity,message,count,even', ...rows, ''].join('\n');
}

function textLog(n: number, tag: string): string {
  return Array.from(
    { length: n },
    (_, i) =>
      `[2026-11-28 08:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')},${String(i).padStart(3, '0')}] INFO [${tag} id=${i}] Completed partition reassignment`,
  ).join('\n');
}

function parquet(n: number, tag: string): Buffer {
  const strings = (values: string[]) => {
    const offsets = new Int32Array(values.length + 1);
    values.forEach((v, i) => {
      offsets[i + 1] = (offsets[i] as number) + Buffer.byteLength(v);
    });
    return makeVector(
      makeData({
        type: new Utf8(),
        length: values.length,
        valueOffsets: offsets,
        data: Buffer.from(values.join('')),
      }),
    );
  };
  const table = new Table({
    ts: makeVector(
      makeData({
        type: new Int64(),
        length: n,
        data: BigInt64Array.from({ length: n }, (_, i) => BigInt(T0 + i)),
      }),
    ),
    message: strings(Array.from({ length: n }, (_, i) => `${tag} parquet row ${i}`)),
    host: strings(Array.from({ length: n }, (_, i) => `host-${i % 4}`)),
  });
  return Buffer.from(writeParquet(WasmTable.fromIPCStream(tableToIPC(table, 'stream'))));
}

describe('every input format, plain and gzipped, through every Kafka hop (read back with DuckDB)', () => {
  let running: InProcessDeployment | undefined;
  let catalog: Catalog;
  let store: ObjectStore;

  beforeAll(async () => {
    const d = await testDeployment(brokers, 'formats', {
      plugins: ['@lakerunner/plugin-logs', '@lakerunner/plugin-traces'],
    });
    catalog = await createPgliteCatalog();
    await catalog.migrate();
    // Small units, so each signal's day first lands in several segments that compaction merges.
    const fast = { ingest: { maxAgeMs: 1000, maxInputs: 2 }, compact: { maxAgeMs: 2000 } };
    running = await startInProcess({
      brokers,
      prefix: d.prefix,
      plugins: [createLogsPlugin(fast), createTracesPlugin(fast)],
      catalog,
    });
    store = running.store;

    const sdkRecords = (n: number, tag: string) =>
      Array.from({ length: n }, (_, i) => ({
        timeMs: T0 + i * 10,
        body: `${tag} checkout ${i} failed`,
        severity: i % 2 ? 17 : 9,
        attributes: { 'order.id': i, tag, ratio: i / 4 },
      }));
    const sdkLogs = async (encoding: 'protobuf' | 'json', tag: string) =>
      sdkLogExport({ encoding, service: 'checkout', records: sdkRecords(120, tag) });
    await put(store, 'logs_sdk.binpb', await sdkLogs('protobuf', 'p1'), 'logs', 120);
    await put(store, 'logs_sdk2.binpb.gz', gzipSync(await sdkLogs('protobuf', 'p2')), 'logs', 120);
    await put(store, 'logs_sdk.json', await sdkLogs('json', 'j1'), 'logs', 120);
    await put(store, 'logs_sdk2.json.gz', gzipSync(await sdkLogs('json', 'j2')), 'logs', 120);
    await put(
      store,
      'logs_app.jsonl',
      Buffer.from(`${jsonLines(100, 'a')}\nnot json at all\n`),
      'logs',
      100,
      /1 record\(s\) could not be read/,
    );
    await put(store, 'logs_app2.jsonl.gz', gzipSync(jsonLines(100, 'b')), 'logs', 100);
    await put(store, 'logs_table.csv', Buffer.from(csv(50, 'c')), 'logs', 50);
    await put(store, 'logs_table2.csv.gz', gzipSync(csv(50, 'd')), 'logs', 50);
    await put(store, 'logs_broker.log', Buffer.from(textLog(30, 'e')), 'logs', 30);
    await put(store, 'logs_broker2.log.gz', gzipSync(textLog(30, 'f')), 'logs', 30);
    await put(store, 'logs_export.parquet', parquet(40, 'g'), 'logs', 40);
    await put(store, 'logs_export2.parquet.gz', gzipSync(parquet(40, 'h')), 'logs', 40);
    // No suffix, and a suffix that lies: the content decides.
    await put(store, 'logs_nosuffix', Buffer.from(jsonLines(20, 'i')), 'logs', 20);
    await put(store, 'logs_lies.csv', await sdkLogs('protobuf', 'p3'), 'logs', 120);
    // A malformed input per codec: dead-lettered with its reason, nothing else held up.
    await put(
      store,
      'logs_bad.binpb',
      Buffer.from([0x0a, 0x05, 0x0a, 0xff, 0xff, 0xff]),
      'logs',
      0,
      /LR_INPUT_CORRUPT/,
    );
    await put(
      store,
      'logs_bad.json',
      Buffer.from('{"resourceLogs":[{"scopeLogs":"abc"}]}'),
      'logs',
      0,
      /scopeLogs/,
    );
    await put(
      store,
      'logs_bad.parquet',
      Buffer.from('PAR1 this is not parquet PAR1'),
      'logs',
      0,
      /LR_INPUT_CORRUPT/,
    );
    await put(
      store,
      'logs_bad.jsonl.gz',
      gzipSync(jsonLines(50, 'k')).subarray(0, 200),
      'logs',
      0,
      /cannot decompress/,
    );
    await put(
      store,
      'logs_bad.xyz',
      Buffer.from([0, 159, 146, 150, 1, 2]),
      'logs',
      0,
      /LR_INPUT_UNSUPPORTED/,
    );

    const traces = async (encoding: 'protobuf' | 'json', offset: number) =>
      sdkTraceExport({
        encoding,
        service: 'checkout',
        traces: Array.from({ length: 15 }, (_, i) => ({
          startMs: T0 + offset + i * 3,
          children: 1 + (i % 4),
        })),
      });
    for (const [name, encoding, gz, offset] of [
      ['traces_sdk.binpb', 'protobuf', false, 0],
      ['traces_sdk2.binpb.gz', 'protobuf', true, 1],
      ['traces_sdk.json', 'json', false, 2],
      ['traces_sdk2.json.gz', 'json', true, 3],
    ] as const) {
      const t = await traces(encoding, offset);
      await put(store, name, gz ? gzipSync(t.body) : t.body, 'traces', t.spans);
    }
  }, 120_000);

  afterAll(async () => {
    await running?.stop();
    await catalog?.close();
  });

  const total = (signal: string) =>
    [...expected.values()].filter((e) => e.signal === signal).reduce((n, e) => n + e.rows, 0);
  const liveFiles = async (signal: string) =>
    (await catalog.segments({ signal })).map((s) => `${running?.root}/${s.objectKey}`);

  it('ingests and compacts every object to its exact rows, and dead-letters each malformed one with its reason', async () => {
    await until(
      'every row live and compacted',
      async () => {
        for (const signal of ['logs', 'traces']) {
          const live = await catalog.segments({ signal });
          if (live.reduce((n, s) => n + s.records, 0) !== total(signal)) return false;
          if (live.some((s) => s.createdBy !== 'compact')) return false;
        }
        return true;
      },
      150_000,
    ).catch(async (err) => {
      // Say what is missing: which objects have how many rows, which failed and why.
      for (const signal of ['logs', 'traces']) {
        const live = await catalog.segments({ signal });
        console.error(
          signal,
          live.map((s) => [s.createdBy, s.records]),
        );
        if (live.length > 0) {
          console.error(
            await duckdb(
              await liveFiles(signal),
              'SELECT source_key, count(*) AS n FROM lake GROUP BY ALL ORDER BY 1',
            ),
          );
        }
      }
      console.error(await catalog.failures());
      throw err;
    });
    for (const signal of ['logs', 'traces'] as const) {
      const counts = await duckdb(
        await liveFiles(signal),
        'SELECT source_key, count(*)::INTEGER AS n FROM lake GROUP BY ALL',
      );
      const got = new Map(counts.map((r) => [r.source_key, r.n]));
      for (const [key, e] of expected) {
        if (e.signal === signal) expect([key, got.get(key) ?? 0]).toEqual([key, e.rows]);
      }
      const ids = await duckdb(
        await liveFiles(signal),
        'SELECT count(DISTINCT id)::INTEGER AS d, count(*)::INTEGER AS n FROM lake',
      );
      expect(ids[0]?.d).toBe(ids[0]?.n);
    }
    const failures = await catalog.failures();
    for (const [key, e] of expected) {
      if (!e.fails) continue;
      const f = failures.find((x) => x.input.includes(key));
      expect(f, key).toBeDefined();
      expect(`${f?.code} ${f?.reason}`, key).toMatch(e.fails);
    }
  }, 180_000);

  it('keeps every field of the SDK records, typed', async () => {
    const rows = await duckdb(
      await liveFiles('logs'),
      `SELECT body, level, severity_number, severity_text, resource_service_name, scope_name, scope_version,
              attr_order_id, attr_ratio, attr_tag, resource_deployment_environment,
              epoch_ms(timestamp)::DOUBLE AS ts, epoch_ms(observed_timestamp)::DOUBLE AS observed, typeof(attr_order_id) AS order_type
       FROM lake WHERE source_key = '${RAW}/logs_sdk.binpb' ORDER BY attr_order_id`,
    );
    expect(rows).toHaveLength(120);
    rows.forEach((r, i) => {
      expect(r).toMatchObject({
        body: `p1 checkout ${i} failed`,
        level: i % 2 ? 'ERROR' : 'INFO',
        severity_number: i % 2 ? 17 : 9,
        resource_service_name: 'checkout',
        scope_name: 'lakerunner-tests',
        scope_version: '1.0.0',
        attr_order_id: BigInt(i),
        attr_ratio: i / 4,
        attr_tag: 'p1',
        resource_deployment_environment: 'test',
        ts: T0 + i * 10,
        observed: T0 + i * 10 + 1,
        order_type: 'BIGINT',
      });
    });
    // The JSON exporter's output reads the same as the protobuf exporter's.
    const json = await duckdb(
      await liveFiles('logs'),
      `SELECT body, severity_number, attr_order_id, attr_ratio FROM lake WHERE source_key = '${RAW}/logs_sdk.json' ORDER BY attr_order_id`,
    );
    expect(json.map((r) => [r.severity_number, r.attr_order_id, r.attr_ratio])).toEqual(
      rows.map((r) => [r.severity_number, r.attr_order_id, r.attr_ratio]),
    );
  });

  it('reads flat formats by their field names, with one level per severity', async () => {
    const levels = await duckdb(
      await liveFiles('logs'),
      `SELECT DISTINCT level FROM lake WHERE source_key LIKE '${RAW}/logs_app%' ORDER BY 1`,
    );
    expect(levels).toEqual([{ level: 'INFO' }]);
    const [line] = await duckdb(
      await liveFiles('logs'),
      `SELECT body, attr_http_status_code, attr_latency_ms, attr_resource, resource_service_name, epoch_ms(timestamp)::DOUBLE AS ts
       FROM lake WHERE source_key = '${RAW}/logs_app.jsonl' AND attr_latency_ms = 3.5`,
    );
    expect(line).toEqual({
      body: 'a user 3 logged in from 10.0.0.3',
      attr_http_status_code: 200n,
      attr_latency_ms: 3.5,
      attr_resource: 'a record field named resource',
      resource_service_name: 'auth',
      ts: T0 + 3000,
    });
    const [row] = await duckdb(
      await liveFiles('logs'),
      `SELECT body, level, attr_count, attr_even FROM lake WHERE source_key = '${RAW}/logs_table.csv' AND attr_count = 7`,
    );
    expect(row).toEqual({ body: 'c row 7, with "quotes"', level: 'WARN', attr_count: 7n, attr_even: false });
    const [text] = await duckdb(
      await liveFiles('logs'),
      `SELECT level, epoch_ms(timestamp)::DOUBLE AS ts FROM lake WHERE source_key = '${RAW}/logs_broker.log' AND body LIKE '%id=21]%'`,
    );
    expect(text).toEqual({ level: 'INFO', ts: T0 + 21_021 });
    const [parquetRow] = await duckdb(
      await liveFiles('logs'),
      `SELECT body, attr_host, epoch_ms(timestamp)::DOUBLE AS ts FROM lake WHERE source_key = '${RAW}/logs_export.parquet' AND body = 'g parquet row 5'`,
    );
    expect(parquetRow).toEqual({ body: 'g parquet row 5', attr_host: 'host-1', ts: T0 + 5 });
  });

  it('keeps every trace contiguous and in start order after compaction, with its spans intact', async () => {
    const files = await liveFiles('traces');
    expect(files).toHaveLength(1);
    const spans = await duckdb(
      files,
      `SELECT trace_id, span_id, parent_span_id, name, kind, events, duration_ns, epoch_ms(start_timestamp)::DOUBLE AS start
       FROM read_parquet('${files[0]}')`,
    );
    expect(spans).toHaveLength(total('traces'));
    const seen = new Set<string>();
    let previous: Record<string, unknown> | undefined;
    for (const span of spans) {
      if (span.trace_id !== previous?.trace_id) {
        expect(seen.has(span.trace_id as string), 'a trace appears in two runs').toBe(false);
        seen.add(span.trace_id as string);
      } else {
        expect(Number(span.start)).toBeGreaterThanOrEqual(Number(previous?.start));
      }
      previous = span;
    }
    expect(seen.size).toBe(60);
    const children = spans.filter((s) => s.parent_span_id !== null);
    for (const child of children) {
      const root = spans.find((s) => s.span_id === child.parent_span_id);
      expect(root?.name).toBe('GET /checkout');
      expect(child.kind).toBe('SPAN_KIND_CLIENT');
      expect(child.duration_ns).toBe(1_000_000n);
      expect(JSON.parse(child.events as string)[0]).toMatchObject({ name: 'row fetched' });
    }
  });
});
