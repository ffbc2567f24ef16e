import type { Command } from 'commander';
import { withKafkaAdmin } from '../../kafka/admin.js';
import { syncTopics, type TopicSyncResult } from '../../kafka/topic-sync.js';
import { desiredTopics, readTopicOverrides } from '../../topics/settings.js';
import { loadDeployment } from '../deployment.js';
import type { CliContext } from '../io.js';
import { renderTable } from '../table.js';

export function registerTopicsCommands(program: Command, ctx: CliContext) {
  const topics = program
    .command('topics')
    .description('list the topology or create its topics on the cluster');

  topics
    .command('list')
    .description(
      'print every topic with its consumer group, reader service and writer services, then the system topics',
    )
    .option(
      '--json',
      'print JSON: [{ topic, consumerGroup, readerService, writerServices }], system topics last',
    )
    .action(async (opts: { json?: boolean }, command: Command) => {
      const { registry } = await loadDeployment(command, ctx);
      const rows = registry.bindings.map((b) => ({
        topic: b.topic,
        consumerGroup: b.consumerGroup,
        readerService: b.reader,
        writerServices: b.writers,
      }));
      if (opts.json) {
        const system = registry.systemTopics.map((t) => ({
          topic: t.topic,
          consumerGroup: null,
          readerService: null,
          writerServices: [],
          system: true,
          description: t.description,
        }));
        ctx.io.out(JSON.stringify([...rows, ...system], null, 2));
        return;
      }
      ctx.io.out(
        renderTable(
          ['TOPIC', 'CONSUMER GROUP', 'READER SERVICE', 'WRITTEN BY'],
          rows.map((r) => [r.topic, r.consumerGroup, r.readerService, r.writerServices.join(', ')]),
        ),
      );
      ctx.io.out(
        `\n${renderTable(
          ['SYSTEM TOPIC', 'PARTITIONS', 'PURPOSE'],
          registry.systemTopics.map((t) => [t.topic, String(t.partitions), t.description]),
        )}`,
      );
    });

  topics
    .command('sync')
    .description(
      'create missing topics (partitions, replication, configs from kafkaTopics and overrides); ' +
        'report existing topics whose settings differ, without changing them',
    )
    .option('--dry-run', 'report what would be created; change nothing')
    .option('--overrides <file>', 'YAML with `defaults` and `services` (keyed by reader service)')
    .option('--json', 'print JSON: { results: [...], summary }')
    .action(async (opts: { dryRun?: boolean; overrides?: string; json?: boolean }, command: Command) => {
      const { config, registry, baseDir } = await loadDeployment(command, ctx);
      const overridesFile = opts.overrides ?? config.kafkaTopics.overridesFile;
      const overrides = overridesFile
        ? await readTopicOverrides(overridesFile, opts.overrides ? ctx.cwd : baseDir)
        : {};
      const results = await withKafkaAdmin(config.kafka, async (admin) => {
        const { brokers } = await admin.describeCluster();
        const desired = desiredTopics(registry, config.kafkaTopics, overrides, brokers.length);
        return syncTopics(admin, desired, { dryRun: opts.dryRun === true });
      });
      const summary = summarize(results);
      if (opts.json) {
        ctx.io.out(JSON.stringify({ dryRun: opts.dryRun === true, results, summary }, null, 2));
        return;
      }
      ctx.io.out(renderSyncTable(results));
      ctx.io.out(
        `${opts.dryRun ? 'dry run: ' : ''}${summary.created} created, ${summary.wouldCreate} to create, ` +
          `${summary.present} already present, ${summary.differs} differing`,
      );
      if (summary.differs > 0) {
        ctx.io.err(
          'warning: differing topics were left as they are; change them with kafka-configs / ' +
            'kafka-topics, or adjust the overrides to match',
        );
      }
    });
}

function summarize(results: readonly TopicSyncResult[]) {
  const count = (status: TopicSyncResult['status']) => results.filter((r) => r.status === status).length;
  return {
    created: count('created'),
    wouldCreate: count('would-create'),
    present: count('present'),
    differs: count('differs'),
  };
}

function renderSyncTable(results: readonly TopicSyncResult[]): string {
  return renderTable(
    ['TOPIC', 'STATUS', 'PARTITIONS', 'REPLICATION', 'DETAILS'],
    results.map((r) => [
      r.topic,
      r.status,
      String(r.actual?.partitions ?? r.desired.partitions),
      String(r.actual?.replicationFactor ?? r.desired.replicationFactor),
      r.differences.join('; '),
    ]),
  );
}
