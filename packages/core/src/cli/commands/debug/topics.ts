import type { Command } from 'commander';
import { withKafka } from '../../../kafka/admin.js';
import { partitionRanges } from '../../../kafka/group-state.js';
import { loadDeployment } from '../../deployment.js';
import type { CliContext } from '../../io.js';
import { renderTable } from '../../table.js';
import { SETTINGS_HEADERS, settingsCells, topicSettings } from './topic-settings.js';

export function registerKafkaTopics(debugKafka: Command, ctx: CliContext) {
  debugKafka
    .command('topics')
    .description("list the registry's topics on the cluster: settings and messages")
    .option('--all-topics', 'include topics that are not part of the registry')
    .option('--json', 'print JSON: one object per topic, with its partitions, replicationFactor and configs')
    .action(async (opts: { allTopics?: boolean; json?: boolean }, command: Command) => {
      const { config, registry } = await loadDeployment(command, ctx);
      await withKafka(config.kafka, async ({ admin }) => {
        const existing = new Set(await admin.listTopics());
        const known = [
          ...registry.bindings.map((b) => b.topic),
          ...registry.systemTopics.map((t) => t.topic),
        ];
        const extra = opts.allTopics
          ? [...existing].filter((t) => !known.includes(t) && !t.startsWith('__')).sort()
          : [];
        const topics = [...known, ...extra];
        const settings = await topicSettings(admin, topics);
        const rows = [];
        for (const topic of topics) {
          const s = settings.get(topic);
          const key = registry.find(topic)?.key ?? null;
          if (!s) {
            rows.push({
              topic,
              exists: false,
              partitions: 0,
              replicationFactor: null,
              configs: {},
              messages: 0,
              key,
            });
            continue;
          }
          const ranges = await partitionRanges(admin, topic);
          const messages = ranges.reduce((sum, r) => sum + (r.high - r.low), 0n);
          rows.push({ topic, exists: true, ...s, messages: Number(messages), key });
        }
        if (opts.json) {
          ctx.io.out(JSON.stringify(rows, null, 2));
          return;
        }
        ctx.io.out(
          renderTable(
            ['TOPIC', ...SETTINGS_HEADERS, 'MESSAGES', 'REGISTRY KEY'],
            rows.map((r) => [
              r.topic,
              ...settingsCells(settings.get(r.topic), 'missing (run lakerunner topics sync)'),
              r.exists ? String(r.messages) : '-',
              r.key ?? '-',
            ]),
          ),
        );
      });
    });
}
