import type { Command } from 'commander';
import { LakerunnerError } from '../../../errors.js';
import { withKafka } from '../../../kafka/admin.js';
import { describeGroups } from '../../../kafka/group-state.js';
import { measureLag, type PairLag } from '../../../kafka/lag.js';
import { evaluate, type LagStatus, pairKey } from '../../../kafka/lag-status.js';
import type { SignalPlugin } from '../../../plugin/signal-plugin.js';
import type { TopicRegistry } from '../../../topics/registry.js';
import { groupBy } from '../../../util/group-by.js';
import { loadDeployment } from '../../deployment.js';
import { parseCount, parseDuration } from '../../duration.js';
import type { CliContext } from '../../io.js';
import { stopSignal } from '../../stop-signal.js';
import { renderTable } from '../../table.js';
import { selectPairs } from './pairs.js';

interface LagOptions {
  group?: string;
  topic?: string;
  allGroups?: boolean;
  detailed?: boolean;
  json?: boolean;
  watch?: number;
  samples?: number;
}

/** How many samples the --watch status looks back over. */
const WINDOW = 10;

export function registerConsumerLag(debugKafka: Command, ctx: CliContext) {
  debugKafka
    .command('consumer-lag')
    .description('show how far each consumer group is behind its topics')
    .option('--group <substring>', 'only consumer groups whose name contains this')
    .option('--topic <substring>', 'only topics whose name contains this')
    .option('--all-groups', 'include consumer groups that are not part of the registry')
    .option('--detailed', 'one row per partition: committed, log end, lag, member, lag seconds')
    .option('--json', 'print JSON (with --watch: one object per line per sample)')
    .option(
      '--watch <interval>',
      'sample again every interval (e.g. 5s) and judge each partition',
      parseDuration,
    )
    .option('--samples <n>', 'with --watch: stop after n samples (default: until interrupted)', parseCount)
    .addHelpText(
      'after',
      `
Status (judged over the --watch samples, like Burrow; one sample says OK, HOLDING, LAGGING, STOP or NO-READER):
  OK       no lag, or lag that is not growing while the group commits
  HOLDING  a boxer holds the messages in a group it has not emitted yet, and the oldest is younger
           than its grouping window (the stage's maxAgeMs + runtime.boxerFlushIntervalMs): by design
  LAGGING  lag in a single sample (use --watch to tell WARN, STALL and OK apart)
  WARN     the group commits, but lag grew across the window
  STALL    the committed offset did not move while there was lag
  REWIND   the committed offset went backwards
  STOP     the group never committed on a partition that has messages
  NO-READER lag, and the group has no member: the service reading the topic runs nowhere
  ERROR    the topic/group pair could not be read (the reason is printed)
Lag seconds is the age of the oldest unconsumed message (its timestamp) when the sample was taken
("at" in --json). A partition without a commit counts its whole log as lag. Exit status 1 when any
pair could not be read.`,
    )
    .action(async (opts: LagOptions, command: Command) => {
      const { config, registry, plugins } = await loadDeployment(command, ctx);
      const holdMs = boxerHoldTimes(registry, plugins, config.runtime.boxerFlushIntervalMs);
      const failed = await withKafka(config.kafka, async ({ admin, reader }) => {
        const pairs = await selectPairs(admin, registry, opts);
        const history: PairLag[][] = [];
        const interrupted = stopSignal();
        try {
          for (let n = 1; ; n++) {
            const groups = await describeGroups(admin, [...new Set(pairs.map((p) => p.consumerGroup))]);
            // One time per sample: the ages are measured against the `at` that is printed.
            const at = Date.now();
            const sample = await measureLag(admin, await reader(), pairs, groups, () => at);
            history.push(sample);
            if (history.length > WINDOW) history.shift();
            const statuses = evaluate(history, (p) => ({
              members: groups.get(p.consumerGroup)?.members.length ?? 0,
              holdMs: holdMs.get(p.consumerGroup),
            }));
            print(ctx, opts, { at, n, pairs: sample }, statuses, groups);
            const done = opts.watch === undefined || (opts.samples !== undefined && n >= opts.samples);
            if (done || (await interrupted.wait(opts.watch ?? 0))) return sample.filter((p) => p.error);
          }
        } finally {
          interrupted.dispose();
        }
      });
      if (failed.length > 0) {
        throw new LakerunnerError(
          'LR_PAIR_UNREADABLE',
          `${failed.length} topic/group pair(s) could not be read:\n${failed
            .map((p) => `  ${p.topic} / ${p.consumerGroup}: ${p.error}`)
            .join('\n')}`,
        );
      }
    });
}

