import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createPgliteCatalog, createPostgresCatalog } from '../../packages/catalog-postgres/src/index.js';
import { DUCKDB_VERSION } from '../../packages/core/src/cli/duckdb.js';
import { createLogsPlugin } from '../../packages/plugin-logs/src/index.js';
import { lakerunner } from '../support/cli.js';
import { freshSchemaUrl } from '../support/database.js';
import { type TestDeployment, testDeployment } from '../support/deployment.js';
import { duckdb } from '../support/duckdb.js';
import { type InProcessDeployment, startInProcess } from '../support/in-process.js';
import { ServiceProcess } from '../support/processes.js';
import { until } from '../support/wait.js';

const brokers = inject('kafkaBrokers');
const dist = (pkg: string) => fileURLToPath(new URL(`../../packages/${pkg}/dist/index.js`, import.meta.url));

/** 50 JSON log lines on 2026-11-28, one file's worth. */
function logLines(file: number): string {
  return Array.from({ length: 50 }, (_, i) =>
    JSON.stringify({
      ts: Date.UTC(2026, 10, 28, 9) + file * 60_000 + i * 1000,
      level: i % 5 === 0 ? 'error' : 'info',
      service: 'api',
      message: `file ${file} line ${i}`,
    }),
  ).join('\n');
}
const FILES = 6;
const ROWS = FILES * 50;

interface SegmentsJson {
  segments: { live: boolean; records: number; createdBy: string; objectKey: string; day: string }[];
  totals: Record<'live' | 'replaced', { segments: number; rows: number; bytes: number }>;
}

