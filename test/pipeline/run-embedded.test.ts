import { mkdtempSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type TestDeployment, testDeployment } from '../support/deployment.js';
import { duckdb } from '../support/duckdb.js';
import { ServiceProcess } from '../support/processes.js';
import { until } from '../support/wait.js';

const brokers = inject('kafkaBrokers');

/** The embedded default's config for the logs plugin, in a fresh data directory; `more` adds lines. */
function writeEmbeddedConfig(
  d: TestDeployment,
  label: string,
  more: { codecs?: string; storage?: string } = {},
) {
  const data = mkdtempSync(join(tmpdir(), `lakerunner-${label}-`));
  writeFileSync(
    join(d.dir, 'lakerunner.yaml'),
    [
      `kafka: { brokers: [${brokers.join(', ')}] }`,
      `kafkaTopics: { topicPrefix: ${d.prefix} }`,
      "plugins: ['@lakerunner/plugin-logs']",
      ...(more.codecs ? [`codecs: [${more.codecs}]`] : []),
      `storage: { options: { root: ${JSON.stringify(join(data, 'bucket'))}${more.storage ? `, ${more.storage}` : ''} } }`,
      `catalog: { options: { dataDir: ${JSON.stringify(join(data, 'catalog'))} } }`,
      '',
    ].join('\n'),
  );
  return data;
}

describe('lakerunner run --all on the embedded default (PGlite, local directory)', () => {
  let service: ServiceProcess | undefined;
  afterAll(async () => {
    await service?.kill('SIGKILL');
  });

  it('ingests dropped files (one through a codec from the config), reports health and metrics, stops on SIGTERM', async () => {
    const d = await testDeployment(brokers, 'embedded');
    const data = writeEmbeddedConfig(d, 'embedded', {
      codecs: JSON.stringify(fileURLToPath(new URL('../fixtures/pipe-codec.mjs', import.meta.url))),
      storage: 'pollIntervalMs: 200',
    });
    service = new ServiceProcess(['--all', '--health-port', '0'], d.dir);
    service.start();
    const port = await until('the health endpoints', () => {
      const m = /"msg":"health endpoints listening",.*"port":(\d+)/.exec(service?.log ?? '');
      return m ? Number(m[1]) : undefined;
    });
    const get = async (path: string) => {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      return { status: res.status, text: await res.text() };
    };
    expect((await get('/livez')).status).toBe(200);
    const ready = await until('readiness', async () => {
      const r = await get('/readyz');
      return r.status === 200 ? r : undefined;
    });
    expect(JSON.parse(ready.text)).toEqual({
      status: 'ok',
      started: true,
      checks: { kafka: 'ok', catalog: 'ok', storage: 'ok' },
    });

    const lines = Array.from({ length: 50 }, (_, i) =>
      JSON.stringify({
        ts: Date.UTC(2026, 10, 28, 9) + i * 1000,
        level: 'info',
        service: 'api',
        message: `m${i}`,
      }),
    );
    await mkdir(join(data, 'bucket', 'otel-raw', 'acme', 'c1'), { recursive: true });
    writeFileSync(join(data, 'bucket', 'otel-raw', 'acme', 'c1', 'logs_1.jsonl'), lines.join('\n'));
    // A format only the deployment's own codec (from the config's `codecs`) can read.
    const piped = Array.from({ length: 10 }, (_, i) => `2026-11-28T09:30:0${i}Z|warn|piped ${i}`);
    writeFileSync(join(data, 'bucket', 'otel-raw', 'acme', 'c1', 'logs_2.pipe'), piped.join('\n'));
    await until(
      'rows written, per /metrics',
      async () => {
        const m = await get('/metrics');
        return /lakerunner_records_written_total\{service="ingest-logs"\} 60/.test(m.text) ? m : undefined;
      },
      90_000,
    );
    const metrics = (await get('/metrics')).text;
    expect(metrics).toContain('lakerunner_pubsub_published_total{signal="logs"} 2');
    expect(metrics).toMatch(/lakerunner_work_units_emitted_total\{service="boxer-ingest-logs"\} [12]/);
    expect(metrics).not.toMatch(/lakerunner_dead_letters_total\{service="ingest-logs"[^}]*\} [1-9]/);
    expect(metrics).toContain('lakerunner_process_resident_memory_bytes');

    expect(await service.kill('SIGTERM')).toBe(0);
    expect(service.log).toContain('"msg":"stopped"');
    // The piped rows were read by the config's codec: its fields, not whole lines as text.
    const pipedRows = await duckdb(
      [join(data, 'bucket', 'lake', 'logs', '**', '*.parquet')],
      "SELECT body, level, epoch_ms(timestamp)::DOUBLE AS ts FROM lake WHERE source_key LIKE '%.pipe' ORDER BY ts LIMIT 1",
    );
    expect(pipedRows).toEqual([{ body: 'piped 0', level: 'WARN', ts: Date.UTC(2026, 10, 28, 9, 30) }]);
  }, 150_000);

  it('a SIGTERM while it is still starting stops it cleanly (exit 0), not by the signal', async () => {
    const d = await testDeployment(brokers, 'early-stop');
    writeEmbeddedConfig(d, 'early-stop');
    const early = new ServiceProcess(['--all'], d.dir);
    early.start();
    // The first service has joined its group; the others are still joining (usually).
    await until(
      'start-up under way',
      () => early.log.includes('"msg":"joined group"') || undefined,
      30_000,
      10,
    );
    expect(await early.kill('SIGTERM')).toBe(0);
    expect(early.log).toContain('"msg":"stopped"');
  }, 60_000);
});
