import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPostgresCatalog } from '../../packages/catalog-postgres/src/index.js';
import type { Catalog, ObjectStore } from '../../packages/core/src/index.js';
import { createLogsPlugin } from '../../packages/plugin-logs/src/index.js';
import { createTracesPlugin } from '../../packages/plugin-traces/src/index.js';
import { freshSchemaUrl } from '../support/database.js';
import { testDeployment } from '../support/deployment.js';
import { duckdb } from '../support/duckdb.js';
import { type InProcessDeployment, startInProcess } from '../support/in-process.js';
import { until } from '../support/wait.js';
import { CASES, type Case } from './corpus.js';

const brokers = inject('kafkaBrokers');
const HOSTILE = 'otel-raw/hostile/c1';
const CALM = 'otel-raw/calm/c1';

/**
 * The hostile corpus through one deployment (real broker, PostgreSQL, local bucket), beside a
 * calm org writing ordinary files: every object ends as exactly its rows, or dead-lettered with
 * its reason (partly or whole), memory stays bounded, and the calm org is not held up.
 */
describe(`${CASES.length} hostile inputs through the whole pipeline`, () => {
  let running: InProcessDeployment | undefined;
  let catalog: Catalog;
  let store: ObjectStore;
  const calmLatencies: number[] = [];
  let baseline = 0;
  let rssBefore = 0;

  /** Writes one calm row and returns how long it took to become live (from the catalog). */
  let calmRows = 0;
  const calmFile = async (n: number) => {
    const started = Date.now();
    const row = `${JSON.stringify({ ts: Date.UTC(2026, 10, 28, 9), msg: `calm ${n}` })}\n`;
    await store.put(`${CALM}/logs_${n}.jsonl`, Buffer.from(row));
    calmRows++;
    const live = async () =>
      (await catalog.segments({ signal: 'logs', org: 'calm' })).reduce((sum, s) => sum + s.records, 0);
    await until(`calm file ${n}`, async () => (await live()) === calmRows, 120_000, 50);
    return Date.now() - started;
  };
  /** Rows per source object, both signals, in one DuckDB query each. */
  const rowsBySource = async (): Promise<Map<string, number>> => {
    const counts = new Map<string, number>();
    for (const signal of ['logs', 'traces']) {
      const files = (await catalog.segments({ signal })).map((s) => `${running?.root}/${s.objectKey}`);
      if (files.length === 0) continue;
      for (const r of await duckdb(
        files,
        'SELECT source_key, count(*)::INTEGER AS n FROM lake GROUP BY ALL',
      )) {
        counts.set(r.source_key as string, r.n as number);
      }
    }
    return counts;
  };
  beforeAll(async () => {
    const d = await testDeployment(brokers, 'hostile', {
      plugins: ['@lakerunner/plugin-logs', '@lakerunner/plugin-traces'],
    });
    catalog = createPostgresCatalog({ connectionString: await freshSchemaUrl('hostile') });
    await catalog.migrate();
    const quick = { ingest: { maxAgeMs: 500, maxInputs: 8 }, compact: { maxAgeMs: 600_000 } };
    running = await startInProcess({
      brokers,
      prefix: d.prefix,
      plugins: [createLogsPlugin(quick), createTracesPlugin(quick)],
      catalog,
      services: ['pubsub', 'boxer-ingest-logs', 'ingest-logs', 'boxer-ingest-traces', 'ingest-traces'],
    });
    store = running.store;
    baseline = await calmFile(0);
    rssBefore = process.resourceUsage().maxRSS * 1024;
  }, 120_000);

  afterAll(async () => {
    await running?.stop();
    await catalog?.close();
  });

  it('every object ends as exactly its rows or a dead letter with its reason, and the calm org is not held up', async () => {
    const started = Date.now();
    const putting = (async () => {
      for (const c of CASES) {
        await store.put(`${HOSTILE}/${c.file}`, typeof c.body === 'function' ? c.body() : c.body);
      }
    })();
    // Meanwhile the calm org keeps writing; each of its files must land about as fast as before.
    const calm = (async () => {
      for (let n = 1; n <= 5; n++) calmLatencies.push(await calmFile(n));
    })();
    await Promise.all([putting, calm]);

    const failures = async () => catalog.failures();
    const settled = async () => {
      const failed = await failures();
      const rows = await rowsBySource();
      const pending: string[] = [];
      for (const c of CASES) {
        const key = `${HOSTILE}/${c.file}`;
        const failure = failed.find((f) => f.input.startsWith(`bucket/${key}@`));
        if (c.fails && !failure) pending.push(`${c.name}: no dead letter yet`);
        else if ((rows.get(key) ?? 0) !== c.rows) pending.push(`${c.name}: ${rows.get(key) ?? 0} rows`);
      }
      return pending;
    };
    await until(
      'every hostile object accounted for',
      async () => (await settled()).length === 0,
      300_000,
      2000,
    ).catch(async (err) => {
      console.error(await settled());
      throw err;
    });
    const elapsed = Date.now() - started;

    const failed = await failures();
    const allRows = await rowsBySource();
    const outcome = async (c: Case) => {
      const key = `${HOSTILE}/${c.file}`;
      const failure = failed.find((f) => f.input.startsWith(`bucket/${key}@`));
      const rows = allRows.get(key) ?? 0;
      let checked: unknown;
      if (c.check) {
        const files = (await catalog.segments({ signal: 'logs' })).map(
          (s) => `${running?.root}/${s.objectKey}`,
        );
        const [r] = await duckdb(
          files,
          c.check.sql.replace(
            'FROM lake',
            `FROM (SELECT * FROM lake WHERE source_key = '${key.replaceAll("'", "''")}') AS lake`,
          ),
        );
        checked = r?.v;
      }
      return { name: c.name, rows, code: failure?.code, reason: failure?.reason, checked };
    };
    // Every mismatch at once: a corpus is read as a table, not one failure at a time.
    const mismatches: string[] = [];
    for (const c of CASES) {
      const got = await outcome(c);
      const wrong = (what: string) => mismatches.push(`${c.name}: ${what} (${JSON.stringify(got)})`);
      if (got.rows !== c.rows) wrong(`rows ${got.rows}, expected ${c.rows}`);
      if (got.code !== c.fails) wrong(`code ${got.code}, expected ${c.fails}`);
      if (c.reason && !c.reason.test(got.reason ?? '')) wrong(`reason does not match ${c.reason}`);
      if (
        c.rejected !== undefined &&
        !new RegExp(`: ${c.rejected} record\\(s\\) could not be read`).test(got.reason ?? '')
      ) {
        wrong(`not ${c.rejected} rejected records`);
      }
      if (
        c.check &&
        JSON.stringify(got.checked, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)) !==
          JSON.stringify(c.check.equals, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))
      ) {
        wrong(`check ${c.check.sql} gave ${String(got.checked)}`);
      }
    }
    expect(mismatches).toEqual([]);
    // Every row has a day in a sane range: no wrapped timestamps, no negative days.
    for (const signal of ['logs', 'traces']) {
      for (const s of await catalog.segments({ signal })) {
        expect(s.dateint, s.objectKey).toBeGreaterThanOrEqual(19700101);
        expect(s.dateint, s.objectKey).toBeLessThanOrEqual(
          Number(new Date(Date.now() + 86_400_000 * 2).toISOString().slice(0, 10).replaceAll('-', '')),
        );
      }
    }
    const rssAfter = process.resourceUsage().maxRSS * 1024;
    console.error(
      `hostile corpus: ${CASES.length} objects in ${(elapsed / 1000).toFixed(1)} s; calm files landed in ${calmLatencies.join(', ')} ms (baseline ${baseline} ms); peak RSS ${(rssBefore / 2 ** 20).toFixed(0)} → ${(rssAfter / 2 ** 20).toFixed(0)} MiB`,
    );
    // Gigabytes of decompressed input went through; memory followed the limits, not the input.
    expect(rssAfter).toBeLessThan(2.5 * 2 ** 30);
    for (const latency of calmLatencies) expect(latency).toBeLessThan(60_000);
  }, 480_000);

  it('a single bad input delays another org by less than one retry interval', async () => {
    const quiet = await calmFile(10);
    const poison = store.put(`${HOSTILE}/logs_poison.binpb`, Buffer.from([0x0a, 0x05, 1, 2]));
    const withPoison = await calmFile(11);
    await poison;
    await until('the poison dead-lettered', async () =>
      (await catalog.failures()).some((f) => f.input.includes('logs_poison.binpb')),
    );
    console.error(`calm file latency: ${quiet} ms alone, ${withPoison} ms beside a poison input`);
    // The poison is a permanent failure: dead-lettered on its first attempt, never retried.
    expect(withPoison).toBeLessThan(quiet + 200 + 1000);
  }, 120_000);
});
