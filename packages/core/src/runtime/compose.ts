import type { Catalog } from '../catalog/catalog.js';
import { LakerunnerError } from '../errors.js';
import { CONTROL_TOPIC_KEY } from '../kafka/control.js';
import { type ControlChannel, createControlChannel } from '../kafka/control-channel.js';
import type { KafkaClient } from '../kafka/kafkajs.js';
import type { Logger } from '../logger.js';
import type { Codec, InputLimits } from '../plugin/codec.js';
import type { SignalPlugin } from '../plugin/signal-plugin.js';
import type { NotificationSource, ObjectStore } from '../storage/object-store.js';
import { PUBSUB_SERVICE, type ServiceRole, type TopicRegistry } from '../topics/registry.js';
import { createBoxer } from './boxer.js';
import type { RuntimeEvents } from './events.js';
import type { RuntimeMetrics } from './metrics.js';
import type { MessageProducer } from './producer.js';
import { createPubsub } from './pubsub.js';
import type { RouteRule } from './routing.js';
import type { Service } from './service.js';
import { createSweeper, SWEEPER_SERVICE } from './sweeper.js';
import { createWorker } from './worker.js';

/** Everything a process needs to run any subset of the deployment's services. */
export interface RuntimeParts {
  kafka: KafkaClient;
  registry: TopicRegistry;
  plugins: readonly SignalPlugin[];
  store: ObjectStore;
  /** Stores of more buckets raw objects land in (config `inputStorage`); the lake stays in `store`. */
  inputStores?: readonly ObjectStore[];
  sources: readonly NotificationSource[];
  catalog: Catalog;
  producer: MessageProducer;
  lakePrefix: string;
  routes?: readonly RouteRule[];
  log: Logger;
  workerConcurrency?: number;
  /** Worker threads per signal (default: the machine's cores). */
  threads?: number;
  boxerFlushIntervalMs?: number;
  metrics?: RuntimeMetrics;
  /** Finished units and dead letters, for an embedding application. */
  events?: RuntimeEvents;
  /** The process's control-topic reader; by default one is made for the services built together. */
  control?: ControlChannel;
  /** How long replaced segments and orphan objects are kept before the sweeper deletes them. */
  sweeperGraceMs?: number;
  /** How often the sweeper runs (default 5 minutes). */
  sweeperIntervalMs?: number;
  /** Codecs from the config, given to the workers of the signals they serve. */
  codecs?: readonly Codec[];
  limits?: InputLimits;
  /** Backoff of retried messages, and attempts for errors of unknown kind. */
  retry?: { initialMs?: number; maxMs?: number };
  maxAttempts?: number;
  /** Called when a service's consumer stopped for good: the process should exit and be restarted. */
  onFatal?(error: unknown): void;
}

/** Every service name the deployment can run: pubsub, each boxer, each worker, the sweeper. */
export function serviceNames(registry: TopicRegistry): string[] {
  return [...registry.services.map((s) => s.name), SWEEPER_SERVICE];
}

/**
 * The services the plugins can actually run (a stage needs a boxer policy and a handler), and
 * the ones they cannot, with the reason: `run --all` starts the first and reports the second.
 */
export function runnableServices(
  registry: TopicRegistry,
  plugins: readonly SignalPlugin[],
): { runnable: string[]; notRunnable: { name: string; reason: string }[] } {
  const runnable: string[] = [];
  const notRunnable: { name: string; reason: string }[] = [];
  for (const name of serviceNames(registry)) {
    const descriptor = registry.service(name);
    const plugin = plugins.find((p) => p.signal === descriptor?.signal);
    const stage = descriptor?.stage ?? '';
    const missing = plugin && descriptor ? missingPiece(plugin, stage, descriptor.role) : undefined;
    if (plugin && missing) notRunnable.push({ name, reason: missingReason(plugin, stage, missing) });
    else runnable.push(name);
  }
  return { runnable, notRunnable };
}

/** What a plugin stage lacks to run a service in `role`; undefined when it has it. */
function missingPiece(plugin: SignalPlugin, stage: string, role: ServiceRole): string | undefined {
  const declaration = plugin.stages[stage];
  if (role === 'boxer' && !declaration?.boxer) return 'boxer policy';
  if (role === 'worker' && !declaration?.handler) return 'handler';
  return undefined;
}

