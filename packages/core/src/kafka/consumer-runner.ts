import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { LakerunnerError } from '../errors.js';
import { type Logger, silentLogger } from '../logger.js';
import { backoffMs, classifyFailure, type Failure } from '../runtime/failure.js';
import { type Coalescing, coalescing } from '../util/coalescing.js';
import { Semaphore } from '../util/semaphore.js';
import type { FlushRequest } from './control.js';
import type { ControlChannel, ControlTools, FlushListener } from './control-channel.js';
import { partitionRanges } from './group-state.js';
import type { Consumer, KafkaClient } from './kafkajs.js';
import { PartitionOffsets } from './offset-tracker.js';
import type { RawMessage } from './partition-reader.js';

/**
 * Runs a consumer group member: hands each message to `handle`, commits each partition only up
 * to its lowest message not yet done (see ./offset-tracker.ts), keeps the membership alive with
 * heartbeats while a handler runs, retries retriable failures with backoff without ever moving
 * past them, and passes permanent failures to `onPermanentFailure` before moving on. A handler
 * that finishes its work later (a boxer holding a message in an open group) calls `defer()` and
 * acknowledges when the effect is durable.
 *
 * It also listens to the control topic (through the process's one ControlChannel), so an
 * operator can tell the running group to skip to the high-water mark (`lakerunner debug kafka
 * flush-consumer --live`) without a restart.
 *
 * Correctness does not lean on kafkajs' rebalance handling: a commit that fails because the
 * partition moved is dropped (the new owner re-handles the message, which handlers make
 * harmless), and a commit never goes below an operator's flush.
 */
/** A message as the handler sees it: the same shape the group-less reader returns. */
export type ConsumedMessage = RawMessage;

export interface ConsumerRunnerOptions {
  kafka: KafkaClient;
  groupId: string;
  topics: readonly string[];
  handle(message: ConsumedMessage, context: HandleContext): Promise<void>;
  /** Called with a message whose handler failed with a non-retriable error; then it is skipped. */
  onPermanentFailure(message: ConsumedMessage, error: unknown): Promise<void>;
  /** Messages handled at the same time, across this member's partitions (default 1). */
  concurrency?: number;
  /**
   * Handle a partition's messages one after another (default true). False lets up to
   * `concurrency` messages of one partition run at once, for handlers whose effects do not
   * depend on each other's order (workers); commits still never pass a message not yet done.
   */
  ordered?: boolean;
  /** The process's control-topic reader; no live control without it. */
  control?: ControlChannel;
  /**
   * Called when a rebalance starts and before stopping, while the member still owns its
   * partitions: a boxer emits its open groups here.
   */
  beforeRelease?(): Promise<void>;
  /** Names this member in flush acknowledgements; defaults to host:pid. */
  memberLabel?: string;
  retry?: { initialMs?: number; maxMs?: number };
  /** Attempts a message whose error is of unknown kind gets before it counts as permanent (default 5). */
  maxAttempts?: number;
  /** Called for every failed attempt that will be retried (metrics). */
  onRetry?(failure: Failure, error: unknown): void;
  /**
   * Called when the consumer stopped for good (kafkajs gave up restarting it): the process
   * should exit so it is restarted, rather than look alive while consuming nothing.
   */
  onFatal?(error: unknown): void;
  log?: Logger;
}

export interface HandleContext {
  /**
   * Keep this message outstanding after `handle` returns; call the returned function once its
   * effect is durable. Until then, its partition is not committed past it.
   */
  defer(): () => void;
}

export interface ConsumerRunner {
  /** Joins the group and starts consuming; resolves once running. */
  start(): Promise<void>;
  /** Finishes the messages in hand, commits them, leaves the group. */
  stop(): Promise<void>;
  /** topic → partitions this member holds now. */
  assignment(): Record<string, number[]>;
}

const HEARTBEAT_EVERY_MS = 1000;

/** How handling a message ended: 'released' when its partition is no longer this member's. */
type Outcome = 'done' | 'deferred' | 'released';