type Statuses = ReturnType<typeof evaluate>;
type Groups = Awaited<ReturnType<typeof describeGroups>>;

interface Sample {
  /** When the sample was taken (ms since the epoch); lag seconds are ages at this time. */
  at: number;
  n: number;
  pairs: PairLag[];
}

function print(
  ctx: CliContext,
  opts: LagOptions,
  { at: time, n, pairs: sample }: Sample,
  statuses: Statuses,
  groups: Groups,
) {
  const at = new Date(time).toISOString();
  if (opts.json) {
    const doc = { at, sample: n, pairs: sample.map((p) => pairJson(p, statuses)) };
    ctx.io.out(opts.watch === undefined ? JSON.stringify(doc, null, 2) : JSON.stringify(doc));
    return;
  }
  if (opts.watch !== undefined) ctx.io.out(`--- ${at} (sample ${n})`);
  if (!opts.detailed) {
    ctx.io.out(
      renderTable(
        ['TOPIC', 'CONSUMER GROUP', 'TOTAL LAG', 'PARTITIONS', 'STATUS'],
        sample.map((p) => [
          p.topic,
          p.consumerGroup,
          p.error ? '-' : String(p.totalLag),
          p.error ? '-' : String(p.partitions.length),
          statusOf(statuses, p),
        ]),
      ),
    );
    return;
  }
  for (const [group, pairs] of groupBy(sample, (p) => p.consumerGroup)) {
    const g = groups.get(group);
    ctx.io.out(`\nCONSUMER GROUP ${group} (${g?.state ?? 'unknown'}, ${g?.members.length ?? 0} member(s))`);
    const rows = pairs.flatMap((p) =>
      p.error
        ? [[p.topic, '-', '-', '-', '-', '-', `ERROR: ${p.error}`]]
        : p.partitions.map((q) => [
            p.topic,
            String(q.partition),
            q.committed === null ? '-' : String(q.committed),
            String(q.logEnd),
            String(q.lag),
            q.member ?? '-',
            q.lagSeconds === null ? '-' : q.lagSeconds.toFixed(1),
          ]),
    );
    ctx.io.out(
      renderTable(['TOPIC', 'PARTITION', 'COMMITTED', 'LOG-END', 'LAG', 'MEMBER', 'LAG-SECONDS'], rows),
    );
  }
}

function statusOf(statuses: Statuses, p: PairLag): LagStatus {
  return statuses.get(pairKey(p))?.pair ?? 'ERROR';
}

function pairJson(p: PairLag, statuses: Statuses) {
  const partitionStatus = statuses.get(pairKey(p))?.partitions;
  return {
    topic: p.topic,
    consumerGroup: p.consumerGroup,
    status: statusOf(statuses, p),
    totalLag: Number(p.totalLag),
    partitionCount: p.partitions.length,
    ...(p.error ? { error: p.error } : {}),
    partitions: p.partitions.map((q) => ({
      partition: q.partition,
      committed: q.committed === null ? null : Number(q.committed),
      logEnd: Number(q.logEnd),
      lag: Number(q.lag),
      member: q.member,
      lagSeconds: q.lagSeconds,
      status: partitionStatus?.get(q.partition) ?? 'OK',
    })),
  };
}

/** Slack for the time between a message's timestamp and its boxer receiving it. */
const HOLD_SLACK_MS = 1000;

/** Consumer group of each boxer → how long it may hold a message by design. */
function boxerHoldTimes(
  registry: TopicRegistry,
  plugins: readonly SignalPlugin[],
  flushIntervalMs: number,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const binding of registry.bindings) {
    const service = registry.service(binding.reader);
    if (service?.role !== 'boxer') continue;
    const policy = plugins.find((p) => p.signal === service.signal)?.stages[service.stage ?? '']?.boxer;
    if (policy) out.set(binding.consumerGroup, policy.maxAgeMs + flushIntervalMs + HOLD_SLACK_MS);
  }
  return out;
}
