import type { Catalog } from '../catalog/catalog.js';
import { LakerunnerError } from '../errors.js';
import type { KafkaClient } from '../kafka/kafkajs.js';
import type { Logger } from '../logger.js';
import type { SignalPlugin } from '../plugin/signal-plugin.js';
import type { NotificationSource, ObjectStore } from '../storage/object-store.js';
import { PUBSUB_SERVICE, type TopicRegistry } from '../topics/registry.js';
import { createBoxer } from './boxer.js';
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
  sources: readonly NotificationSource[];
  catalog: Catalog;
  producer: MessageProducer;
  lakePrefix: string;
  routes?: readonly RouteRule[];
  log: Logger;
  workerConcurrency?: number;
  boxerFlushIntervalMs?: number;
  metrics?: RuntimeMetrics;
  /** How long replaced segments and orphan objects are kept before the sweeper deletes them. */
  sweeperGraceMs?: number;
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
    const declaration = descriptor?.stage ? plugin?.stages[descriptor.stage] : undefined;
    const missing =
      descriptor?.role === 'boxer'
        ? !declaration?.boxer
        : descriptor?.role === 'worker'
          ? !declaration?.handler
          : false;
    if (missing && plugin) {
      notRunnable.push({
        name,
        reason: `${plugin.name} provides no ${descriptor?.role === 'boxer' ? 'boxer policy' : 'handler'} for ${plugin.signal} ${descriptor?.stage}`,
      });
    } else {
      runnable.push(name);
    }
  }
  return { runnable, notRunnable };
}

/** Builds the named services (validated against the registry; order: workers, boxers, pubsub). */
export function createServices(parts: RuntimeParts, names: readonly string[]): Service[] {
  const known = new Set(serviceNames(parts.registry));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new LakerunnerError(
      'LR_CONFIG_INVALID',
      `unknown service(s) ${unknown.join(', ')}; this deployment has: ${[...known].join(', ')}`,
    );
  }
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
      if (!plugin || !declaration) throw new Error(`no plugin stage behind service ${name}`);
      if (descriptor?.role === 'boxer') {
        if (!declaration.boxer) throw notImplemented(plugin, stage, 'boxer policy');
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
        });
      }
      if (!declaration.handler) throw notImplemented(plugin, stage, 'handler');
      return createWorker({
        kafka: parts.kafka,
        registry: parts.registry,
        plugin,
        stage,
        handler: declaration.handler,
        catalog: parts.catalog,
        store: parts.store,
        producer: parts.producer,
        lakePrefix: parts.lakePrefix,
        log: parts.log,
        concurrency: parts.workerConcurrency,
        metrics: parts.metrics,
      });
    });
  return [...sweeper, ...pipeline];
}

function notImplemented(plugin: SignalPlugin, stage: string, what: string): LakerunnerError {
  return new LakerunnerError(
    'LR_PLUGIN_INVALID',
    `${plugin.name} declares the ${plugin.signal} ${stage} stage but provides no ${what}, so its services cannot run`,
  );
}
