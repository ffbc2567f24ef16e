#!/usr/bin/env node
// bench/compact: log segments, each sorted as ingest writes them, compacted
//   (a) by our streaming merge (one thread, in a child process whose peak RSS is reported)
//   (b) by DuckDB: read_parquet([...]) → ORDER BY the same sort columns → COPY zstd
// on the same files and cores. One input repeats records of another (same row ids), so our
// output must hold exactly the distinct records; the bench fails otherwise.
// Sizes: BENCH_ROWS rows in all (default 400,000), or BENCH_COMPACT_GIB GiB of input segments
// (e.g. 0.5, 1, 2); BENCH_COMPACT_MAX_RSS_MIB fails the bench when our peak RSS exceeds it.
// BENCH_COMPACT_FAN_IN sets how many inputs our merge reads at once. BENCH_COMPACT_DIR keeps the inputs in that directory and reuses them when it already holds
// some (building 0.5 GiB of segments takes minutes); the directory is left in place.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { runCompactTask } from '@lakerunner/plugin-kit';
import { LOG_CODECS, LOG_LAYOUT, logsEncoding } from '@lakerunner/plugin-logs';
import { makeData, makeVector, Table, tableFromIPC, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import {
  Compression,
  readParquet,
  Table as WasmTable,
  WriterPropertiesBuilder,
  writeParquet,
} from 'parquet-wasm';
import { report, timeCodec } from './codec.mjs';

if (process.argv[2] === '--child') await child(process.argv[3]);
else await main();

/** Our compaction of the segments in `dir`, timed, in this process; prints JSON for the parent. */
async function child(dir) {
  const inputs = readdirSync(join(dir, 'in')).sort();
  const out = join(dir, 'out');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const t = performance.now();
  const result = await runCompactTask(
    {
      kind: 'compact',
      maxRows: 1_000_000,
      segments: inputs.map((name) => ({ objectKey: name, path: join(dir, 'in', name) })),
      outputDir: out,
      ...(process.env.BENCH_COMPACT_FAN_IN ? { fanIn: Number(process.env.BENCH_COMPACT_FAN_IN) } : {}),
    },
    logsEncoding,
  );
  const ms = performance.now() - t;
  if (result.failures.length > 0) throw new Error(`compaction failed: ${result.failures[0].reason}`);
  const rows = result.written.reduce((n, f) => n + f.records, 0);
  console.log(JSON.stringify({ ms, rows, maxRssKiB: process.resourceUsage().maxRSS }));
}

async function main() {
  const gib = Number(process.env.BENCH_COMPACT_GIB ?? 0);
  const kept = process.env.BENCH_COMPACT_DIR;
  const work = kept ?? mkdtempSync(join(tmpdir(), 'lakerunner-bench-compact-'));
  mkdirSync(join(work, 'in'), { recursive: true });
  try {
    const inputs = existingInputs(work) ?? (await buildInputs(work, gib));
    const ours = JSON.parse(
      execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', work], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    );
    // DuckDB spills what does not fit its memory limit (80% of RAM) to temp_directory, by default
    // the working directory's .tmp: gigabytes, at 2 GiB of input. Kept with the bench's files.
    const duck = await (
      await DuckDBInstance.create(':memory:', { threads: '2', temp_directory: join(work, 'duckdb-spill') })
    ).connect();
    const files = `[${inputs.paths.map((p) => `'${p}'`).join(', ')}]`;
    const t = performance.now();
    await duck.run(
      `COPY (SELECT * FROM read_parquet(${files}) ORDER BY ${LOG_LAYOUT.sortColumns.join(', ')})
       TO '${join(work, 'duckdb.parquet')}' (FORMAT parquet, COMPRESSION zstd)`,
    );
    const duckMs = performance.now() - t;
    const [expected] = (
      await duck.runAndReadAll(`SELECT count(DISTINCT id)::INTEGER AS n FROM read_parquet(${files})`)
    ).getRowObjectsJS();
    const [written] = (
      await duck.runAndReadAll(
        `SELECT count(*)::INTEGER AS n, count(DISTINCT id)::INTEGER AS ids FROM read_parquet('${join(work, 'out')}/*.parquet')`,
      )
    ).getRowObjectsJS();
    if (ours.rows !== expected.n || written.n !== expected.n || written.ids !== expected.n)
      throw new Error(
        `compaction wrote ${ours.rows} rows (${written.n} read back, ${written.ids} ids); ${expected.n} distinct records expected`,
      );
    const rssMiB = ours.maxRssKiB / 1024;
    console.log(
      `input: ${inputs.paths.length} sorted log segments, ${inputs.rows} rows (${expected.n} distinct), ${(inputs.bytes / 2 ** 20).toFixed(1)} MiB`,
    );
    report(
      [
        ['(a) compaction: lakerunner streaming merge (1 thread)', ours.ms, inputs.rows],
        ['(b) DuckDB read_parquet → ORDER BY → COPY zstd (2 threads)', duckMs, inputs.rows],
      ],
      duckMs,
    );
    console.log(
      `\npeak RSS of (a): ${rssMiB.toFixed(0)} MiB for ${(inputs.bytes / 2 ** 30).toFixed(2)} GiB of input`,
    );
    const limit = Number(process.env.BENCH_COMPACT_MAX_RSS_MIB ?? 0);
    if (limit > 0 && rssMiB > limit)
      throw new Error(`peak RSS ${rssMiB.toFixed(0)} MiB is over ${limit} MiB`);
  } finally {
    if (kept) {
      for (const made of ['out', 'duckdb-spill', 'duckdb.parquet'])
        rmSync(join(work, made), { recursive: true, force: true });
    } else rmSync(work, { recursive: true, force: true });
  }
  process.exit(0);
}

/** Inputs a previous run left in `work` (BENCH_COMPACT_DIR), or undefined. */
function existingInputs(work) {
  const names = readdirSync(join(work, 'in')).sort();
  if (names.length === 0 || !existsSync(join(work, 'rows'))) {
    // An earlier build that did not finish: start over.
    rmSync(join(work, 'in'), { recursive: true, force: true });
    mkdirSync(join(work, 'in'));
    return undefined;
  }
  const paths = names.map((name) => join(work, 'in', name));
  const bytes = paths.reduce((n, p) => n + statSync(p).size, 0);
  return { paths, rows: Number(readFileSync(join(work, 'rows'), 'utf8')), bytes };
}

/**
 * Segments as ingest writes them (one ingest task each, so each is sorted), of at most 250,000
 * rows; the last one repeats the first half of the first input's records. For a size in GiB the
 * first input is ingested and the others are copies of it with their own ids and times (ingest
 * of gigabytes takes far longer than the compaction measured).
 */
async function buildInputs(work, gib) {
  const benchRows = Number(process.env.BENCH_ROWS ?? 400_000);
  const perInput = gib > 0 ? 250_000 : Math.max(1000, Math.ceil(benchRows / 8));
  const targetBytes = gib * 2 ** 30;
  const targetRows = gib > 0 ? Number.POSITIVE_INFINITY : benchRows;
  const paths = [];
  let rows = 0;
  let bytes = 0;
  const save = (parquet, records) => {
    const path = join(work, 'in', `segment-${String(paths.length).padStart(5, '0')}.parquet`);
    writeFileSync(path, parquet);
    paths.push(path);
    rows += records;
    bytes += statSync(path).size;
  };
  const ingest = async (key, first, count) => {
    const result = await timeCodec({
      encoding: logsEncoding,
      codecs: LOG_CODECS,
      codec: 'json-lines',
      files: [{ key, bytes: Buffer.from(lines(first, count)) }],
      keep: true,
    });
    return result.files;
  };
  if (gib > 0) {
    const [template] = await ingest('logs_0.jsonl', 0, perInput);
    const table = tableFromIPC(readParquet(template.parquet).intoIPCStream());
    for (let k = 0; bytes < targetBytes; k++) save(copyOf(table, k, table.numRows), table.numRows);
    save(copyOf(table, 0, Math.floor(table.numRows / 2)), Math.floor(table.numRows / 2));
  } else {
    for (let i = 0; rows < targetRows; i++) {
      for (const f of await ingest(`logs_${i}.jsonl`, i * perInput, Math.min(perInput, targetRows - rows)))
        save(f.parquet, f.records);
    }
    for (const f of await ingest('logs_0.jsonl', 0, Math.floor(perInput / 2))) save(f.parquet, f.records);
  }
  writeFileSync(join(work, 'rows'), String(rows));
  return { paths, rows, bytes };
}

/**
 * The template's first `count` rows as copy `k`: ids prefixed with k (so distinct from other
 * copies' and still in order), times moved later within the day; still sorted.
 */
function copyOf(table, k, count) {
  const part = table.slice(0, count);
  const shiftNs = BigInt((k * 250_000) % 86_000_000) * 1_000_000n;
  const columns = {};
  for (const field of part.schema.fields) {
    const vector = part.getChild(field.name);
    if (field.name === 'id') {
      columns[field.name] = vectorFromArray(
        Array.from({ length: count }, (_, i) => `${String(k).padStart(5, '0')}-${vector.get(i)}`),
        new Utf8(),
      );
    } else if (field.name === 'timestamp') {
      const values = new BigInt64Array(count);
      let at = 0;
      for (const data of vector.data)
        for (let i = 0; i < data.length; i++, at++) values[at] = data.values[i] + shiftNs;
      columns[field.name] = makeVector(makeData({ type: field.type, length: count, data: values }));
    } else columns[field.name] = vector;
  }
  const copy = new Table(columns);
  const properties = new WriterPropertiesBuilder()
    .setCompression(Compression.ZSTD)
    .setMaxRowGroupSize(16_384)
    .setKeyValueMetadata(new Map([['lakerunner.columns', table.schema.metadata.get('lakerunner.columns')]]))
    .build();
  return writeParquet(WasmTable.fromIPCStream(tableToIPC(copy, 'stream')), properties);
}

function lines(first, count) {
  const out = [];
  for (let i = first; i < first + count; i++) {
    out.push(
      JSON.stringify({
        timestamp: new Date(Date.UTC(2026, 10, 28) + (i % 86_400_000)).toISOString(),
        level: ['info', 'warn', 'error', 'debug'][i % 4],
        service: `svc-${i % 20}`,
        message: `request ${i} path=/api/v1/items/${i % 9973} took ${(i * 37) % 900}ms user=${i % 10007}`,
        host: `node-${i % 100}`,
      }),
    );
  }
  return out.join('\n');
}
