import { type Command, InvalidArgumentError, Option } from 'commander';
import { LakerunnerError } from '../../../errors.js';
import { withKafka } from '../../../kafka/admin.js';
import { type PartitionRange, partitionRanges } from '../../../kafka/group-state.js';
import type { Admin } from '../../../kafka/kafkajs.js';
import type { PartitionReader } from '../../../kafka/partition-reader.js';
import type { TopicRegistry } from '../../../topics/registry.js';
import { loadDeployment } from '../../deployment.js';
import { parseCount, parseDuration, parseSince } from '../../duration.js';
import type { CliContext } from '../../io.js';
import { stopSignal } from '../../stop-signal.js';
import { messageJson, messageText } from './message-format.js';

type StartAt =
  | { kind: 'latest' }
  | { kind: 'earliest' }
  | { kind: 'absolute'; offset: bigint }
  | { kind: 'fromEnd'; count: bigint };

interface TailOptions {
  topic?: string;
  partition?: number;
  offset: StartAt;
  since?: number;
  max?: number;
  timeout: number;
  json?: boolean;
}

function parseStart(text: string): StartAt {
  if (text === 'latest' || text === 'end') return { kind: 'latest' };
  if (text === 'earliest' || text === 'first' || text === 'beginning') return { kind: 'earliest' };
  if (/^\d+$/.test(text)) return { kind: 'absolute', offset: BigInt(text) };
  if (/^-\d+$/.test(text)) return { kind: 'fromEnd', count: BigInt(text.slice(1)) };
  throw new InvalidArgumentError(`"${text}" is not latest, earliest, <n> or -<n>`);
}

export function registerTail(debugKafka: Command, ctx: CliContext) {
  debugKafka
    .command('tail')
    .description('stream messages from a topic (no consumer group, no commits)')
    .argument('[topic]', 'full topic name, or a registry key such as segments.logs.ingest')
    .option('--topic <name>', 'the topic, as an option')
    .option('--partition <n>', 'only this partition (default: all)', parseCount)
    .addOption(
      new Option('--offset <where>', 'start at latest, earliest, <n> (absolute) or -<n> (n from the end)')
        .argParser(parseStart)
        // The help names the default as it is typed, not as it is parsed.
        .default({ kind: 'latest' } satisfies StartAt, 'latest'),
    )
    .option(
      '--since <time>',
      'start at the first message at or after a time (ISO-8601, or 15m = 15 minutes ago)',
    )
    .option('--max <n>', 'stop after n messages (0 = no limit)', parseCount)
    .option('--timeout <duration>', 'stop after this long (0 = until Ctrl-C)', parseDuration, 0)
    .option('--json', 'one JSON object per line: topic, partition, offset, timestamp, key, headers, value')
    .addHelpText(
      'after',
      `
Progress and the final count go to stderr, messages to stdout. A payload is named after the
contract of its topic (object notification, work unit, segment notification, control message,
dead-letter record) only when it is valid; other JSON is pretty-printed as JSON, other text
prints as is and binary values as hex.
In --json, key and value are text when they are UTF-8, otherwise base64 with "keyEncoding" /
"valueEncoding": "base64"; headers map each key to the list of its values in record order, a
binary value as {"base64": "…"}.`,
    )
    .action(
      async (topicArg: string | undefined, opts: TailOptions & { since?: string }, command: Command) => {
        const name = topicArg ?? opts.topic;
        if (!name) command.error('error: name a topic (argument or --topic)', { exitCode: 2 });
        const since = opts.since === undefined ? undefined : parseSinceOrUsage(opts.since, command);
        const { config, registry } = await loadDeployment(command, ctx);
        const topic = resolveTopic(registry, name as string);
        await withKafka(config.kafka, async ({ admin, reader }) => {
          const positions = await startPositions(admin, topic, { ...opts, since });
          ctx.io.err(
            `reading ${topic}, partition(s) ${[...positions.keys()].join(', ')}, without a consumer group ` +
              `(brokers ${config.kafka.brokers.join(', ')})`,
          );
          const count = await stream(ctx, registry, await reader(), topic, positions, opts);
          ctx.io.err(`read ${count} message(s)`);
        });
      },
    );
}

function parseSinceOrUsage(text: string, command: Command): number {
  try {
    return parseSince(text);
  } catch (err) {
    return command.error(`error: option '--since <time>' argument invalid: ${(err as Error).message}`, {
      exitCode: 2,
    });
  }
}

function resolveTopic(registry: TopicRegistry, name: string): string {
  return (
    registry.find(name)?.topic ??
    registry.systemTopics.find((t) => t.key === name || t.topic === name)?.topic ??
    name
  );
}

async function startPositions(
  admin: Admin,
  topic: string,
  opts: Pick<TailOptions, 'partition' | 'offset'> & { since?: number },
): Promise<Map<number, bigint>> {
  let ranges: PartitionRange[];
  try {
    ranges = await partitionRanges(admin, topic);
  } catch (err) {
    throw new LakerunnerError('LR_NO_MATCH', `cannot read topic ${topic}: ${(err as Error).message}`);
  }
  if (opts.partition !== undefined) {
    ranges = ranges.filter((r) => r.partition === opts.partition);
    if (ranges.length === 0)
      throw new LakerunnerError('LR_NO_MATCH', `topic ${topic} has no partition ${opts.partition}`);
  }
  const byTime =
    opts.since === undefined
      ? undefined
      : new Map(
          (await admin.fetchTopicOffsetsByTimestamp(topic, opts.since)).map((o) => [
            o.partition,
            BigInt(o.offset),
          ]),
        );
  const clamp = (r: PartitionRange, o: bigint) => (o < r.low ? r.low : o > r.high ? r.high : o);
  const start = (r: PartitionRange): bigint => {
    if (byTime) return clamp(r, byTime.get(r.partition) ?? r.high);
    const at = opts.offset;
    if (at.kind === 'earliest') return r.low;
    if (at.kind === 'absolute') return clamp(r, at.offset);
    if (at.kind === 'fromEnd') return clamp(r, r.high - at.count);
    return r.high;
  };
  return new Map(ranges.map((r) => [r.partition, start(r)]));
}

async function stream(
  ctx: CliContext,
  registry: TopicRegistry,
  reader: PartitionReader,
  topic: string,
  positions: Map<number, bigint>,
  opts: TailOptions,
): Promise<number> {
  const interrupted = stopSignal();
  const deadline = opts.timeout > 0 ? Date.now() + opts.timeout : Number.POSITIVE_INFINITY;
  const limit = opts.max && opts.max > 0 ? opts.max : Number.POSITIVE_INFINITY;
  let count = 0;
  try {
    while (count < limit && !interrupted.stopped) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        ctx.io.err(`timeout reached after ${opts.timeout} ms`);
        break;
      }
      const requests = [...positions].map(([partition, offset]) => ({ topic, partition, offset }));
      const messages = await reader.fetch(requests, { maxWaitMs: Math.min(500, Math.max(10, remaining)) });
      messages.sort(
        (a, b) => a.timestamp - b.timestamp || a.partition - b.partition || Number(a.offset - b.offset),
      );
      for (const m of messages) {
        positions.set(m.partition, m.offset + 1n);
        if (count >= limit) break;
        ctx.io.out(opts.json ? messageJson(m) : messageText(m, registry));
        count++;
      }
    }
  } finally {
    interrupted.dispose();
  }
  return count;
}
