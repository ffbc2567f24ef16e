import { type Command, InvalidArgumentError } from 'commander';
import { LakerunnerError } from '../../errors.js';
import { withKafka } from '../../kafka/admin.js';
import { encodeMessage } from '../../messages/decode.js';
import { createMessageProducer } from '../../runtime/producer.js';
import { DEADLETTER_TOPIC_KEY } from '../../topics/registry.js';
import { loadDeployment } from '../deployment.js';
import { parseCount, parseSince } from '../duration.js';
import type { CliContext } from '../io.js';
import { renderTable } from '../table.js';
import { type ReplayStep, replayStep } from './deadletter/replay-plan.js';
import { readDeadLetters, type StoredDeadLetter } from './deadletter/stored-dead-letter.js';

interface Filters {
  code?: string;
  service?: string;
  org?: string;
  signal?: string;
  since?: number;
  subject?: string;
}

/** `lakerunner deadletter list|show`: what was dead-lettered, why, and what it was about. */
export function registerDeadletterCommands(program: Command, ctx: CliContext) {
  const deadletter = program
    .command('deadletter')
    .description('inspect the dead-letter topic: inputs and messages that could not be processed, and why');

  const filtered = (command: Command) =>
    command
      .option('--code <code>', 'only records whose error code starts with this (e.g. LR_INPUT)')
      .option('--service <name>', 'only records written by this service (e.g. ingest-logs)')
      .option('--org <org>', 'only records about this org')
      .option('--signal <signal>', 'only records about this signal')
      .option(
        '--subject <text>',
        'only records whose subject (bucket/key, or topic@partition:offset) contains this',
      )
      .option(
        '--since <time>',
        'only records written at or after a time (ISO-8601, or 15m = 15 minutes ago)',
        (v) => parseSince(v),
      );

  filtered(deadletter.command('list'))
    .description('one line per dead-letter record, oldest first (the topic as it is now)')
    .option('--limit <n>', 'show at most n records (0 = all)', parseCount, 1000)
    .option('--json', 'one JSON object per record: position, at, service, code, org, signal, subject, reason')
    .action(async (opts: Filters & { limit: number; json?: boolean }, command: Command) => {
      const { config, registry } = await loadDeployment(command, ctx);
      const topic = registry.systemTopic(DEADLETTER_TOPIC_KEY);
      let invalid = 0;
      const rows: StoredDeadLetter[] = [];
      let matched = 0;
      await withKafka(config.kafka, async ({ admin, reader }) => {
        for await (const d of readDeadLetters(admin, await reader(), topic, () => invalid++)) {
          if (!matches(d, opts)) continue;
          matched++;
          if (opts.limit === 0 || rows.length < opts.limit) rows.push(d);
        }
      });
      if (opts.json) {
        for (const d of rows) ctx.io.out(JSON.stringify(summary(d)));
      } else if (rows.length === 0) {
        ctx.io.out(`no dead-letter records${describeFilters(opts)} in ${topic}`);
      } else {
        ctx.io.out(
          renderTable(
            ['POSITION', 'AT', 'SERVICE', 'CODE', 'ORG', 'SIGNAL', 'SUBJECT', 'REASON'],
            rows.map((d) => {
              const s = summary(d);
              return [
                s.position,
                s.at,
                s.service,
                s.code,
                s.org ?? '-',
                s.signal ?? '-',
                s.subject,
                clip(s.reason, 100),
              ];
            }),
          ),
        );
        const more = matched > rows.length ? ` (showing the first ${rows.length}; --limit 0 shows all)` : '';
        ctx.io.out(`${matched} dead-letter record(s)${describeFilters(opts)}${more}`);
      }
      if (invalid > 0)
        ctx.io.err(`warning: ${invalid} message(s) on ${topic} are not dead-letter records and were skipped`);
    });

  filtered(deadletter.command('replay'))
    .description('send dead-lettered inputs and messages through the pipeline again, after a fix')
    .option('--execute', 'replay; without it, only print what would be replayed (a dry run)')
    .option('--json', 'print the plan (and with --execute, what was sent) as JSON')
    .addHelpText(
      'after',
      `
An input object none of whose records reached the lake (a limit, a format no codec read) goes
back to its stage's worker as a work unit of its own; once it is ingested, replaying it again
changes nothing. A message that failed as a whole is sent again to the topic it came from. An input some
of whose records reached the lake (bad records beside good ones, a limit hit halfway) is skipped,
since replaying it would duplicate them, as are segments of the lake. Fix the cause first (a codec, a raised limit), restart the services,
then replay; an input that still fails is dead-lettered again.`,
    )
    .action(async (opts: Filters & { execute?: boolean; json?: boolean }, command: Command) => {
      const { config, registry } = await loadDeployment(command, ctx);
      const topic = registry.systemTopic(DEADLETTER_TOPIC_KEY);
      const plan: { d: StoredDeadLetter; step: ReplayStep }[] = [];
      await withKafka(config.kafka, async ({ kafka, admin, reader }) => {
        const seen = new Set<string>();
        for await (const d of readDeadLetters(admin, await reader(), topic)) {
          if (!matches(d, opts)) continue;
          let step = replayStep(d, registry);
          // One object dead-lettered several times (each replay that failed again) is sent once.
          if (step.action === 'unit') {
            if (seen.has(step.identity)) step = { action: 'skip', why: 'replayed above (the same object)' };
            else seen.add(step.identity);
          }
          plan.push({ d, step });
        }
        if (!opts.execute) return;
        const producer = await createMessageProducer(kafka);
        try {
          for (const { step } of plan) {
            if (step.action === 'unit') {
              await producer.send(step.topic, [{ key: step.unit.groupKey, value: encodeMessage(step.unit) }]);
            } else if (step.action === 'resend') {
              await producer.send(step.topic, [{ key: null, value: step.value }]);
            }
          }
        } finally {
          await producer.close();
        }
      });
      const rows = plan.map(({ d, step }) => ({
        position: `${d.partition}:${d.offset}`,
        code: d.record.code,
        subject: d.subject,
        action: step.action,
        /** The topic it is sent to, or why it is skipped. */
        detail: step.action === 'skip' ? step.why : step.topic,
      }));
      const sent = rows.filter((r) => r.action !== 'skip').length;
      if (opts.json) {
        ctx.io.out(
          JSON.stringify(
            { executed: opts.execute === true, replayed: opts.execute ? sent : 0, plan: rows },
            null,
            2,
          ),
        );
        return;
      }
      if (rows.length === 0) {
        ctx.io.out(`no dead-letter records${describeFilters(opts)} in ${topic}`);
        return;
      }
      ctx.io.out(
        renderTable(
          ['POSITION', 'CODE', 'SUBJECT', 'ACTION'],
          rows.map((r) => [
            r.position,
            r.code,
            r.subject,
            r.action === 'skip' ? `skip: ${r.detail}` : `${r.action} ${r.detail}`,
          ]),
        ),
      );
      ctx.io.out(
        opts.execute
          ? `replayed ${sent} of ${rows.length} dead-letter record(s)${describeFilters(opts)}`
          : `dry run: ${sent} of ${rows.length} dead-letter record(s) would be replayed. Add --execute to replay.`,
      );
    });

  deadletter
    .command('show')
    .description('one dead-letter record in full, with the original message decoded')
    .argument('<position>', 'partition:offset, as `deadletter list` prints it')
    .option('--json', 'print the record and the decoded original as JSON')
    .action(async (position: string, opts: { json?: boolean }, command: Command) => {
      const at = /^(\d+):(\d+)$/.exec(position);
      if (!at) throw new InvalidArgumentError(`"${position}" is not partition:offset (e.g. 0:42)`);
      const [partition, offset] = [Number(at[1]), BigInt(at[2] as string)];
      const { config, registry } = await loadDeployment(command, ctx);
      const topic = registry.systemTopic(DEADLETTER_TOPIC_KEY);
      let found: StoredDeadLetter | undefined;
      await withKafka(config.kafka, async ({ admin, reader }) => {
        for await (const d of readDeadLetters(admin, await reader(), topic)) {
          if (d.partition === partition && d.offset === offset) {
            found = d;
            break;
          }
        }
      });
      if (!found) {
        throw new LakerunnerError('LR_NO_MATCH', `no dead-letter record at ${position} in ${topic}`);
      }
      const { originalBase64: _, ...record } = found.record;
      if (opts.json) {
        ctx.io.out(JSON.stringify({ ...summary(found), record, original: found.original }, null, 2));
        return;
      }
      const s = summary(found);
      ctx.io.out(
        [
          `dead-letter record ${s.position} of ${topic}`,
          `  at       ${s.at}`,
          `  service  ${s.service}`,
          `  code     ${s.code}`,
          `  subject  ${s.subject}${s.org ? ` (org ${s.org}, signal ${s.signal})` : ''}`,
          `  reason   ${s.reason}`,
          `  from     ${record.source.topic} partition ${record.source.partition} offset ${record.source.offset}`,
          ...(record.rejectedRecords !== undefined
            ? [`  records  ${record.rejectedRecords} rejected; the rest of the input was ingested`]
            : []),
          ...(record.records ?? []).map((r) => `    ${r.position}: ${r.reason}`),
          'original message:',
          typeof found.original === 'string' ? found.original : JSON.stringify(found.original, null, 2),
        ].join('\n'),
      );
    });
}