function missingReason(plugin: SignalPlugin, stage: string, piece: string): string {
  return `${plugin.name} provides no ${piece} for ${plugin.signal} ${stage}`;
}

/**
 * Fails with a coded error naming the first service of `names` the deployment does not have or
 * its plugin cannot run; cheap, so a typo fails before anything is opened.
 */
export function checkServiceNames(
  registry: TopicRegistry,
  plugins: readonly SignalPlugin[],
  names: readonly string[],
): void {
  const known = new Set(serviceNames(registry));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new LakerunnerError(
      'LR_CONFIG_INVALID',
      `unknown service(s) ${unknown.join(', ')}; this deployment has: ${[...known].join(', ')}`,
    );
  }
  for (const name of names) {
    const descriptor = registry.service(name);
    const plugin = plugins.find((p) => p.signal === descriptor?.signal);
    if (!plugin || !descriptor) continue;
    const missing = missingPiece(plugin, descriptor.stage ?? '', descriptor.role);
    if (missing) {
      throw new LakerunnerError(
        'LR_PLUGIN_INVALID',
        `${missingReason(plugin, descriptor.stage ?? '', missing)}, so ${name} cannot run`,
      );
    }
  }
}

/** Builds the named services (validated against the registry; order: workers, boxers, pubsub). */
export function createServices(parts: RuntimeParts, names: readonly string[]): Service[] {
  checkServiceNames(parts.registry, parts.plugins, names);
  const control =
    parts.control ??
    createControlChannel(parts.kafka, parts.registry.systemTopic(CONTROL_TOPIC_KEY), parts.log);
  const rank = (name: string) => (name === PUBSUB_SERVICE ? 2 : name.startsWith('boxer-') ? 1 : 0);
  const selected = [...new Set(names)].filter((n) => n !== SWEEPER_SERVICE);
  const sweeper = names.includes(SWEEPER_SERVICE)
    ? [
        createSweeper({
          catalog: parts.catalog,
          store: parts.store,
          plugins: parts.plugins,
          lakePrefix: parts.lakePrefix,
          log: parts.log,
          graceMs: parts.sweeperGraceMs,
          intervalMs: parts.sweeperIntervalMs,
          registry: parts.registry,
          producer: parts.producer,
        }),
      ]
    : [];
  const pipeline = selected
    .sort((a, b) => rank(a) - rank(b))
    .map((name): Service => {
      if (name === PUBSUB_SERVICE) {
        return createPubsub({
          registry: parts.registry,
          plugins: parts.plugins,
          sources: parts.sources,
          producer: parts.producer,
          lakePrefix: parts.lakePrefix,
          routes: parts.routes,
          log: parts.log,
          metrics: parts.metrics,
        });
      }
      const descriptor = parts.registry.service(name);
      const plugin = parts.plugins.find((p) => p.signal === descriptor?.signal);
      const stage = descriptor?.stage ?? '';
      const declaration = plugin?.stages[stage];
      if (!plugin || !declaration || !descriptor) throw new Error(`no plugin stage behind service ${name}`);
      if (descriptor.role === 'boxer' && declaration.boxer) {
        return createBoxer({
          kafka: parts.kafka,
          registry: parts.registry,
          signal: plugin.signal,
          stage,
          policy: declaration.boxer,
          producer: parts.producer,
          log: parts.log,
          flushIntervalMs: parts.boxerFlushIntervalMs,
          metrics: parts.metrics,
          retry: parts.retry,
          maxAttempts: parts.maxAttempts,
          onFatal: parts.onFatal,
          events: parts.events,
          control,
        });
      }
      if (!declaration.handler) throw new Error(`no handler behind service ${name}`);
      return createWorker({
        kafka: parts.kafka,
        registry: parts.registry,
        plugin,
        stage,
        handler: declaration.handler,
        catalog: parts.catalog,
        store: parts.store,
        inputStores: parts.inputStores,
        producer: parts.producer,
        lakePrefix: parts.lakePrefix,
        log: parts.log,
        concurrency: parts.workerConcurrency,
        threads: parts.threads,
        metrics: parts.metrics,
        codecs: parts.codecs,
        limits: parts.limits,
        retry: parts.retry,
        maxAttempts: parts.maxAttempts,
        onFatal: parts.onFatal,
        events: parts.events,
        control,
      });
    });
  return [...sweeper, ...pipeline];
}
