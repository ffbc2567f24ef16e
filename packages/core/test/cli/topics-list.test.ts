import { describe, expect, it } from 'vitest';
import { cli } from './run.js';

describe('lakerunner topics list', () => {
  it('prints the specification table name for name', async () => {
    const { code, stdout, stderr } = await cli(['topics', 'list']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.split(/\s{2,}/));
    expect(lines[0]).toEqual(['TOPIC', 'CONSUMER GROUP', 'READER SERVICE', 'WRITTEN BY']);
    // The specification's 14 rows, then the system topics after a blank line.
    expect(lines.slice(0, 15).every((l) => l.length === 4)).toBe(true);
    expect(lines[16]).toEqual(['SYSTEM TOPIC', 'PARTITIONS', 'PURPOSE']);
    expect(lines[17]?.[0]).toBe('lakerunner.control');
    expect(lines).toContainEqual([
      'lakerunner.segments.metrics.rollup',
      'lakerunner.rollup.metrics',
      'rollup-metrics',
      'boxer-rollup-metrics',
    ]);
    expect(lines).toContainEqual([
      'lakerunner.boxer.metrics.compact',
      'lakerunner.boxer.metrics.compact',
      'boxer-compact-metrics',
      'ingest-metrics, compact-metrics, rollup-metrics',
    ]);
  });

  it('prints JSON with topic, consumer group, reader and writer services', async () => {
    const { code, stdout } = await cli(['topics', 'list', '--json'], {
      env: { LAKERUNNER_KAFKA_TOPIC_PREFIX: 'acme' },
    });
    expect(code).toBe(0);
    const rows = JSON.parse(stdout);
    expect(rows).toHaveLength(16);
    expect(rows[14]).toMatchObject({ topic: 'acme.control', consumerGroup: null, system: true });
    expect(rows[15]).toMatchObject({ topic: 'acme.deadletter', consumerGroup: null, system: true });
    expect(rows[0]).toEqual({
      topic: 'acme.objstore.ingest.logs',
      consumerGroup: 'acme.ingest.logs',
      readerService: 'boxer-ingest-logs',
      writerServices: ['pubsub'],
    });
  });

  it('lists only the configured plugins', async () => {
    const { stdout } = await cli(['topics', 'list', '--json'], {
      env: { LAKERUNNER_PLUGINS: '@lakerunner/plugin-logs' },
    });
    expect(JSON.parse(stdout).map((r: { topic: string }) => r.topic)).toEqual([
      'lakerunner.objstore.ingest.logs',
      'lakerunner.segments.logs.ingest',
      'lakerunner.segments.logs.compact',
      'lakerunner.boxer.logs.compact',
      'lakerunner.control',
      'lakerunner.deadletter',
    ]);
  });

  it('exits 1 with a coded message on a bad config', async () => {
    const { code, stderr, stdout } = await cli(['topics', 'list'], {
      env: { LAKERUNNER_KAFKA_TOPIC_PREFIX: 'bad prefix' },
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^error LR_CONFIG_INVALID: invalid configuration:\n {2}kafkaTopics\.topicPrefix: /,
    );
  });
});

describe('lakerunner usage', () => {
  it('--help lists the commands and global options, exit 0', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: lakerunner [options] [command]');
    expect(stdout).toContain('-c, --config <file>');
    expect(stdout).toMatch(/\n {2}topics +list the topology or create its topics on the cluster\n/);
  });

  it('topics --help describes list and sync; each has its own --help', async () => {
    expect((await cli(['topics', '--help'])).stdout).toMatch(/list \[options\][\s\S]*sync \[options\]/);
    const sync = await cli(['topics', 'sync', '--help']);
    expect(sync.code).toBe(0);
    for (const option of ['--dry-run', '--overrides <file>', '--json']) expect(sync.stdout).toContain(option);
    expect((await cli(['topics', 'list', '--help'])).stdout).toContain('--json');
  });

  it('exits 2 on an unknown option, an unknown command or a missing subcommand', async () => {
    const unknownOption = await cli(['topics', 'list', '--bogus']);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain("error: unknown option '--bogus'");
    expect((await cli(['nope'])).code).toBe(2);
    expect((await cli(['topics'])).code).toBe(2);
  });

  it('--version prints the core version', async () => {
    const { code, stdout } = await cli(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