function summary(d: StoredDeadLetter) {
  return {
    position: `${d.partition}:${d.offset}`,
    at: d.record.at,
    service: d.record.service,
    code: d.record.code,
    org: d.org,
    signal: d.signal,
    subject: d.subject,
    reason: d.record.reason,
    ...(d.record.rejectedRecords !== undefined ? { rejectedRecords: d.record.rejectedRecords } : {}),
  };
}

function matches(d: StoredDeadLetter, f: Filters): boolean {
  return (
    (f.code === undefined || d.record.code.startsWith(f.code)) &&
    (f.service === undefined || d.record.service === f.service) &&
    (f.org === undefined || d.org === f.org) &&
    (f.signal === undefined || d.signal === f.signal) &&
    (f.subject === undefined || d.subject.includes(f.subject)) &&
    (f.since === undefined || Date.parse(d.record.at) >= f.since)
  );
}

function describeFilters(f: Filters): string {
  const parts = Object.entries({
    code: f.code,
    service: f.service,
    org: f.org,
    signal: f.signal,
    subject: f.subject,
  })
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${v}`);
  if (f.since !== undefined) parts.push(`since ${new Date(f.since).toISOString()}`);
  return parts.length > 0 ? ` matching ${parts.join(', ')}` : '';
}

function clip(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
