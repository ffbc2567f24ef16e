import { setTimeout as sleep } from 'node:timers/promises';
import { LakerunnerError } from '../errors.js';
import { type ConsumedMessage, type ConsumerRunner, createConsumerRunner } from '../kafka/consumer-runner.js';
import type { ControlChannel } from '../kafka/control-channel.js';
import type { KafkaClient } from '../kafka/kafkajs.js';
import { type Logger, silentLogger } from '../logger.js';
import { decodeMessage, encodeMessage } from '../messages/decode.js';
import { objectNotificationSchema } from '../messages/object-notification.js';
import { segmentNotificationSchema } from '../messages/segment-notification.js';
import { inputIdentity, makeWorkUnit, type WorkInput, type WorkUnit } from '../messages/work-unit.js';
import type { BoxerInput, BoxerPolicy } from '../plugin/boxer-policy.js';
import { DEADLETTER_TOPIC_KEY, type TopicRegistry } from '../topics/registry.js';
import { coalescing } from '../util/coalescing.js';
import { deadLetterPublisher } from './dead-letter.js';
import type { RuntimeEvents } from './events.js';
import type { RuntimeMetrics } from './metrics.js';
import type { MessageProducer } from './producer.js';
import type { Service } from './service.js';

/**
 * A boxer: reads one stage's input notifications and groups them into work units by the stage's
 * policy. Every input stays outstanding (its partition is not committed past it) until the unit
 * holding it was acknowledged by Kafka, so a crash loses nothing: whatever was in an open group
 * is redelivered and grouped again. Open groups are emitted before a rebalance and on stop.
 */
export interface BoxerOptions {
  kafka: KafkaClient;
  registry: TopicRegistry;
  signal: string;
  stage: string;
  policy: BoxerPolicy;
  producer: MessageProducer;
  log?: Logger;
  /** Least time between two passes over aged groups (default 100 ms); each group is emitted once its maxAgeMs is up. */
  flushIntervalMs?: number;
  retry?: { initialMs?: number; maxMs?: number };
  maxAttempts?: number;
  /** Called when the service's consumer stopped for good. */
  onFatal?(error: unknown): void;
  metrics?: RuntimeMetrics;
  events?: RuntimeEvents;
  /** The process's control-topic reader, for live flushes. */
  control?: ControlChannel;
}

interface OpenGroup {
  key: string;
  org: string;
  openedAt: number;
  weight: number;
  members: Map<string, { input: WorkInput; acks: (() => void)[] }>;
}