export function createConsumerRunner(options: ConsumerRunnerOptions): ConsumerRunner {
  const log = options.log ?? silentLogger;
  const { kafka, groupId } = options;
  const initialMs = options.retry?.initialMs ?? 200;
  const maxMs = options.retry?.maxMs ?? 10_000;
  const maxAttempts = options.maxAttempts ?? 5;
  const concurrency = options.concurrency ?? 1;
  const perPartition = (options.ordered ?? true) ? 1 : concurrency;
  const slots = new Semaphore(concurrency);
  const oneAtATime = concurrency === 1;
  /** Handlers' errors are retried or dead-lettered inside handleMessage; one escaping is a bug. */
  const onHandlingBug = (err: unknown) => {
    log.error('handling a message failed outside its retries', { groupId, error: String(err) });
    options.onFatal?.(err);
  };
  /** Messages being handled, per partition: they outlive the batch they came in. */
  const partitionTasks = new Map<string, Set<Promise<void>>>();
  const consumer: Consumer = kafka.consumer({
    groupId,
    allowAutoTopicCreation: false,
    sessionTimeout: 30_000,
    rebalanceTimeout: 60_000,
    heartbeatInterval: 3_000,
    // The fetch's long poll is the client's (kafka.fetchMaxWaitMs): stop() waits for the fetch in flight.
  });
  let assignment: Record<string, number[]> = {};
  /** Offsets below this were skipped by an operator's flush: never handle or commit them. */
  const floors = new Map<string, bigint>();
  const trackers = new Map<string, PartitionOffsets>();
  const committed = new Map<string, bigint>();
  const committing = new Map<string, Coalescing>();
  let running = false;
  let stopListening: (() => Promise<void>) | undefined;
  /** Set when stop() begins: an operator's flush arriving later is not carried out. */
  let leaving = false;
  /** The operator's flush in progress: it seeks and commits, so the consumer stops after it. */
  let flushing: Promise<unknown> = Promise.resolve();
  const member = options.memberLabel ?? `${hostname()}:${process.pid}`;

  const key = (topic: string, partition: number) => `${topic}:${partition}`;
  const tracker = (topic: string, partition: number) => {
    const k = key(topic, partition);
    let t = trackers.get(k);
    if (!t) {
      t = new PartitionOffsets();
      trackers.set(k, t);
    }
    return t;
  };

  consumer.on(consumer.events.CRASH, (event) => {
    const { error, restart } = event.payload as { error: unknown; restart: boolean };
    if (restart || !running) return;
    log.error('the consumer stopped for good', { groupId, error: String(error) });
    options.onFatal?.(error);
  });
  consumer.on(consumer.events.REBALANCING, () => {
    void options
      .beforeRelease?.()
      .catch((err) => log.warn('beforeRelease failed', { groupId, error: String(err) }));
  });
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    assignment = event.payload.memberAssignment ?? {};
    const owned = new Set(Object.entries(assignment).flatMap(([t, ps]) => ps.map((p) => key(t, p))));
    // What this member held of partitions it lost is redelivered to their new owner.
    for (const k of [...trackers.keys()]) {
      if (!owned.has(k)) {
        trackers.delete(k);
        committed.delete(k);
      }
    }
    log.info('joined group', { groupId, assignment });
  });

  /**
   * Commits the partition's watermark if it moved; one commit per partition at a time, and calls
   * while one is in flight coalesce into one more, so a burst of finished messages (a boxer
   * acknowledging the fifty inputs of a unit) costs one or two commits, not fifty.
   */
  function advance(topic: string, partition: number): Promise<void> {
    const k = key(topic, partition);
    let commits = committing.get(k);
    if (!commits) {
      commits = coalescing(async () => {
        const mark = trackers.get(k)?.watermark();
        const last = committed.get(k);
        if (mark === undefined || (last !== undefined && mark <= last)) return;
        if (await commit(topic, partition, mark)) committed.set(k, mark);
      });
      committing.set(k, commits);
    }
    return commits.request();
  }

  async function commit(topic: string, partition: number, next: bigint): Promise<boolean> {
    const floor = floors.get(key(topic, partition));
    if (floor !== undefined && next < floor) return false;
    try {
      await consumer.commitOffsets([{ topic, partition, offset: next.toString() }]);
      return true;
    } catch (err) {
      // The partition moved to another member mid-rebalance; it will re-handle from its last
      // commit, and the handler's effect is idempotent.
      log.warn('commit failed; the next owner re-handles from the last commit', {
        groupId,
        topic,
        partition,
        offset: next.toString(),
        error: String(err),
      });
      return false;
    }
  }

  /** Resolves with 'done', 'deferred' or 'released' (the partition is no longer ours). */
  async function handleWithRetry(message: ConsumedMessage, stillMine: () => boolean): Promise<Outcome> {
    for (let attempt = 0; ; attempt++) {
      let deferred = false;
      const context: HandleContext = {
        defer: () => {
          deferred = true;
          return () => {
            trackers.get(key(message.topic, message.partition))?.done(message.offset);
            void advance(message.topic, message.partition);
          };
        },
      };
      try {
        await options.handle(message, context);
        return deferred ? 'deferred' : 'done';
      } catch (caught) {
        let err = caught;
        const failure = classifyFailure(err);
        const exhausted = failure.kind === 'unknown' && attempt + 1 >= maxAttempts;
        if (failure.kind === 'permanent' || exhausted) {
          try {
            await options.onPermanentFailure(message, exhausted ? giveUp(err, attempt + 1, failure) : err);
            return 'done';
          } catch (deadLetterError) {
            // Recording the failure failed (say, the broker is down): retry the whole message.
            err = deadLetterError;
          }
        }
        if (!stillMine()) return 'released';
        const delay = backoffMs(attempt, initialMs, maxMs);
        options.onRetry?.(failure, err);
        log.warn('handler failed; retrying', {
          groupId,
          topic: message.topic,
          partition: message.partition,
          offset: message.offset.toString(),
          attempt: attempt + 1,
          kind: failure.kind,
          code: failure.code,
          delayMs: delay,
          error: String(err),
        });
        await sleep(delay);
        if (!stillMine()) return 'released';
      }
    }
  }

  /** Handles one message and, once its effect is durable, lets its partition commit past it. */
  async function handleMessage(message: ConsumedMessage, stillMine: () => boolean): Promise<Outcome> {
    const outcome = await handleWithRetry(message, stillMine);
    if (outcome === 'done') {
      tracker(message.topic, message.partition).done(message.offset);
      await advance(message.topic, message.partition);
    }
    return outcome;
  }

  async function flush(request: FlushRequest, { admin, acknowledge }: ControlTools) {
    const topics = options.topics.filter((t) => !request.topics || request.topics.includes(t));
    for (const topic of topics) {
      const held = assignment[topic] ?? [];
      if (held.length === 0) continue;
      const ranges = await partitionRanges(admin, topic);
      for (const partition of held) {
        const high = ranges.find((r) => r.partition === partition)?.high;
        if (high === undefined) continue;
        floors.set(key(topic, partition), high);
        tracker(topic, partition).skipBelow(high);
        consumer.seek({ topic, partition, offset: high.toString() });
        if (await commit(topic, partition, high)) committed.set(key(topic, partition), high);
        await acknowledge({
          v: 1,
          type: 'flush-ack',
          id: request.id,
          group: groupId,
          topic,
          partition,
          offset: high.toString(),
          member,
          at: new Date().toISOString(),
        });
        log.info('flushed partition to the high-water mark', {
          groupId,
          topic,
          partition,
          offset: high.toString(),
        });
      }
    }
  }

  const onFlush: FlushListener = (request, tools) => {
    if (leaving) return Promise.resolve();
    const done = flush(request, tools);
    flushing = done.catch(() => {});
    return done;
  };

  return {
    async start() {
      await consumer.connect();
      await consumer.subscribe({ topics: [...options.topics], fromBeginning: true });
      running = true;
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: concurrency,
        eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
          const stillMine = () => running && isRunning() && !isStale();
          const k = key(batch.topic, batch.partition);
          const inFlight = partitionTasks.get(k) ?? new Set<Promise<void>>();
          partitionTasks.set(k, inFlight);
          const beat = setInterval(() => void heartbeat().catch(() => {}), HEARTBEAT_EVERY_MS);
          try {
            for (const m of batch.messages) {
              if (!stillMine()) return;
              const offset = BigInt(m.offset);
              const floor = floors.get(k);
              if (floor !== undefined && offset < floor) {
                resolveOffset(m.offset);
                continue;
              }
              if (oneAtATime) {
                // Nothing to share or overlap (a boxer): the message in hand, then the next.
                tracker(batch.topic, batch.partition).received(offset);
                await handleMessage(toMessage(batch, m), stillMine).catch(onHandlingBug);
                resolveOffset(m.offset);
                continue;
              }
              // In order: the partition's previous message first, even from the last batch.
              while (inFlight.size >= perPartition) {
                await Promise.race(inFlight);
                if (!stillMine()) return;
              }
              await slots.acquire();
              if (!stillMine()) {
                slots.release();
                return;
              }
              // Received only once it runs, so an offset a stop left behind is never pending.
              tracker(batch.topic, batch.partition).received(offset);
              const task: Promise<void> = handleMessage(toMessage(batch, m), stillMine)
                .then(() => {}, onHandlingBug)
                .finally(() => {
                  slots.release();
                  inFlight.delete(task);
                });
              inFlight.add(task);
              // kafkajs may fetch on: the commit, ours, still never passes a message not done.
              resolveOffset(m.offset);
            }
          } finally {
            clearInterval(beat);
          }
        },
      });
      stopListening = await options.control?.listen(groupId, onFlush);
    },
    async stop() {
      // Take no new messages, then release what is held while the partitions are still ours, so
      // it is committed now rather than redelivered to whoever gets them next.
      running = false;
      await options
        .beforeRelease?.()
        .catch((err) => log.warn('beforeRelease failed', { groupId, error: String(err) }));
      await Promise.all([...partitionTasks.values()].flatMap((tasks) => [...tasks]));
      await Promise.all([...committing.values()].map((commits) => commits.settled()));
      leaving = true;
      const left = stopListening?.();
      await flushing;
      // Leaving the control channel may wait for its long poll (when this group was the last one
      // listening) and the consumer for its fetch in flight: both at once, so stopping waits for
      // the longer of the two, not their sum.
      await Promise.all([
        left,
        (async () => {
          await consumer.stop();
          await consumer.disconnect();
        })(),
      ]);
    },
    assignment: () => assignment,
  };
}

/** The error a message is dead-lettered with after its retry budget for an unknown failure ran out. */
function giveUp(err: unknown, attempts: number, failure: Failure): LakerunnerError {
  const reason = err instanceof Error ? err.message : String(err);
  return new LakerunnerError(
    'LR_RETRIES_EXHAUSTED',
    `${failure.code} after ${attempts} attempts: ${reason}`,
    {
      cause: err,
    },
  );
}

function toMessage(
  batch: { topic: string; partition: number },
  m: {
    offset: string;
    timestamp: string;
    key: Buffer | null;
    value: Buffer | null;
    headers?: Record<string, unknown>;
  },
): ConsumedMessage {
  return {
    topic: batch.topic,
    partition: batch.partition,
    offset: BigInt(m.offset),
    timestamp: Number(m.timestamp),
    key: m.key,
    value: m.value,
    headers: normalizeHeaders(m.headers),
  };
}

/** kafkajs may hand headers over as strings or arrays; handlers always get single buffers. */
function normalizeHeaders(headers: Record<string, unknown> | undefined): RawMessage['headers'] {
  const out: RawMessage['headers'] = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    out[name] = first === undefined ? undefined : Buffer.isBuffer(first) ? first : Buffer.from(String(first));
  }
  return out;
}
