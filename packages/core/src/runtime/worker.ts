import { availableParallelism } from 'node:os';
import type { Catalog, NewSegment, OutboxEntry, OutboxRow } from '../catalog/catalog.js';
import { LakerunnerError } from '../errors.js';
import { type ConsumedMessage, createConsumerRunner } from '../kafka/consumer-runner.js';
import type { ControlChannel } from '../kafka/control-channel.js';
import type { KafkaClient } from '../kafka/kafkajs.js';
import { type Logger, silentLogger } from '../logger.js';
import { decodeMessage, encodeMessage } from '../messages/decode.js';
import { objectIdentity } from '../messages/object-notification.js';
import { segmentNotification } from '../messages/segment-notification.js';
import { inputIdentity, makeWorkUnit, type WorkUnit, workUnitSchema } from '../messages/work-unit.js';
import { type Codec, DEFAULT_INPUT_LIMITS, type InputLimits } from '../plugin/codec.js';
import type { SignalPlugin } from '../plugin/signal-plugin.js';
import type { StageHandler } from '../plugin/stage-handler.js';
import type { ObjectStore } from '../storage/object-store.js';
import { DEADLETTER_TOPIC_KEY, type TopicRegistry } from '../topics/registry.js';
import { groupBy } from '../util/group-by.js';
import { deadLetterFor, deadLetterPublisher } from './dead-letter.js';
import { emitSafely, type RuntimeEvents, type UnitDoneEvent } from './events.js';
import type { RuntimeMetrics } from './metrics.js';
import type { MessageProducer } from './producer.js';
import type { Service } from './service.js';

/**
 * A worker: runs one stage's handler for each work unit, exactly once in effect.
 *
 *   1. a unit the catalog already has is not run again; its outbox is (re)published
 *   2. inputs another unit consumed meanwhile are left out
 *   3. the handler writes outputs named after the unit id (a retry overwrites, never adds)
 *   4. one catalog transaction registers outputs, consumes inputs (guarded), queues follow-ups
 *      and dead-letter records in the outbox
 *   5. the outbox rows the commit returned are published; only then is the offset committed
 *
 * That is three catalog round trips per unit: where it stands, the commit, the publish mark.
 *
 * A crash between any two steps is repaired by the redelivery of the same unit.
 */
export interface WorkerOptions {
  kafka: KafkaClient;
  registry: TopicRegistry;
  plugin: SignalPlugin;
  stage: string;
  handler: StageHandler;
  catalog: Catalog;
  store: ObjectStore;
  /** Stores of more buckets raw objects land in (config `inputStorage`). */
  inputStores?: readonly ObjectStore[];
  producer: MessageProducer;
  lakePrefix: string;
  log?: Logger;
  /** Units processed at once, from one partition or several (default 1). */
  concurrency?: number;
  retry?: { initialMs?: number; maxMs?: number };
  /** Attempts for an error of unknown kind before the unit counts as failed for good. */
  maxAttempts?: number;
  /** Called when the service's consumer stopped for good. */
  onFatal?(error: unknown): void;
  metrics?: RuntimeMetrics;
  /** Where finished units and dead letters are announced to an embedding application. */
  events?: RuntimeEvents;
  /** The process's control-topic reader, for live flushes. */
  control?: ControlChannel;
  /** Codecs from the config; those serving this worker's signal reach its handler. */
  codecs?: readonly Codec[];
  limits?: InputLimits;
  /** Worker threads per signal (default: the machine's cores). */
  threads?: number;
}

