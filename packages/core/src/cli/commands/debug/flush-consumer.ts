import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Command, Option } from 'commander';
import { LakerunnerError } from '../../../errors.js';
import { type KafkaSession, withKafka } from '../../../kafka/admin.js';
import { commitGroupOffsets } from '../../../kafka/cluster.js';
import {
  CONTROL_TOPIC_KEY,
  encodeControlMessage,
  type FlushAck,
  parseControlMessage,
} from '../../../kafka/control.js';
import {
  committedOffsets,
  describeGroups,
  memberLabel,
  partitionRanges,
} from '../../../kafka/group-state.js';
import type { Admin } from '../../../kafka/kafkajs.js';
import type { TopicRegistry } from '../../../topics/registry.js';
import { loadDeployment } from '../../deployment.js';
import { parseDuration } from '../../duration.js';
import type { CliContext } from '../../io.js';
import { renderTable } from '../../table.js';

interface FlushOptions {
  group?: string;
  allRegistryGroups?: boolean;
  topic?: string;
  execute?: boolean;
  yes?: boolean;
  waitEmpty?: number;
  live?: boolean;
  liveTimeout: number;
  json?: boolean;
}

interface PlannedPartition {
  group: string;
  topic: string;
  partition: number;
  current: bigint | null;
  highWater: bigint;
  willSkip: bigint;
}

