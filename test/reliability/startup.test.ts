import { mkdtempSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { lakerunner, uniquePrefix } from '../support/cli.js';
import { testDeployment } from '../support/deployment.js';
import { ServiceProcess } from '../support/processes.js';
import { until } from '../support/wait.js';

const brokers = inject('kafkaBrokers');
const scram = inject('kafkaScram');

/** A config for `lakerunner run` in a fresh directory, from YAML lines. */
function configDir(lines: string[]): { dir: string; data: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lakerunner-startup-'));
  const data = join(dir, 'data');
  writeFileSync(join(dir, 'lakerunner.yaml'), [...lines, ''].join('\n'));
  return { dir, data };
}

async function timedRun(args: string[], cwd: string) {
  const started = Date.now();
  const result = await lakerunner(['run', ...args], {}, cwd);
  return { ...result, ms: Date.now() - started };
}

describe('start-up failures are one coded line and a quick non-zero exit', () => {
  it('a mistyped service name', async () => {
    const d = await testDeployment(brokers, 'typo');
    const r = await timedRun(['ingest-logz'], d.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error LR_CONFIG_INVALID: unknown service\(s\) ingest-logz/);
    expect(r.ms).toBeLessThan(20_000);
  });

  it('topics that were never synced', async () => {
    const { dir, data } = configDir([
      `kafka: { brokers: [${brokers.join(', ')}] }`,
      `kafkaTopics: { topicPrefix: ${uniquePrefix('nosync')} }`,
      "plugins: ['@lakerunner/plugin-logs']",
      `storage: { options: { root: ${JSON.stringify(join(tmpdir(), 'unused-bucket'))} } }`,
    ]);
    const r = await timedRun(['--all'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error LR_TOPICS_MISSING: .* run `lakerunner topics sync` first/);
    expect(data).toBeDefined();
  });

  it('a health port in use', async () => {
    const d = await testDeployment(brokers, 'port');
    const holder = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => holder.once('listening', r));
    const port = (holder.address() as { port: number }).port;
    try {
      const r = await timedRun(['boxer-ingest-logs', '--health-port', String(port)], d.dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/error LR_CONFIG_INVALID: cannot listen: .*EADDRINUSE.*choose another port/);
    } finally {
      holder.close();
    }
  });

  it('a bucket root that is a file', async () => {
    const root = join(mkdtempSync(join(tmpdir(), 'lakerunner-root-')), 'a-file');
    writeFileSync(root, 'not a directory');
    const { dir } = configDir([
      `kafka: { brokers: [${brokers.join(', ')}] }`,
      "plugins: ['@lakerunner/plugin-logs']",
      `storage: { options: { root: ${JSON.stringify(root)} } }`,
    ]);
    const r = await timedRun(['pubsub'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error LR_CONFIG_INVALID: .*a-file/);
  });

  it('a broker that does not answer, within the start-up timeout', async () => {
    const { dir, data } = configDir([
      'kafka: { brokers: [127.0.0.1:9], connectionTimeoutMs: 1000 }',
      "plugins: ['@lakerunner/plugin-logs']",
      'runtime: { startupTimeoutMs: 5000, stopTimeoutMs: 2000 }',
    ]);
    await mkdir(data, { recursive: true });
    const r = await timedRun(['boxer-ingest-logs'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error LR_(KAFKA_UNAVAILABLE|STARTUP_TIMEOUT): /);
    expect(r.ms).toBeLessThan(20_000);
  });

  it.skipIf(!scram)('a wrong SASL password', async () => {
    const { dir } = configDir([
      `kafka: { brokers: [${scram?.brokers.join(', ')}], sasl: { mechanism: scram-sha-256, username: ${scram?.username}, password: wrong-password } }`,
      "plugins: ['@lakerunner/plugin-logs']",
      'runtime: { startupTimeoutMs: 15000 }',
    ]);
    const r = await timedRun(['boxer-ingest-logs'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error LR_KAFKA_AUTH: .*check kafka\.sasl/);
    expect(r.ms).toBeLessThan(20_000);
  });
});

describe('a stop is bounded', () => {
  it('SIGTERM with work in hand past runtime.stopTimeoutMs abandons it and exits 1', async () => {
    const d = await testDeployment(brokers, 'stop');
    const data = mkdtempSync(join(tmpdir(), 'lakerunner-stop-'));
    const codec = fileURLToPath(new URL('../fixtures/slow-codec.mjs', import.meta.url));
    writeFileSync(
      join(d.dir, 'lakerunner.yaml'),
      [
        `kafka: { brokers: [${brokers.join(', ')}] }`,
        `kafkaTopics: { topicPrefix: ${d.prefix} }`,
        "plugins: ['@lakerunner/plugin-logs']",
        `codecs: [${JSON.stringify(codec)}]`,
        `storage: { options: { root: ${JSON.stringify(join(data, 'bucket'))}, pollIntervalMs: 200, settleMs: 100 } }`,
        `catalog: { options: { dataDir: ${JSON.stringify(join(data, 'catalog'))} } }`,
        'runtime: { stopTimeoutMs: 2000, boxerFlushIntervalMs: 200 }',
      ].join('\n'),
    );
    const service = new ServiceProcess(['--all'], d.dir);
    service.start();
    try {
      await until('running', () => service.log.includes('"msg":"running"'), 60_000);
      await mkdir(join(data, 'bucket', 'otel-raw', 'acme', 'c1'), { recursive: true });
      writeFileSync(join(data, 'bucket', 'otel-raw', 'acme', 'c1', 'logs_1.slow'), 'takes a minute');
      await until('the slow unit in hand', () => service.log.includes('slow codec: decoding'), 60_000);
      const started = Date.now();
      const code = await service.kill('SIGTERM');
      expect(code).toBe(1);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(service.log).toContain('LR_STOP_TIMEOUT');
    } finally {
      await service.kill('SIGKILL');
    }
  }, 120_000);
});