export function createWorker(options: WorkerOptions): Service {
  const { registry, plugin, stage, catalog, producer } = options;
  const log = options.log ?? silentLogger;
  const signal = plugin.signal;
  const source = registry.bindings.find(
    (b) => b.signal === signal && b.stage === stage && b.kind === 'segments',
  );
  if (!source) throw new Error(`the registry has no ${stage} stage for signal ${signal}`);
  const name = source.reader;
  const deadLetterTopic = registry.systemTopic(DEADLETTER_TOPIC_KEY);
  const declaration = plugin.stages[stage];
  const fedStages = declaration?.feeds ?? [];
  const codecs = (options.codecs ?? []).filter((c) => c.signals.includes(signal));
  const emitError = (error: unknown) =>
    log.error('an event listener threw', { service: name, error: String(error) });
  const unitDone = (
    unit: WorkUnit,
    outcome: string,
    started: number,
    counts: Partial<Pick<UnitDoneEvent, 'inputs' | 'segments' | 'records' | 'failures'>> = {},
  ) =>
    emitSafely(
      options.events,
      'unit-done',
      {
        service: name,
        signal,
        stage,
        org: unit.org,
        unitId: unit.id,
        outcome,
        inputs: counts.inputs ?? 0,
        segments: counts.segments ?? 0,
        records: counts.records ?? 0,
        failures: counts.failures ?? 0,
        ms: Date.now() - started,
      },
      emitError,
    );

  /** Publishes a unit's outbox rows, then marks them published (a crash between repeats them). */
  async function publish(rows: readonly OutboxRow[]) {
    for (const [topic, batch] of groupBy(rows, (row) => row.topic)) {
      await producer.send(
        topic,
        batch.map((r) => ({ key: r.key, value: r.value })),
      );
    }
    await catalog.markPublished(rows.map((r) => r.id));
  }

  /** The stages an output is fed to: the declaration's choice for it, within `feeds`. */
  function fedTo(output: NewSegment): string[] {
    const chosen = declaration?.feedsFor ? declaration.feedsFor(output) : fedStages;
    return fedStages.filter((f) => chosen.includes(f) && registry.find(`boxer.${signal}.${f}`));
  }

  /** One notification per output and stage that reads it (`readers`, from `fedTo`). */
  function followUps(
    unit: WorkUnit,
    outputs: readonly (NewSegment & { readers: string[] })[],
  ): OutboxEntry[] {
    const entries: OutboxEntry[] = [];
    for (const s of outputs) {
      for (const fed of s.readers) {
        const binding = registry.find(`boxer.${signal}.${fed}`);
        const policy = plugin.stages[fed]?.boxer;
        if (!binding) continue;
        const notification = segmentNotification(signal, fed, s);
        entries.push({
          topic: binding.topic,
          key: policy ? policy.groupKey(notification) : unit.org,
          value: JSON.stringify(notification),
        });
      }
    }
    return entries;
  }

  async function handle(message: ConsumedMessage) {
    const unit = decodeMessage(workUnitSchema, message.value, `${name} work unit`);
    if (unit.signal !== signal || unit.stage !== stage) {
      throw new LakerunnerError(
        'LR_MESSAGE_INVALID',
        `${name}: a ${unit.signal} ${unit.stage} unit does not belong here`,
      );
    }
    const started = Date.now();
    const progress = await catalog.unitProgress(unit.id, unit.inputs.map(inputIdentity), stage);
    if (progress.done) {
      await publish(await catalog.pendingOutbox(unit.id));
      options.metrics?.workUnits.inc({ service: name, outcome: 'already-done' });
      unitDone(unit, 'already-done', started);
      return;
    }
    const inputs = unit.inputs.filter((i) => !progress.consumed.has(inputIdentity(i)));
    if (inputs.length === 0) {
      log.info('every input of the unit was consumed by another unit', { service: name, unit: unit.id });
      options.metrics?.workUnits.inc({ service: name, outcome: 'nothing-left' });
      unitDone(unit, 'nothing-left', started);
      return;
    }
    // A merging stage's unit that other units left one input of would only rewrite that segment
    // as it is; it stays live, and a later group (or the sweeper's offer) merges it.
    if (inputs.length < unit.inputs.length && inputs.length < (declaration?.boxer?.minInputs ?? 1)) {
      log.info('other units consumed most of the unit; the rest is left for a later one', {
        service: name,
        unit: unit.id,
        left: inputs.length,
      });
      options.metrics?.workUnits.inc({ service: name, outcome: 'too-few-left' });
      unitDone(unit, 'too-few-left', started);
      return;
    }
    const result = await options.handler({
      unit,
      inputs,
      store: options.store,
      storeFor: (bucket) => storeFor(bucket, options.store, options.inputStores ?? []),
      lakePrefix: options.lakePrefix,
      log,
      codecs,
      limits: options.limits ?? DEFAULT_INPUT_LIMITS,
      threads: options.threads ?? availableParallelism(),
    });
    const deadLetters: OutboxEntry[] = result.failures.map((f) => ({
      topic: deadLetterTopic,
      key: unit.id,
      value: JSON.stringify({
        ...deadLetterFor(message, f.reason, name, { ...f.input }),
        code: f.code,
        ...(f.records ? { records: f.records, rejectedRecords: f.rejectedRecords ?? f.records.length } : {}),
        ...(f.ingestedRecords !== undefined ? { ingestedRecords: f.ingestedRecords } : {}),
      }),
    }));
    const objects = inputs.filter((i) => i.kind === 'object');
    const segments = inputs.filter((i) => i.kind === 'segment');
    const outputs = result.outputs.map((s) => ({ ...s, readers: fedTo(s) }));
    const { outcome, outbox } = await catalog.commitWorkUnit({
      workUnitId: unit.id,
      org: unit.org,
      signal,
      stage,
      outputs,
      ingestedObjects: objects.map((o) => ({
        identity: objectIdentity(o),
        bucket: o.bucket,
        key: o.key,
        version: o.version,
      })),
      ...(segments.length > 0
        ? {
            consumedSegments: {
              ids: segments.map((s) => s.segmentId),
              stage,
              replace: (declaration?.consumes ?? 'replace') === 'replace',
            },
          }
        : {}),
      outbox: [...followUps(unit, outputs), ...deadLetters],
      failures: result.failures.map((f) => ({
        input: inputIdentity(f.input),
        code: f.code,
        reason: f.reason,
        // Only an input none of whose records reached the lake may be ingested again.
        whole: f.ingestedRecords === 0,
      })),
    });
    await publish(outbox);
    options.metrics?.workUnits.inc({ service: name, outcome });
    const records = result.outputs.reduce((n, s) => n + s.records, 0);
    options.metrics?.records.inc({ service: name }, records);
    for (const f of result.failures) {
      options.metrics?.deadLetters.inc({ service: name, code: f.code });
      emitSafely(
        options.events,
        'dead-letter',
        { service: name, code: f.code, reason: f.reason, input: { ...f.input } },
        emitError,
      );
    }
    log.info('work unit done', {
      service: name,
      unit: unit.id,
      outcome,
      inputs: inputs.length,
      outputs: result.outputs.length,
      failures: result.failures.length,
      records,
      ms: Date.now() - started,
    });
    unitDone(unit, outcome, started, {
      inputs: inputs.length,
      segments: result.outputs.length,
      records,
      failures: result.failures.length,
    });
  }

  const deadLetter = deadLetterPublisher({
    service: name,
    what: 'a work unit message',
    topic: deadLetterTopic,
    producer,
    log,
    metrics: options.metrics,
    events: options.events,
  });

  /**
   * A unit of several inputs that fails for good is split into one unit per input, published
   * back to this stage: the input at fault then fails alone (and is dead-lettered alone), and
   * the others go through. Split units have ids of their own, so a replay of the split is harmless.
   */
  async function onPermanentFailure(message: ConsumedMessage, error: unknown) {
    let unit: WorkUnit | undefined;
    try {
      unit = decodeMessage(workUnitSchema, message.value, `${name} work unit`);
    } catch {
      unit = undefined;
    }
    if (!unit || unit.inputs.length < 2) return deadLetter(message, error);
    const { org, groupKey } = unit;
    const singles = unit.inputs.map((input) =>
      makeWorkUnit({ org, signal, stage, groupKey, inputs: [input] }),
    );
    await producer.send(
      source?.topic as string,
      singles.map((u) => ({ key: groupKey, value: encodeMessage(u) })),
    );
    log.warn('a work unit failed for good; its inputs are retried one by one', {
      service: name,
      unit: unit.id,
      inputs: unit.inputs.length,
      error: error instanceof Error ? error.message : String(error),
    });
  }

  const runner = createConsumerRunner({
    kafka: options.kafka,
    groupId: source.consumerGroup,
    topics: [source.topic],
    control: options.control,
    memberLabel: name,
    concurrency: options.concurrency ?? 1,
    // Units are independent of each other's order: a partition's backlog keeps every slot busy.
    ordered: false,
    log,
    retry: options.retry,
    maxAttempts: options.maxAttempts,
    onRetry: (failure) => options.metrics?.retries.inc({ service: name, code: failure.code }),
    onFatal: options.onFatal,
    handle,
    onPermanentFailure,
  });

  return {
    name,
    start: () => runner.start(),
    stop: () => runner.stop(),
    assignment: () => runner.assignment(),
  };
}

/** The store serving `bucket`: the lake's, or one of the input stores. */
function storeFor(bucket: string, lake: ObjectStore, inputs: readonly ObjectStore[]): ObjectStore {
  if (lake.bucket === bucket) return lake;
  const store = inputs.find((s) => s.bucket === bucket);
  if (store) return store;
  // An input naming another bucket: the lake's store is where single-store deployments (whose
  // notifications came from before the store was renamed) find it, and it says "not found" if not.
  if (inputs.length === 0) return lake;
  throw new LakerunnerError(
    'LR_STORAGE_NOT_FOUND',
    `no store of this deployment serves bucket ${bucket} (stores: ${[lake, ...inputs].map((s) => s.bucket).join(', ')})`,
  );
}
