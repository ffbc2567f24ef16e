import { setTimeout as sleep } from 'node:timers/promises';
import type { Catalog } from '../catalog/catalog.js';
import { jsonLogger } from '../cli/json-logger.js';
import { parseConfig } from '../config/load.js';
import type { LakerunnerConfig } from '../config/schema.js';
import { LakerunnerError } from '../errors.js';
import { createKafkaClient } from '../kafka/client.js';
import { CONTROL_TOPIC_KEY } from '../kafka/control.js';
import { createControlChannel } from '../kafka/control-channel.js';
import { syncTopics, type TopicSyncResult } from '../kafka/topic-sync.js';
import { requireTopics } from '../kafka/topics-present.js';
import type { Logger } from '../logger.js';
import type { Codec } from '../plugin/codec.js';
import { registerCodecs, registerSignalPlugins } from '../plugin/register.js';
import type { SignalPlugin } from '../plugin/signal-plugin.js';
import { checkServiceNames, createServices, runnableServices } from '../runtime/compose.js';
import { createRuntimeEvents, type RuntimeEventMap, type RuntimeEvents } from '../runtime/events.js';
import { createHealthCheck, type HealthReport } from '../runtime/health-check.js';
import { type HealthServer, startHealthServer } from '../runtime/health-server.js';
import { createRuntimeMetrics, type RuntimeMetrics } from '../runtime/metrics.js';
import { createMessageProducer } from '../runtime/producer.js';
import type { Service } from '../runtime/service.js';
import type { NotificationSource, ObjectStore } from '../storage/object-store.js';
import { createWebhookSource } from '../storage/webhook-source.js';
import { buildTopicRegistry, type TopicRegistry } from '../topics/registry.js';
import { desiredTopics, readTopicOverrides } from '../topics/settings.js';
import { raceDeadline } from '../util/deadline.js';
import type { LakerunnerOptions, StoragePart } from './options.js';
import { resolveCatalog, resolveCodecs, resolvePlugins, resolveStorage } from './resolve-parts.js';

/** A composed deployment: its parts, its services, and their lifecycle. */
export interface Lakerunner {
  readonly config: LakerunnerConfig;
  readonly registry: TopicRegistry;
  readonly plugins: readonly SignalPlugin[];
  readonly codecs: readonly Codec[];
  /** The bucket the lake lives in. */
  readonly store: ObjectStore;
  readonly catalog: Catalog;
  readonly services: readonly Service[];
  /** Services `'all'` left out because their plugin cannot run them, with the reason. */
  readonly skipped: readonly { name: string; reason: string }[];
  readonly metrics: RuntimeMetrics;
  /** Finished work units and dead letters, as they happen. */
  on<K extends keyof RuntimeEventMap>(event: K, listener: (...args: RuntimeEventMap[K]) => void): () => void;
  /**
   * Creates the deployment's missing topics, as `lakerunner topics sync` does (settings from
   * config.kafkaTopics and its overridesFile); existing topics are reported, never changed.
   */
  syncTopics(options?: { dryRun?: boolean }): Promise<TopicSyncResult[]>;
  /** Checks the topics exist, starts every service (and the health server if runtime.healthPort is set). */
  start(): Promise<void>;
  /**
   * Stops the services (each finishes or releases its work in hand, commits, leaves its group)
   * and closes the connections. Past `deadlineMs` (default runtime.stopTimeoutMs) it rejects with
   * LR_STOP_TIMEOUT: the work still in hand was not committed and is redelivered.
   */
  stop(options?: { deadlineMs?: number }): Promise<void>;
  /** Every service started and Kafka, the catalog and the store answered (cached for 2 s). */
  health(): Promise<HealthReport>;
  /** The health server's port once started, when runtime.healthPort is set. */
  healthPort(): number | undefined;
}

/**
 * Composes a deployment in one call: resolves the parts, opens the store and the catalog (and
 * migrates it), connects one Kafka producer, and builds the services, sharing one Kafka client,
 * admin client, producer and control-topic reader among them. A wrong combination (an unknown
 * service, a service its plugin cannot run, two plugins for one signal, a bad option) fails here
 * with an LR_ error naming the part, and what was opened is closed again. Parts handed in as
 * objects (a store, a catalog) stay the caller's: `stop()` closes only what it opened.
 */