async function listJson(d: Pick<TestDeployment, 'cli'>, ...args: string[]): Promise<SegmentsJson> {
  const run = await d.cli(['segments', 'list', '--json', ...args]);
  if (run.code !== 0) throw new Error(`segments list failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as SegmentsJson;
}

/** Compaction has replaced every ingested segment: one live segment, of compaction, holding every row. */
async function compacted(d: Pick<TestDeployment, 'cli'>): Promise<SegmentsJson | undefined> {
  const all = await listJson(d, '--all');
  const live = all.segments.filter((s) => s.live);
  const done =
    all.totals.live.rows === ROWS &&
    live.length === 1 &&
    live.every((s) => s.createdBy === 'compact') &&
    all.totals.replaced.segments >= 2;
  return done ? all : undefined;
}

describe('lakerunner segments list and query, while lakerunner run holds the embedded catalog', () => {
  let service: ServiceProcess | undefined;
  afterAll(async () => {
    await service?.kill('SIGKILL');
  });

  it('lists the live segments, and queries exactly their rows where a glob counts replaced ones too', async () => {
    const d = await testDeployment(brokers, 'read-lake');
    // The embedded default: storage and catalog under ./data of the working directory. Only
    // the logs plugin is made quicker, so that segments are ingested apart and then compacted.
    writeFileSync(
      join(d.dir, 'fast-logs.mjs'),
      `import { createLogsPlugin } from ${JSON.stringify(dist('plugin-logs'))};
       export const plugin = createLogsPlugin({ ingest: { maxAgeMs: 500, maxInputs: 2 }, compact: { maxAgeMs: 2000 } });`,
    );
    writeFileSync(
      join(d.dir, 'lakerunner.yaml'),
      [
        `kafka: { brokers: [${brokers.join(', ')}] }`,
        `kafkaTopics: { topicPrefix: ${d.prefix} }`,
        "plugins: ['./fast-logs.mjs']",
        'storage: { options: { root: ./data/bucket, pollIntervalMs: 200 } }',
        'runtime: { boxerFlushIntervalMs: 200 }',
        '',
      ].join('\n'),
    );
    service = new ServiceProcess(['--all'], d.dir);
    service.start();
    await until('lakerunner run to be running', () => service?.log.includes('"msg":"running"'), 60_000);

    const raw = join(d.dir, 'data', 'bucket', 'otel-raw', 'acme', 'c1');
    mkdirSync(raw, { recursive: true });
    for (let f = 0; f < FILES; f++) {
      writeFileSync(join(raw, `logs_${f}.jsonl`), logLines(f));
      // Apart, so that ingest writes several segments for compaction to replace.
      if (f % 2 === 1) await new Promise((r) => setTimeout(r, 700));
    }

    const all = await until('compaction to replace the ingested segments', () => compacted(d), 90_000, 1000);
    // The process still holds the catalog: a second open is refused, so the reads above came from a copy.
    await expect(createPgliteCatalog({ dataDir: join(d.dir, 'data', 'catalog') })).rejects.toMatchObject({
      code: 'LR_CATALOG_IN_USE',
    });

    // The table: live segments only, with a total that is the input.
    const table = await d.cli(['segments', 'list']);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SIGNAL +ORG +DAY +FREQUENCY MS +ROWS +BYTES +CREATED BY +OBJECT KEY$/);
    const live = all.segments.filter((s) => s.live);
    expect(lines.slice(1, -1)).toHaveLength(live.length);
    expect(lines[1]).toMatch(/^logs +acme +2026-11-28 +- +300 +\d+ +compact +lake\/logs\/\S+\.parquet$/);
    expect(lines.at(-1)).toMatch(/^total: 1 live segment, 300 rows, \d+ bytes$/);
    for (const s of live) expect(existsSync(join(d.dir, 'data', 'bucket', s.objectKey))).toBe(true);

    // --all: the replaced segments too, marked, and counted apart.
    const withReplaced = await d.cli(['segments', 'list', '--all']);
    const allLines = withReplaced.stdout.trimEnd().split('\n');
    expect(allLines[0]).toMatch(/ CREATED BY +STATE +OBJECT KEY$/);
    expect(allLines.slice(1, -1).length).toBeGreaterThan(live.length);
    expect(allLines.filter((l) => / ingest +replaced /.test(l)).length).toBeGreaterThanOrEqual(2);
    expect(allLines.at(-1)).toMatch(
      /^total: 1 live segment, 300 rows, \d+ bytes; \d+ replaced segments not yet swept, \d+ rows, \d+ bytes$/,
    );
    expect(all.totals.replaced.rows).toBeGreaterThanOrEqual(ROWS);

    // Filters.
    expect(
      (await listJson(d, '--org', 'acme', '--day', '2026-11-28', '--signal', 'logs')).totals.live.rows,
    ).toBe(ROWS);
    expect((await listJson(d, '--day', '20261128', '--frequency', '0')).totals.live.rows).toBe(ROWS);
    expect((await listJson(d, '--org', 'globex')).totals.live.segments).toBe(0);
    expect((await listJson(d, '--day', '2026-11-27')).totals.live.segments).toBe(0);

    // The query reads exactly the live segments; a glob over the bucket would count replaced rows again.
    const count = await d.cli(['query', 'SELECT count(*) AS n FROM logs', '--format', 'json']);
    expect(count.stderr).toBe('');
    expect(count.stdout.trim()).toBe(JSON.stringify({ n: ROWS }));
    const [globbed] = await duckdb(
      [join(d.dir, 'data', 'bucket', 'lake', 'logs', '**', '*.parquet')],
      'SELECT count(*)::INTEGER AS n FROM lake',
    );
    expect(globbed?.n).toBe(ROWS + all.totals.replaced.rows);

    const levels = await d.cli([
      'query',
      'SELECT level, count(*) AS n FROM logs GROUP BY level ORDER BY level',
    ]);
    expect(levels.code).toBe(0);
    expect(levels.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^level +n$/),
      expect.stringMatching(/^ERROR +60$/),
      expect.stringMatching(/^INFO +240$/),
      '(2 rows)',
    ]);

    // --limit: the rows past it are not printed, and stderr says so (stdout stays CSV).
    const csv = await d.cli([
      'query',
      'SELECT body FROM logs ORDER BY body',
      '--format',
      'csv',
      '--limit',
      '3',
    ]);
    expect(csv.code).toBe(0);
    expect(csv.stdout.trimEnd().split('\n')).toEqual([
      'body',
      'file 0 line 0',
      'file 0 line 1',
      'file 0 line 10',
    ]);
    expect(csv.stderr).toContain('(3 rows printed; the result has more');
    const all0 = await d.cli(['query', 'SELECT body FROM logs', '--format', 'csv', '--limit', '0']);
    expect(all0.stdout.trimEnd().split('\n')).toHaveLength(ROWS + 1);
    expect(all0.stderr).toBe('');

    const bad = await d.cli(['query', 'SELECT * FROM traces']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /^error LR_QUERY_FAILED: Catalog Error: Table with name traces does not exist/,
    );

    expect(await service.kill('SIGTERM')).toBe(0);
  }, 180_000);
});

describe('lakerunner segments list and query on a PostgreSQL catalog', () => {
  let running: InProcessDeployment | undefined;
  afterAll(async () => {
    await running?.stop();
  });

  it('reads the live segments of a deployment running elsewhere', async () => {
    const d = await testDeployment(brokers, 'read-lake-pg');
    const connectionString = await freshSchemaUrl('read_lake');
    const catalog = createPostgresCatalog({ connectionString });
    await catalog.migrate();
    const plugin = createLogsPlugin({ ingest: { maxAgeMs: 500, maxInputs: 2 }, compact: { maxAgeMs: 2000 } });
    running = await startInProcess({ brokers, prefix: d.prefix, plugins: [plugin], catalog });
    writeFileSync(
      join(d.dir, 'lakerunner.yaml'),
      [
        "plugins: ['@lakerunner/plugin-logs']",
        `storage: { options: { root: ${JSON.stringify(running.root)} } }`,
        `catalog: { options: { connectionString: ${JSON.stringify(connectionString)} } }`,
        '',
      ].join('\n'),
    );
    for (let f = 0; f < FILES; f++) {
      await running.store.put(`otel-raw/acme/c1/logs_${f}.jsonl`, Buffer.from(logLines(f)));
      if (f % 2 === 1) await new Promise((r) => setTimeout(r, 700));
    }
    await until('compaction to replace the ingested segments', () => compacted(d), 90_000, 500);
    const count = await d.cli(['query', 'SELECT count(DISTINCT body) AS n FROM logs', '--format', 'json']);
    expect(count.stdout.trim()).toBe(JSON.stringify({ n: ROWS }));
    await catalog.close();
  }, 150_000);
});

describe('lakerunner segments list and query: what they refuse', () => {
  const configured = (...lines: string[]) => {
    const dir = mkdtempSync(join(tmpdir(), 'lakerunner-read-lake-'));
    writeFileSync(join(dir, 'lakerunner.yaml'), [...lines, ''].join('\n'));
    return { dir, cli: (args: string[]) => lakerunner(args, {}, dir) };
  };

  it('says there is no catalog yet rather than creating one, and names a store it cannot query', async () => {
    const empty = configured("plugins: ['@lakerunner/plugin-logs']");
    for (const args of [
      ['segments', 'list'],
      ['query', 'SELECT 1'],
    ]) {
      const run = await empty.cli(args);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^error LR_CATALOG_MISSING: no PGlite catalog at \S+data\/catalog/);
    }
    expect(existsSync(join(empty.dir, 'data'))).toBe(false);

    const s3 = configured(
      "plugins: ['@lakerunner/plugin-logs']",
      "storage: { module: '@lakerunner/storage-s3', options: { bucket: lake } }",
    );
    const run = await s3.cli(['query', 'SELECT 1']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^error LR_QUERY_STORE_UNSUPPORTED: .*this deployment's storage is @lakerunner\/storage-s3/,
    );
  });

  it('names the DuckDB version core declares as its optional dependency', () => {
    const pkg = JSON.parse(
      readFileSync(new URL('../../packages/core/package.json', import.meta.url), 'utf8'),
    ) as { peerDependencies: Record<string, string> };
    expect(pkg.peerDependencies['@duckdb/node-api']).toBe(DUCKDB_VERSION);
  });
});

describe('reading a PGlite catalog that another process keeps writing', () => {
  let writer: ChildProcess | undefined;
  afterAll(() => {
    writer?.kill('SIGKILL');
  });

  /**
   * The writer replaces segments with others holding the same rows, one unit after another,
   * as compaction does: every committed state has 1000 live rows. A copy taken file by file
   * while it writes could hold a state it never committed; the reader's copy must not.
   */
  it('reads a committed state every time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lakerunner-busy-catalog-'));
    writeFileSync(
      join(dir, 'writer.mjs'),
      `import { createPgliteCatalog } from ${JSON.stringify(dist('catalog-postgres'))};
       const catalog = await createPgliteCatalog({ dataDir: ${JSON.stringify(join(dir, 'catalog'))} });
       await catalog.migrate();
       const seg = (id, records) => ({ segmentId: id, org: 'acme', signal: 'logs', dateint: 20261128,
         frequencyMs: 0, objectKey: 'lake/logs/' + id + '.parquet', records, bytes: records, minTs: 0, maxTs: 1 });
       let live = [seg('s0', 1000)];
       const unit = { org: 'acme', signal: 'logs', outbox: [] };
       await catalog.commitWorkUnit({ ...unit, workUnitId: 'u0', stage: 'ingest', outputs: live });
       console.log('ready');
       for (let i = 1; ; i++) {
         live.sort((a, b) => b.records - a.records);
         // Split the biggest segment in two, or merge the two smallest: the rows stay 1000.
         const split = live.length < 6;
         const inputs = split ? [live[0]] : live.slice(-2);
         const rows = inputs.reduce((n, s) => n + s.records, 0);
         const outputs = split ? [seg('s' + i + 'a', rows >> 1), seg('s' + i + 'b', rows - (rows >> 1))] : [seg('s' + i, rows)];
         await catalog.commitWorkUnit({ ...unit, workUnitId: 'u' + i, stage: 'compact', outputs,
           consumedSegments: { ids: inputs.map((s) => s.segmentId), stage: 'compact', replace: true } });
         live = [...live.filter((s) => !inputs.includes(s)), ...outputs];
         // Far busier than a deployment (a few units a second), and still with pauses.
         await new Promise((r) => setTimeout(r, 50));
       }`,
    );
    writeFileSync(
      join(dir, 'lakerunner.yaml'),
      `plugins: ['@lakerunner/plugin-logs']\ncatalog: { options: { dataDir: ./catalog } }\n`,
    );
    const child = spawn(process.execPath, [join(dir, 'writer.mjs')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    writer = child;
    let said = '';
    child.stdout?.on('data', (b) => (said += b));
    await until('the writer to start', () => said.includes('ready'), 60_000);

    // Each read is a committed state (exactly the 1000 live rows), or, when the writer never
    // paused long enough for a copy to be checked, a retriable LR_CATALOG_BUSY: never anything else.
    const seen = new Set<string>();
    let reads = 0;
    for (let attempt = 0; attempt < 20 && reads < 5; attempt++) {
      const run = await lakerunner(['segments', 'list', '--json', '--all'], {}, dir);
      if (run.code !== 0) {
        expect(run.stderr).toMatch(/^error LR_CATALOG_BUSY: /);
        continue;
      }
      expect(run.stderr).toBe('');
      const { segments, totals } = JSON.parse(run.stdout) as SegmentsJson;
      expect(totals.live.rows).toBe(1000);
      seen.add(JSON.stringify(segments.filter((s) => s.live).map((s) => s.objectKey)));
      reads++;
    }
    expect(reads).toBeGreaterThanOrEqual(3);
    // The writer went on between the reads: they saw different states.
    expect(seen.size).toBeGreaterThan(1);
  }, 240_000);
});
