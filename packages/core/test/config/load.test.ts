import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { LakerunnerError } from '../../src/errors.js';

function dirWith(files: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'lakerunner-config-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function failure(promise: Promise<unknown>): Promise<LakerunnerError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LakerunnerError);
  return err as LakerunnerError;
}

describe('loadConfig', () => {
  it('uses the documented defaults when there is no file and no environment', async () => {
    const { config, file, warnings } = await loadConfig({ cwd: dirWith(), env: {} });
    expect(file).toBeUndefined();
    expect(warnings).toEqual([]);
    expect(config.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(config.kafkaTopics.topicPrefix).toBe('lakerunner');
    expect(config.kafkaTopics.defaults).toEqual({
      partitionCount: 16,
      configs: { 'cleanup.policy': 'delete', 'retention.ms': '604800000' },
    });
    expect(config.plugins).toEqual([
      '@lakerunner/plugin-logs',
      '@lakerunner/plugin-metrics',
      '@lakerunner/plugin-traces',
    ]);
  });

  it('reads lakerunner.yaml from the working directory', async () => {
    const cwd = dirWith({
      'lakerunner.yaml':
        'kafka:\n  brokers: [kafka-1:9092, kafka-2:9092]\nkafkaTopics:\n  topicPrefix: acme\n',
    });
    const { config, file } = await loadConfig({ cwd, env: {} });
    expect(file).toBe(join(cwd, 'lakerunner.yaml'));
    expect(config.kafka.brokers).toEqual(['kafka-1:9092', 'kafka-2:9092']);
    expect(config.kafkaTopics.topicPrefix).toBe('acme');
  });

  it('lets LAKERUNNER_KAFKA_TOPIC_PREFIX beat the file, and the file beat the default', async () => {
    const cwd = dirWith({ 'lakerunner.yaml': 'kafkaTopics:\n  topicPrefix: from-file\n' });
    const fromFile = await loadConfig({ cwd, env: {} });
    expect(fromFile.config.kafkaTopics.topicPrefix).toBe('from-file');
    const fromEnv = await loadConfig({ cwd, env: { LAKERUNNER_KAFKA_TOPIC_PREFIX: 'from-env' } });
    expect(fromEnv.config.kafkaTopics.topicPrefix).toBe('from-env');
  });

  it('accepts the Go implementation key kafka_topics as an alias', async () => {
    const cwd = dirWith({ 'lakerunner.yaml': 'kafka_topics:\n  topicPrefix: legacy\n' });
    const { config } = await loadConfig({ cwd, env: {} });
    expect(config.kafkaTopics.topicPrefix).toBe('legacy');
  });

  it('parses list, boolean and integer variables', async () => {
    const { config } = await loadConfig({
      cwd: dirWith(),
      env: {
        LAKERUNNER_KAFKA_BROKERS: 'a:1, b:2',
        LAKERUNNER_KAFKA_TLS: 'true',
        LAKERUNNER_KAFKA_CONNECTION_TIMEOUT_MS: '2500',
        LAKERUNNER_KAFKA_SASL_MECHANISM: 'scram-sha-512',
        LAKERUNNER_KAFKA_SASL_USERNAME: 'u',
        LAKERUNNER_KAFKA_SASL_PASSWORD: 'p',
      },
    });
    expect(config.kafka).toMatchObject({
      brokers: ['a:1', 'b:2'],
      tls: true,
      connectionTimeoutMs: 2500,
      sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' },
    });
  });

  it('names the key, the bad value and the variable when the environment is wrong', async () => {
    const err = await failure(loadConfig({ cwd: dirWith(), env: { LAKERUNNER_KAFKA_BROKERS: 'localhost' } }));
    expect(err.code).toBe('LR_CONFIG_INVALID');
    expect(err.message).toContain('kafka.brokers[0]');
    expect(err.message).toContain('"localhost"');
    expect(err.message).toContain('env LAKERUNNER_KAFKA_BROKERS');
  });

  it('names the key, the bad value and the file when the file is wrong', async () => {
    const cwd = dirWith({ 'lakerunner.yaml': 'kafkaTopics:\n  topicPrefix: "bad prefix!"\n' });
    const err = await failure(loadConfig({ cwd, env: {} }));
    expect(err.message).toMatch(
      /kafkaTopics\.topicPrefix: .*got "bad prefix!" \(from file lakerunner\.yaml\)/,
    );
  });

  it('rejects unknown keys instead of ignoring them', async () => {
    const cwd = dirWith({ 'lakerunner.yaml': 'kafka:\n  brokerz: [a:1]\n' });
    const err = await failure(loadConfig({ cwd, env: {} }));
    expect(err.message).toContain('kafka: unknown key "brokerz" (from file lakerunner.yaml)');
  });

  it('reports YAML syntax errors with line and column', async () => {
    const cwd = dirWith({ 'bad.yaml': 'kafka:\n  brokers: [a:1\n' });
    const err = await failure(loadConfig({ cwd, env: {}, file: 'bad.yaml' }));
    expect(err.code).toBe('LR_CONFIG_PARSE');
    expect(err.message).toMatch(/^file bad\.yaml:\d+:\d+: /);
  });

  it('fails clearly when an explicit config file does not exist', async () => {
    const err = await failure(loadConfig({ cwd: dirWith(), env: {}, file: 'missing.yaml' }));
    expect(err.message).toBe('config file missing.yaml does not exist');
  });

  it('takes the file from LAKERUNNER_CONFIG', async () => {
    const cwd = dirWith({ 'other.yml': 'kafka:\n  clientId: other\n' });
    const { config } = await loadConfig({ cwd, env: { LAKERUNNER_CONFIG: 'other.yml' } });
    expect(config.kafka.clientId).toBe('other');
  });

  it('warns about LAKERUNNER_* variables that set nothing', async () => {
    const { warnings } = await loadConfig({
      cwd: dirWith(),
      env: { LAKERUNNER_KAFKA_TOPICS_TOPICPREFIX: 'x', LAKERUNNER_DEV_KAFKA_PORT: '1' },
    });
    expect(warnings).toEqual([
      'environment variable LAKERUNNER_KAFKA_TOPICS_TOPICPREFIX is not a lakerunner setting and was ignored',
    ]);
  });
});