export function createBoxer(options: BoxerOptions): Service {
  const { registry, signal, stage, policy, producer } = options;
  const log = options.log ?? silentLogger;
  const source = registry.bindings.find(
    (b) => b.signal === signal && b.stage === stage && (b.kind === 'objstore' || b.kind === 'boxer'),
  );
  const target = registry.bindings.find(
    (b) => b.signal === signal && b.stage === stage && b.kind === 'segments',
  );
  if (!source || !target) throw new Error(`the registry has no ${stage} stage for signal ${signal}`);
  const workTopic = target.topic;
  const name = source.reader;
  const deadLetterTopic = registry.systemTopic(DEADLETTER_TOPIC_KEY);
  const schema = source.kind === 'objstore' ? objectNotificationSchema : segmentNotificationSchema;
  const groups = new Map<string, OpenGroup>();
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  /** When the timer fires (Infinity: no timer), and when the last pass over aged groups ran. */
  let timerAt = Number.POSITIVE_INFINITY;
  let lastPass = 0;
  const minPassGapMs = options.flushIntervalMs ?? 100;

  /**
   * Sets the one timer to the oldest open group's deadline, so each group is emitted when its
   * maxAgeMs is up (and no sooner than minPassGapMs after the last pass), and a boxer with no
   * open group wakes for nothing. Groups are kept in the order they opened, so the first is the
   * oldest.
   */
  function scheduleFlush() {
    const oldest = groups.values().next().value as OpenGroup | undefined;
    const at =
      oldest && !stopping
        ? Math.max(oldest.openedAt + policy.maxAgeMs, lastPass + minPassGapMs)
        : Number.POSITIVE_INFINITY;
    if (at === timerAt) return;
    clearTimeout(timer);
    timerAt = at;
    if (at === Number.POSITIVE_INFINITY) return;
    timer = setTimeout(
      () => {
        timerAt = Number.POSITIVE_INFINITY;
        lastPass = Date.now();
        void flushAged(false)
          .catch((err) => log.error('flushing aged groups failed', { service: name, error: String(err) }))
          .finally(scheduleFlush);
      },
      Math.max(0, at - Date.now()),
    );
  }

  /** Units waiting to be sent; one send at a time, and what fills meanwhile goes next, together. */
  const outgoing: { unit: WorkUnit; group: OpenGroup }[] = [];
  const sender = coalescing(() =>
    sendOutgoing().catch((err) =>
      log.error('emitting work units failed', { service: name, error: String(err) }),
    ),
  );

  /**
   * Closes the group and queues its work unit; resolves once it is in Kafka, when the group's
   * inputs are acknowledged. Units closed while a send is in flight go in the next send, so a
   * backlog is emitted in a few large requests instead of a request per unit.
   */
  function emit(group: OpenGroup): Promise<void> {
    // An input emitted alone shares its key with the open group: that group stays open.
    if (groups.get(group.key) === group) groups.delete(group.key);
    const unit = makeWorkUnit({
      org: group.org,
      signal,
      stage,
      groupKey: group.key,
      inputs: [...group.members.values()].map((m) => m.input),
    });
    outgoing.push({ unit, group });
    return sender.request();
  }

  async function sendOutgoing() {
    while (outgoing.length > 0) {
      const batch = outgoing.splice(0);
      if (!(await sendWithRetry(batch.map((b) => b.unit)))) return;
      for (const { unit, group } of batch) {
        options.metrics?.unitsEmitted.inc({ service: name });
        log.info('emitted work unit', {
          service: name,
          unit: unit.id,
          inputs: unit.inputs.length,
          weight: group.weight,
        });
        for (const member of group.members.values()) for (const ack of member.acks) ack();
      }
    }
  }

  /** False when it gave up while stopping: the inputs stay unacknowledged and come back. */
  async function sendWithRetry(units: readonly WorkUnit[]): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      try {
        await producer.send(
          workTopic,
          units.map((unit) => ({ key: unit.groupKey, value: encodeMessage(unit) })),
        );
        return true;
      } catch (err) {
        if (stopping && attempt > 2) {
          log.warn('giving up emitting work units while stopping', {
            service: name,
            units: units.length,
            error: String(err),
          });
          outgoing.length = 0;
          return false;
        }
        const delay = Math.min(
          options.retry?.maxMs ?? 10_000,
          (options.retry?.initialMs ?? 200) * 2 ** attempt,
        );
        log.warn('emitting work units failed; retrying', {
          service: name,
          units: units.length,
          delayMs: delay,
          error: String(err),
        });
        await sleep(delay);
      }
    }
  }

  function drop(group: OpenGroup) {
    if (groups.get(group.key) === group) groups.delete(group.key);
    for (const member of group.members.values()) for (const ack of member.acks) ack();
  }

  async function flushAged(all: boolean) {
    const now = Date.now();
    for (const group of [...groups.values()]) {
      const aged = now - group.openedAt >= policy.maxAgeMs;
      if (!all && !aged) continue;
      if (group.members.size >= (policy.minInputs ?? 1)) void emit(group);
      else if (aged) drop(group);
      // Too small and not aged while releasing: left unacknowledged, redelivered later.
    }
    // Everything closed so far (also by messages before this) is in Kafka when this resolves.
    await sender.settled();
  }

  async function handle(message: ConsumedMessage, context: { defer(): () => void }) {
    const input = decodeMessage(schema, message.value, `${name} input`) as BoxerInput;
    if (input.signal !== signal) {
      throw new LakerunnerError(
        'LR_MESSAGE_INVALID',
        `${name} input: signal "${input.signal}" is not "${signal}"`,
      );
    }
    if (policy.accepts && !policy.accepts(input)) return;
    const ack = context.defer();
    const workInput = toWorkInput(input);
    const key = policy.groupKey(input);
    if (policy.emitAlone?.(input)) {
      const alone: OpenGroup = {
        key,
        org: input.org,
        openedAt: Date.now(),
        weight: policy.weight(input),
        members: new Map([[inputIdentity(workInput), { input: workInput, acks: [ack] }]]),
      };
      void emit(alone);
      return;
    }
    let group = groups.get(key);
    if (!group) {
      group = { key, org: input.org, openedAt: Date.now(), weight: 0, members: new Map() };
      groups.set(key, group);
      scheduleFlush();
    }
    const identity = inputIdentity(workInput);
    const existing = group.members.get(identity);
    if (existing) existing.acks.push(ack);
    else {
      group.members.set(identity, { input: workInput, acks: [ack] });
      group.weight += policy.weight(input);
    }
    // Not awaited: the inputs are acknowledged once the unit is sent, and the next message need
    // not wait for that.
    if (group.weight >= policy.targetWeight || group.members.size >= policy.maxInputs) void emit(group);
  }

  const runner: ConsumerRunner = createConsumerRunner({
    kafka: options.kafka,
    groupId: source.consumerGroup,
    topics: [source.topic],
    control: options.control,
    memberLabel: name,
    log,
    retry: options.retry,
    maxAttempts: options.maxAttempts,
    onRetry: (failure) => options.metrics?.retries.inc({ service: name, code: failure.code }),
    onFatal: options.onFatal,
    handle,
    onPermanentFailure: deadLetterPublisher({
      service: name,
      what: 'an input notification',
      topic: deadLetterTopic,
      producer,
      log,
      metrics: options.metrics,
      events: options.events,
    }),
    beforeRelease: () => flushAged(true),
  });

  return {
    name,
    async start() {
      await runner.start();
      scheduleFlush();
    },
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await runner.stop();
    },
    assignment: () => runner.assignment(),
  };
}

function toWorkInput(input: BoxerInput): WorkInput {
  if (input.type === 'object') {
    return {
      kind: 'object',
      bucket: input.bucket,
      key: input.key,
      size: input.size,
      version: input.version,
      ...(input.collector ? { collector: input.collector } : {}),
    };
  }
  return {
    kind: 'segment',
    segmentId: input.segmentId,
    objectKey: input.objectKey,
    dateint: input.dateint,
    frequencyMs: input.frequencyMs,
    records: input.records,
    bytes: input.bytes,
    minTs: input.minTs,
    maxTs: input.maxTs,
  };
}