export function registerFlushConsumer(debugKafka: Command, ctx: CliContext) {
  debugKafka
    .command('flush-consumer')
    .description("skip a consumer group's pending messages: commit the high-water mark")
    .option('--group <name>', 'the consumer group to flush (exact name)')
    .option('--all-registry-groups', "flush every consumer group of the registry's topology")
    .option('--topic <substring>', 'only topics whose name contains this')
    .option('--execute', 'apply the flush (without it: dry run, nothing changes)')
    .option('--yes', 'do not ask for confirmation on a terminal')
    .option('--wait-empty <duration>', 'wait up to this long for the group to have no members', parseDuration)
    .option('--live', 'ask the running members of the group to skip to the high-water mark themselves')
    .addOption(
      new Option('--live-timeout <duration>', 'with --live: how long to wait for every partition (e.g. 60s)')
        .argParser(parseDuration)
        // The help names the default as it is typed (a bare number would mean seconds), not in ms.
        .default(30_000, '30s'),
    )
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
The pending messages are skipped, never processed: use this to clear a backlog after an incident.
A dry run (the default) prints TOPIC | PARTITION | CURRENT | HIGH-WATER | WILL SKIP and the total.
--execute refuses a group that has active members, naming them; stop them, pass --wait-empty, or
use --live, which flushes through the control topic while the services keep running and reports
per partition when it took effect.`,
    )
    .action(async (opts: FlushOptions, command: Command) => {
      if (!opts.group === !opts.allRegistryGroups) {
        command.error('error: give exactly one of --group <name> or --all-registry-groups', { exitCode: 2 });
      }
      const { config, registry } = await loadDeployment(command, ctx);
      await withKafka(config.kafka, (session) => flushGroups(session, registry, opts, ctx));
    });
}

async function flushGroups(
  session: KafkaSession,
  registry: TopicRegistry,
  opts: FlushOptions,
  ctx: CliContext,
) {
  const { admin } = session;
  const groups = opts.group ? [opts.group] : [...new Set(registry.bindings.map((b) => b.consumerGroup))];
  const plan: PlannedPartition[] = [];
  for (const group of groups) plan.push(...(await planGroup(admin, registry, group, opts.topic)));
  if (plan.length === 0) {
    throw new LakerunnerError(
      'LR_NO_MATCH',
      `no topics to flush for ${groups.join(', ')}${opts.topic ? ` matching --topic "${opts.topic}"` : ''} ` +
        '(the group is not in the registry and has committed on no topic)',
    );
  }
  const total = plan.reduce((sum, p) => sum + p.willSkip, 0n);
  const report: Record<string, unknown> = {
    dryRun: !opts.execute,
    plan: plan.map(planJson),
    totalSkip: Number(total),
  };
  if (!opts.json) {
    for (const group of groups) {
      const rows = plan.filter((p) => p.group === group);
      if (rows.length === 0) continue;
      ctx.io.out(`CONSUMER GROUP ${group}`);
      ctx.io.out(
        renderTable(
          ['TOPIC', 'PARTITION', 'CURRENT', 'HIGH-WATER', 'WILL SKIP'],
          rows.map((p) => [
            p.topic,
            String(p.partition),
            p.current === null ? '-' : String(p.current),
            String(p.highWater),
            String(p.willSkip),
          ]),
        ),
      );
    }
    ctx.io.out(`Total messages to skip: ${total}`);
  }
  if (!opts.execute) {
    if (opts.json) ctx.io.out(JSON.stringify(report, null, 2));
    else ctx.io.out('Dry run: nothing changed. Add --execute to apply.');
    return;
  }
  if (!opts.yes && ctx.confirm) {
    const ok = await ctx.confirm(`Skip ${total} message(s) of ${groups.join(', ')}?`);
    if (!ok) throw new LakerunnerError('LR_ABORTED', 'flush cancelled; nothing changed');
  }

  if (opts.live) {
    const acks = await liveFlush(session, controlTopicOf(registry), groups, plan, opts);
    report.live = acks;
    if (opts.json) ctx.io.out(JSON.stringify(report, null, 2));
    else {
      ctx.io.out(
        renderTable(
          ['GROUP', 'TOPIC', 'PARTITION', 'FLUSHED TO', 'MEMBER', 'AT'],
          acks.map((a) => [a.group, a.topic, String(a.partition), a.offset, a.member, a.at]),
        ),
      );
      ctx.io.out(`Live flush took effect on ${acks.length} partition(s).`);
    }
    return;
  }

  for (const group of groups) await requireEmpty(admin, group, opts.waitEmpty);
  const applied: { group: string; topic: string; partition: number; offset: string }[] = [];
  for (const group of groups) {
    for (const topic of new Set(plan.filter((p) => p.group === group).map((p) => p.topic))) {
      const ranges = await partitionRanges(admin, topic);
      await commitGroupOffsets(
        session.kafka,
        group,
        topic,
        ranges.map((r) => ({ partition: r.partition, offset: r.high })),
      );
      for (const r of ranges)
        applied.push({ group, topic, partition: r.partition, offset: r.high.toString() });
    }
  }
  report.applied = applied;
  if (opts.json) ctx.io.out(JSON.stringify(report, null, 2));
  else ctx.io.out(`Flushed: ${applied.length} partition(s) now committed at their high-water mark.`);
}

async function planGroup(
  admin: Admin,
  registry: TopicRegistry,
  group: string,
  topicFilter: string | undefined,
): Promise<PlannedPartition[]> {
  const fromRegistry = registry.bindings.filter((b) => b.consumerGroup === group).map((b) => b.topic);
  const topics =
    fromRegistry.length > 0
      ? fromRegistry
      : (await admin.fetchOffsets({ groupId: group })).map((t) => t.topic);
  const plan: PlannedPartition[] = [];
  for (const topic of topics.filter((t) => !topicFilter || t.includes(topicFilter))) {
    const committed = await committedOffsets(admin, group, topic);
    for (const r of await partitionRanges(admin, topic)) {
      const current = committed.get(r.partition) ?? null;
      const from = current ?? r.low;
      plan.push({
        group,
        topic,
        partition: r.partition,
        current,
        highWater: r.high,
        willSkip: r.high > from ? r.high - from : 0n,
      });
    }
  }
  return plan;
}

async function requireEmpty(admin: Admin, group: string, waitMs: number | undefined) {
  const deadline = Date.now() + (waitMs ?? 0);
  for (;;) {
    const members = (await describeGroups(admin, [group])).get(group)?.members ?? [];
    if (members.length === 0) return;
    if (Date.now() >= deadline) {
      const names = members.map((m) => `${memberLabel(m)} (${m.memberId})`).join(', ');
      const waited = waitMs ? ` after waiting ${waitMs} ms` : '';
      throw new LakerunnerError(
        'LR_GROUP_ACTIVE',
        `group ${group} still has ${members.length} active member(s)${waited}: ${names}. ` +
          'Stop them first, pass --wait-empty <duration>, or use --live to flush the running group.',
      );
    }
    await sleep(500);
  }
}

function controlTopicOf(registry: TopicRegistry): string {
  const control = registry.systemTopics.find((t) => t.key === CONTROL_TOPIC_KEY);
  if (!control) throw new Error('the registry has no control topic');
  return control.topic;
}

async function liveFlush(
  session: KafkaSession,
  controlTopic: string,
  groups: string[],
  plan: PlannedPartition[],
  opts: FlushOptions,
): Promise<FlushAck[]> {
  const { admin, kafka } = session;
  const control = (await describeGroups(admin, groups)).entries();
  for (const [group, description] of control) {
    if (description.members.length === 0) {
      throw new LakerunnerError(
        'LR_GROUP_ACTIVE',
        `group ${group} has no running members to flush live; flush it without --live`,
      );
    }
  }
  const start = (await partitionRanges(admin, controlTopic))[0]?.high ?? 0n;
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const ids = new Map<string, string>();
  try {
    for (const group of groups) {
      const id = randomUUID();
      ids.set(id, group);
      const topics = [...new Set(plan.filter((p) => p.group === group).map((p) => p.topic))];
      await producer.send({
        topic: controlTopic,
        acks: -1,
        messages: [
          {
            key: group,
            value: encodeControlMessage({
              v: 1,
              type: 'flush',
              id,
              group,
              topics,
              requestedAt: new Date().toISOString(),
            }),
          },
        ],
      });
    }
  } finally {
    await producer.disconnect();
  }

  const wanted = new Set(plan.map((p) => `${p.group}\u0000${p.topic}\u0000${p.partition}`));
  const acks = new Map<string, FlushAck>();
  const reader = await session.reader();
  const deadline = Date.now() + opts.liveTimeout;
  let position = start;
  while (acks.size < wanted.size && Date.now() < deadline) {
    for (const m of await reader.fetch([{ topic: controlTopic, partition: 0, offset: position }], {
      maxWaitMs: 500,
    })) {
      position = m.offset + 1n;
      const message = parseControlMessage(m.value);
      if (message?.type !== 'flush-ack' || !ids.has(message.id)) continue;
      const k = `${message.group}\u0000${message.topic}\u0000${message.partition}`;
      if (wanted.has(k)) acks.set(k, message);
    }
  }
  if (acks.size < wanted.size) {
    const missing = [...wanted]
      .filter((k) => !acks.has(k))
      .map((k) => k.split('\u0000').slice(1).join(' partition '));
    throw new LakerunnerError(
      'LR_FLUSH_INCOMPLETE',
      `no running member acknowledged ${missing.length} partition(s) within ${opts.liveTimeout} ms: ` +
        `${missing.join(', ')}. ${acks.size} partition(s) were flushed. Are the services listening to ${controlTopic}?`,
    );
  }
  return [...acks.values()].sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}

function planJson(p: PlannedPartition) {
  return {
    group: p.group,
    topic: p.topic,
    partition: p.partition,
    current: p.current === null ? null : Number(p.current),
    highWater: Number(p.highWater),
    willSkip: Number(p.willSkip),
  };
}
