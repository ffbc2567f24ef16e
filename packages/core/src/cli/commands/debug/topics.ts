import type { Command } from 'commander';
import { withKafka } from '../../../kafka/admin.js';
import { partitionRanges } from '../../../kafka/group-state.js';
import { loadDeployment } from '../../deployment.js';
import type { CliContext } from '../../io.js';
import { renderTable } from '../../table.js';

export function registerKafkaTopics(debugKafka: Command, ctx: CliContext) {
  debugKafka
    .command('topics')
    .description("list the registry's topics on the cluster: partitions, messages")
    .option('--all-topics', 'include topics that are not part of the registry')
    .option('--json', 'print JSON')
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
        const rows = [];
        for (const topic of [...known, ...extra]) {
          if (!existing.has(topic)) {
            rows.push({
              topic,
              exists: false,
              partitions: 0,
              messages: 0,
              key: registry.find(topic)?.key ?? null,
            });
            continue;
          }
          const ranges = await partitionRanges(admin, topic);
          const messages = ranges.reduce((sum, r) => sum + (r.high - r.low), 0n);
          rows.push({
            topic,
            exists: true,
            partitions: ranges.length,
            messages: Number(messages),
            key: registry.find(topic)?.key ?? null,
          });
        }
        if (opts.json) {
          ctx.io.out(JSON.stringify(rows, null, 2));
          return;
        }
        ctx.io.out(
          renderTable(
            ['TOPIC', 'PARTITIONS', 'MESSAGES', 'REGISTRY KEY'],
            rows.map((r) => [
              r.topic,
              r.exists ? String(r.partitions) : 'missing (run lakerunner topics sync)',
              r.exists ? String(r.messages) : '-',
              r.key ?? '-',
            ]),
          ),
        );
      });
    });
}