export async function createLakerunner<
  S extends object = Record<string, unknown>,
  C extends object = Record<string, unknown>,
>(options: LakerunnerOptions<S, C> = {}): Promise<Lakerunner> {
  const config = parseConfig({
    ...options.config,
    ...(options.kafka ? { kafka: options.kafka } : {}),
    ...(options.topicPrefix
      ? { kafkaTopics: { ...options.config?.kafkaTopics, topicPrefix: options.topicPrefix } }
      : {}),
  });
  const baseDir = options.baseDir ?? process.cwd();
  const log: Logger = options.log ?? jsonLogger('warn');
  const step = (what: string) => options.onStep?.(what);
  const metrics = options.metrics ?? createRuntimeMetrics();
  const events: RuntimeEvents = createRuntimeEvents();
  const closers: (() => Promise<unknown>)[] = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => {});
  };

  try {
    const plugins = registerSignalPlugins(await resolvePlugins(options.plugins ?? config.plugins, baseDir));
    const codecs = registerCodecs(await resolveCodecs(options.codecs ?? config.codecs, baseDir), plugins);
    const registry = buildTopicRegistry(plugins, config.kafkaTopics.topicPrefix);
    const { runnable, notRunnable } = runnableServices(registry, plugins);
    const wanted = !options.services || options.services === 'all' ? runnable : [...options.services];
    for (const s of options.services === undefined || options.services === 'all' ? notRunnable : []) {
      log.warn('not starting a service its plugin cannot run', { service: s.name, reason: s.reason });
    }
    checkServiceNames(registry, plugins, wanted);

    step('the store and the catalog');
    const context = { log, metrics, lakePrefix: config.lakePrefix };
    const lake = await resolveStorage(
      (options.storage ?? config.storage) as StoragePart<object>,
      baseDir,
      context,
    );
    const store = lake.store;
    if (lake.owned) closers.push(async () => store.close?.());
    const inputStores: ObjectStore[] = [];
    const sources: NotificationSource[] = [...lake.sources];
    for (const part of options.inputStorage ?? config.inputStorage) {
      const created = await resolveStorage(part, baseDir, context);
      if (created.owned) closers.push(async () => created.store.close?.());
      inputStores.push(created.store);
      sources.push(...created.sources);
    }
    sources.push(...(options.sources ?? []));
    if (config.pubsub.webhook) sources.push(createWebhookSource({ ...config.pubsub.webhook, store, log }));
    const resolved = await resolveCatalog(options.catalog ?? config.catalog, baseDir);
    const catalog = resolved.catalog;
    if (resolved.owned) closers.push(() => catalog.close());
    await catalog.migrate();

    step('Kafka');
    const kafka = createKafkaClient(config.kafka, { retries: 8 });
    const producer = await createMessageProducer(kafka);
    closers.push(() => producer.close());
    const admin = kafka.admin();
    closers.push(() => admin.disconnect());
    let fatal: unknown;
    const runtime = config.runtime;
    const services = createServices(
      {
        kafka,
        registry,
        plugins,
        store,
        inputStores,
        sources,
        catalog,
        producer,
        control: createControlChannel(kafka, registry.systemTopic(CONTROL_TOPIC_KEY), log, {
          maxWaitMs: config.kafka.fetchMaxWaitMs,
        }),
        lakePrefix: config.lakePrefix,
        routes: config.pubsub.routes,
        log,
        workerConcurrency: runtime.workerConcurrency,
        threads: runtime.threads,
        boxerFlushIntervalMs: runtime.boxerFlushIntervalMs,
        sweeperGraceMs: runtime.sweeperGraceMs,
        sweeperIntervalMs: runtime.sweeperIntervalMs,
        metrics,
        events,
        codecs,
        limits: config.limits,
        retry: { initialMs: runtime.retryInitialMs, maxMs: runtime.retryMaxMs },
        maxAttempts: runtime.maxAttempts,
        onFatal: (error) => {
          fatal ??= error;
          if (options.onFatal) options.onFatal(error);
          else
            log.error('a service stopped consuming for good; restart the process', { error: String(error) });
        },
      },
      wanted,
    );

    const started: Service[] = [];
    let starting: Promise<void> | undefined;
    let stopping: Promise<void> | undefined;
    let server: HealthServer | undefined;
    const stopped = () =>
      new LakerunnerError('LR_STARTUP_FAILED', 'this deployment was stopped; create a new one');
    const health = createHealthCheck({
      ready: () => started.length === services.length && stopping === undefined && fatal === undefined,
      probes: {
        kafka: async () => {
          // After stop() the admin client stays closed: reconnecting it would leak it.
          if (stopping) throw new Error('stopped');
          await admin.connect();
          await admin.describeCluster();
        },
        catalog: () => catalog.isWorkUnitDone('lakerunner-health-probe'),
        storage: () => store.head('.lakerunner-health-probe'),
      },
    });

    /** Starts what is not started yet; stops at once what comes up after a stop() began. */
    const startAll = async () => {
      step('the topics');
      await admin.connect();
      await requireTopics(admin, services, registry);
      if (runtime.healthPort !== undefined && !server && !stopping) {
        step('the health server');
        server = await startHealthServer({
          port: runtime.healthPort,
          host: runtime.healthHost,
          registry: metrics.registry,
          health,
        });
        log.info('health endpoints listening', { host: runtime.healthHost, port: server.port() });
      }
      for (const s of services) {
        if (stopping) return;
        if (started.includes(s)) continue;
        step(`service ${s.name}`);
        try {
          await s.start();
        } catch (err) {
          // It may have joined its group before failing: leave no half-started consumer behind.
          await s.stop().catch(() => {});
          throw err;
        }
        started.push(s);
        log.info('service started', { service: s.name });
      }
    };

    const stopAll = async () => {
      // Start-up in progress finishes its step first (bounded by the caller's deadline), so
      // nothing it brings up is missed below.
      await starting?.catch(() => {});
      await server?.close();
      // All at once: each waits for its consumer's fetch in flight (up to kafka.fetchMaxWaitMs),
      // and none needs another to stop first (what a boxer emits on stop waits in Kafka).
      await Promise.all(
        started
          .splice(0)
          .map((s) =>
            s
              .stop()
              .catch((err) =>
                log.error('stopping a service failed', { service: s.name, error: String(err) }),
              ),
          ),
      );
      await closeAll();
    };

    return {
      config,
      registry,
      plugins,
      codecs,
      store,
      catalog,
      services,
      skipped: options.services === undefined || options.services === 'all' ? notRunnable : [],
      metrics,
      on(event, listener) {
        // The emitter's own listener type is a conditional one TS cannot match to K here.
        const on = events.on.bind(events) as (e: typeof event, l: typeof listener) => void;
        const off = events.off.bind(events) as (e: typeof event, l: typeof listener) => void;
        on(event, listener);
        return () => off(event, listener);
      },
      async syncTopics({ dryRun = false } = {}) {
        if (stopping) throw stopped();
        await admin.connect();
        const file = config.kafkaTopics.overridesFile;
        const overrides = file ? await readTopicOverrides(file, baseDir) : {};
        const { brokers } = await admin.describeCluster();
        return syncTopics(admin, desiredTopics(registry, config.kafkaTopics, overrides, brokers.length), {
          dryRun,
        });
      },
      async start() {
        if (stopping) throw stopped();
        // A start() while one runs joins it; after a failed one, the next tries again.
        starting ??= startAll().finally(() => {
          starting = undefined;
        });
        await starting;
        if (stopping) throw stopped();
      },
      stop({ deadlineMs = runtime.stopTimeoutMs } = {}) {
        stopping ??= stopAll();
        return raceDeadline(
          stopping,
          deadlineMs,
          () =>
            new LakerunnerError(
              'LR_STOP_TIMEOUT',
              `stopping did not finish in ${deadlineMs} ms; the work in hand was not committed and is redelivered`,
            ),
        );
      },
      health,
      healthPort: () => server?.port(),
    };
  } catch (err) {
    // Nothing half-open is left behind: the caller gets the error and no connections.
    await Promise.race([closeAll(), sleep(10_000, undefined, { ref: false })]);
    throw err;
  }
}
