import type { Command } from 'commander';
import { withKafkaAdmin } from '../../kafka/admin.js';
import { syncTopics, type TopicSyncResult } from '../../kafka/topic-sync.js';
import { desiredTopics, readTopicOverrides } from '../../topics/settings.js';
import { loadDeployment } from '../deployment.js';
import type { CliContext } from '../io.js';
import { renderTable } from '../table.js';
import { SETTINGS_HEADERS, settingsCells, topicSettings } from './debug/topic-settings.js';

export function registerTopicsCommands(program: Command, ctx: CliContext) {
  const topics = program
    .command('topics')
    .description('list the topology or create its topics on the cluster');

  registerList(topics, ctx);

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

function registerList(topics: Command, ctx: CliContext) {
  topics
    .command('list')
    .description(
      'print every topic with its consumer group, reader service and writer services, then the system topics',
    )
    .option(
      '--cluster',
      "also show each topic's partitions, replication factor, retention.ms and cleanup.policy on the cluster",
    )
    .option(
      '--json',
      'print JSON: [{ topic, consumerGroup, readerService, writerServices }], system topics last; ' +
        'with --cluster each has cluster: { exists, partitions, replicationFactor, configs }',
    )
    .action(async (opts: { cluster?: boolean; json?: boolean }, command: Command) => {
      const { config, registry } = await loadDeployment(command, ctx);
      const rows = registry.bindings.map((b) => ({
        topic: b.topic,
        consumerGroup: b.consumerGroup,
        readerService: b.reader,
        writerServices: b.writers,
      }));
      const system = registry.systemTopics;
      // Only --cluster needs a broker: the topology itself is known without one.
      const settings = opts.cluster
        ? await withKafkaAdmin(config.kafka, (admin) =>
            topicSettings(
              admin,
              [...rows, ...system].map((r) => r.topic),
            ),
          )
        : undefined;
      if (opts.json) {
        const systemRows = system.map((t) => ({
          topic: t.topic,
          consumerGroup: null,
          readerService: null,
          writerServices: [],
          system: true,
          description: t.description,
        }));
        const withCluster = [...rows, ...systemRows].map((r) => {
          if (!settings) return r;
          const s = settings.get(r.topic);
          return { ...r, cluster: s ? { exists: true, ...s } : { exists: false } };
        });
        ctx.io.out(JSON.stringify(withCluster, null, 2));
        return;
      }
      const cells = (topic: string) => (settings ? settingsCells(settings.get(topic), 'missing') : []);
      const headers = settings ? SETTINGS_HEADERS : [];
      ctx.io.out(
        renderTable(
          ['TOPIC', 'CONSUMER GROUP', 'READER SERVICE', 'WRITTEN BY', ...headers],
          rows.map((r) => [
            r.topic,
            r.consumerGroup,
            r.readerService,
            r.writerServices.join(', '),
            ...cells(r.topic),
          ]),
        ),
      );
      // Without --cluster, the system topics' partition counts are the configured ones.
      ctx.io.out(
        `\n${renderTable(
          ['SYSTEM TOPIC', ...(settings ? headers : ['PARTITIONS']), 'PURPOSE'],
          system.map((t) => [
            t.topic,
            ...(settings ? cells(t.topic) : [String(t.partitions)]),
            t.description,
          ]),
        )}`,
      );
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
