#!/usr/bin/env node
// bench/rollup: metrics through our bare paths (one thread, no I/O) against DuckDB on the same rows:
//   (a) ingest: OTLP protobuf points → one row per series and 10 s window (sketches included)
//   (b) DuckDB: the same points as OTLP/JSON → unnest → GROUP BY series, 10 s window → COPY zstd
//   (c) rollup 10 s → 60 s: our merge of the 10 s segments (sketches merged)
//   (d) DuckDB: read_parquet(10 s segments) → GROUP BY series, 60 s window → COPY zstd
// The 60 s results of (c) and (d) are compared (count, sum, min, max per series and window).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { readSegment, runCompactTask } from '@lakerunner/plugin-kit';
import { METRIC_CODECS, metricReducer, metricsEncoding } from '@lakerunner/plugin-metrics';
import { report, timeCodec } from './codec.mjs';

const POINTS = Number(process.env.BENCH_ROWS ?? 300_000);
const SERIES = 500;
const PER_FILE = 50_000;
const otlp = createRequire(import.meta.url)('otlp-oracle/build/src/generated/root').opentelemetry.proto
  .collector;
const T0 = Date.UTC(2026, 10, 28);
const str = (v) => ({ stringValue: v });

function request(from, to) {
  const metrics = [];
  for (let s = 0; s < SERIES; s++) {
    const dataPoints = [];
    for (let i = from + s; i < to; i += SERIES) {
      dataPoints.push({
        timeUnixNano: String(BigInt(T0 + Math.floor(i / SERIES) * 10_000) * 1_000_000n),
        asInt: (i * 7919) % 1000,
        attributes: [{ key: 'host', value: str(`h${s}`) }],
      });
    }
    if (dataPoints.length > 0) metrics.push({ name: `m${s % 10}`, gauge: { dataPoints } });
  }
  return {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: str('bench') }] },
        scopeMetrics: [{ metrics }],
      },
    ],
  };
}

const work = mkdtempSync(join(tmpdir(), 'lakerunner-bench-rollup-'));
const type = otlp.metrics.v1.ExportMetricsServiceRequest;
const files = [];
for (let from = 0, f = 0; from < POINTS; from += PER_FILE, f++) {
  const body = request(from, Math.min(POINTS, from + PER_FILE));
  files.push({ key: `metrics_${f}.binpb`, bytes: Buffer.from(type.encode(type.fromObject(body)).finish()) });
  writeFileSync(join(work, `metrics_${f}.json`), JSON.stringify(body));
}
console.log(`input: ${POINTS} gauge points of ${SERIES} series in ${files.length} OTLP requests`);

// (a) our ingest, keeping the encoded 10 s segments for the rollup
const ingest = await timeCodec({
  encoding: metricsEncoding,
  codecs: METRIC_CODECS,
  codec: 'otlp-protobuf',
  files,
  keep: true,
});
if (ingest.rows !== POINTS) throw new Error(`ingest wrote ${ingest.rows} rows, expected ${POINTS}`);
const segments = ingest.files.map((f, i) => {
  writeFileSync(join(work, `ten_${i}.parquet`), f.parquet);
  return { objectKey: `ten_${i}`, bytes: f.parquet };
});

const duck = await (await DuckDBInstance.create(':memory:', { threads: '2' })).connect();
let t = performance.now();
await duck.run(
  `COPY (SELECT name, attr, time_bucket(INTERVAL 10 SECOND, ts) AS w, count(*) AS n, sum(v) AS s, min(v) AS lo, max(v) AS hi
     FROM (SELECT m.name AS name, unnest(m.gauge.dataPoints, recursive := true) FROM (
       SELECT unnest(sm.metrics) AS m FROM (SELECT unnest(rm.scopeMetrics) AS sm FROM (
         SELECT unnest(resourceMetrics) AS rm FROM read_json('${work}/metrics_*.json', maximum_object_size = 268435456)))))
     CROSS JOIN LATERAL (SELECT make_timestamp(CAST(timeUnixNano AS BIGINT) // 1000) AS ts, asInt::DOUBLE AS v, attributes[1].value.stringValue AS attr)
     GROUP BY ALL ORDER BY name, attr, w)
   TO '${join(work, 'duck10.parquet')}' (FORMAT parquet, COMPRESSION zstd)`,
);
const duckIngestMs = performance.now() - t;

// (c) our rollup to 60 s
t = performance.now();
const rolled = await runCompactTask(
  { kind: 'compact', maxRows: 1_000_000, segments, frequencyMs: 60_000 },
  metricsEncoding,
);
const rollupMs = performance.now() - t;

// (d) DuckDB on the same 10 s rows
t = performance.now();
await duck.run(
  `COPY (SELECT series_id, time_bucket(INTERVAL 60 SECOND, "timestamp") AS w, sum("count") AS n, sum("sum") AS s, min("min") AS lo, max("max") AS hi
     FROM read_parquet('${work}/ten_*.parquet') GROUP BY ALL ORDER BY series_id, w)
   TO '${join(work, 'duck60.parquet')}' (FORMAT parquet, COMPRESSION zstd)`,
);
const duckRollupMs = performance.now() - t;

// The two 60 s results must agree.
const ours = new Map();
for (const f of rolled.files) {
  const segment = readSegment(f.parquet);
  for (let i = 0; i < segment.rows; i++) {
    const r = metricReducer.read(segment, i);
    ours.set(
      `${r.seriesId}@${r.windowNs / 1_000_000n}`,
      [r.aggregate.count, r.aggregate.sum, r.aggregate.min, r.aggregate.max].join(),
    );
  }
}
const theirs = (
  await duck.runAndReadAll(
    `SELECT series_id, epoch_ms(w) AS w, n, s, lo, hi FROM '${join(work, 'duck60.parquet')}'`,
  )
).getRowObjectsJS();
let differ = 0;
for (const r of theirs)
  if (ours.get(`${r.series_id}@${r.w}`) !== [Number(r.n), r.s, r.lo, r.hi].join()) differ++;
if (differ > 0 || theirs.length !== ours.size)
  throw new Error(`rollup results differ from DuckDB's in ${differ} of ${theirs.length} windows`);
rmSync(work, { recursive: true, force: true });

console.log(`60 s windows: ${ours.size}, equal to DuckDB's`);
report(
  [
    ['(a) metrics ingest: OTLP protobuf → 10 s rows + sketches (1 thread)', ingest.ms, POINTS],
    ['(b) DuckDB: OTLP/JSON → GROUP BY series, 10 s → COPY zstd (2 threads)', duckIngestMs, POINTS],
  ],
  duckIngestMs,
);
report(
  [
    ['(c) rollup 10 s → 60 s: lakerunner (sketches merged, 1 thread)', rollupMs, POINTS],
    ['(d) DuckDB: read_parquet → GROUP BY series, 60 s → COPY zstd (2 threads)', duckRollupMs, POINTS],
  ],
  duckRollupMs,
);
process.exit(0);
