import { setTimeout as sleep } from 'node:timers/promises';
import { type Command, InvalidArgumentError } from 'commander';
import { createKafkaClient } from '../../kafka/client.js';
import { requireTopics } from '../../kafka/topics-present.js';
import { isCatalogAdapter, isStorageAdapter } from '../../plugin/adapters.js';
import { loadDefinition } from '../../plugin/load.js';
import { createServices, runnableServices } from '../../runtime/compose.js';
import { type HealthServer, startHealthServer } from '../../runtime/health-server.js';
import { createRuntimeMetrics } from '../../runtime/metrics.js';
import { createMessageProducer } from '../../runtime/producer.js';
import type { Service } from '../../runtime/service.js';
import type { ObjectStore } from '../../storage/object-store.js';
import { createWebhookSource } from '../../storage/webhook-source.js';
import { loadDeployment } from '../deployment.js';
import type { CliContext } from '../io.js';
import { jsonLogger, type LogLevel } from '../json-logger.js';
import { startupError, withDeadline } from '../startup-error.js';

export function registerRun(program: Command, ctx: CliContext) {
  program
    .command('run')
    .description('run services of the deployment in this process until SIGTERM or SIGINT')
    .argument(
      '[services...]',
      'service names (see lakerunner topics list), e.g. boxer-ingest-logs ingest-logs',
    )
    .option('--all', 'run every service of the deployment')
    .option('--log-level <level>', 'debug, info, warn or error', 'info')
    .option(
      '--health-port <port>',
      'serve /livez, /readyz, /healthz and /metrics on this port (0: any free port)',
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0 || n > 65535)
          throw new InvalidArgumentError(`"${v}" is not a port`);
        return n;
      },
    )
    .addHelpText(
      'after',
      `
Each service consumes with exactly its consumer group, so more processes running the same
service share its partitions. Logs are JSON lines on stderr. A start-up failure is one line with
an LR_ code and the fix, and exit status 1 (transient causes are retried for
runtime.startupTimeoutMs). On SIGTERM or SIGINT every service finishes or releases the work in
hand, commits what is done, and leaves its group; after runtime.stopTimeoutMs the work in hand is
abandoned (it is redelivered) and the exit status is 1. A second signal exits at once.`,
    )
    .action(
      async (
        names: string[],
        opts: { all?: boolean; logLevel: LogLevel; healthPort?: number },
        command: Command,
      ) => {
        if (!opts.all && names.length === 0) {
          command.error('error: name the services to run, or pass --all', { exitCode: 2 });
        }
        const log = jsonLogger(opts.logLevel);
        const { config, registry, plugins, codecs, baseDir } = await loadDeployment(command, ctx, (w) =>
          log.warn(w),
        );
        const runtime = config.runtime;
        const cleanups: (() => Promise<unknown>)[] = [];
        const started: Service[] = [];
        let starting = 'the store and the catalog';
        let stopping: Promise<void> | undefined;
        let health: HealthServer | undefined;
        let services: Service[] = [];

        const stop = () => {
          stopping ??= (async () => {
            log.info('stopping', { services: started.map((s) => s.name) });
            await health?.close();
            for (const s of [...started].reverse()) {
              await s
                .stop()
                .catch((err) =>
                  log.error('stopping a service failed', { service: s.name, error: String(err) }),
                );
            }
            for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
            log.info('stopped');
          })();
          return stopping;
        };

        try {
          await withDeadline(
            runtime.startupTimeoutMs,
            () => starting,
            (async () => {
              const storageAdapter = await loadDefinition(
                config.storage.module,
                baseDir,
                isStorageAdapter,
                'storage adapter',
                'defineStorageAdapter',
              );
              const catalogAdapter = await loadDefinition(
                config.catalog.module,
                baseDir,
                isCatalogAdapter,
                'catalog adapter',
                'defineCatalogAdapter',
              );
              const allRunnable = () => {
                const { runnable, notRunnable } = runnableServices(registry, plugins);
                for (const s of notRunnable)
                  log.warn('not starting a service its plugin cannot run', {
                    service: s.name,
                    reason: s.reason,
                  });
                return runnable;
              };
              const metrics = createRuntimeMetrics({ processMetrics: true });
              const { store, sources: storageSources } = await storageAdapter.create(config.storage.options, {
                log,
                metrics,
                lakePrefix: config.lakePrefix,
              });
              cleanups.push(async () => store.close?.());
              // More buckets raw telemetry lands in: each its own adapter, store and sources.
              const inputStores: ObjectStore[] = [];
              for (const extra of config.inputStorage) {
                const adapter = await loadDefinition(
                  extra.module,
                  baseDir,
                  isStorageAdapter,
                  'storage adapter',
                  'defineStorageAdapter',
                );
                const created = await adapter.create(extra.options, {
                  log,
                  metrics,
                  lakePrefix: config.lakePrefix,
                });
                cleanups.push(async () => created.store.close?.());
                inputStores.push(created.store);
                storageSources.push(...created.sources);
              }
              const webhook = config.pubsub.webhook;
              const sources = webhook
                ? [...storageSources, createWebhookSource({ ...webhook, store, log })]
                : storageSources;
              const catalog = await catalogAdapter.create(config.catalog.options);
              cleanups.push(() => catalog.close());
              await catalog.migrate();
              starting = 'Kafka';
              const kafka = createKafkaClient(config.kafka, { retries: 8 });
              const producer = await createMessageProducer(kafka);
              cleanups.push(() => producer.close());
              services = createServices(
                {
                  kafka,
                  registry,
                  plugins,
                  store,
                  inputStores,
                  sources,
                  catalog,
                  producer,
                  lakePrefix: config.lakePrefix,
                  routes: config.pubsub.routes,
                  log,
                  workerConcurrency: runtime.workerConcurrency,
                  boxerFlushIntervalMs: runtime.boxerFlushIntervalMs,
                  sweeperGraceMs: runtime.sweeperGraceMs,
                  sweeperIntervalMs: runtime.sweeperIntervalMs,
                  metrics,
                  codecs,
                  limits: config.limits,
                  retry: { initialMs: runtime.retryInitialMs, maxMs: runtime.retryMaxMs },
                  maxAttempts: runtime.maxAttempts,
                  // A dead consumer in a live-looking process is the worst kind of stall.
                  onFatal: (error) => {
                    log.error('exiting: a service stopped consuming for good', { error: String(error) });
                    process.exit(1);
                  },
                },
                opts.all ? allRunnable() : names,
              );
              await requireTopics(kafka, services, registry);
              const healthPort = opts.healthPort ?? runtime.healthPort;
              if (healthPort !== undefined) {
                const probeAdmin = kafka.admin();
                cleanups.push(() => probeAdmin.disconnect());
                health = await startHealthServer({
                  port: healthPort,
                  host: runtime.healthHost,
                  registry: metrics.registry,
                  ready: () => started.length === services.length && stopping === undefined,
                  probes: {
                    kafka: async () => {
                      await probeAdmin.connect();
                      await probeAdmin.describeCluster();
                    },
                    catalog: () => catalog.isWorkUnitDone('lakerunner-health-probe'),
                    storage: () => store.head('.lakerunner-health-probe'),
                  },
                });
                log.info('health endpoints listening', { host: runtime.healthHost, port: health.port() });
              }
              for (const s of services) {
                starting = `service ${s.name}`;
                await s.start();
                started.push(s);
                log.info('service started', { service: s.name });
              }
            })(),
          );
        } catch (err) {
          const failure = startupError(err, config.kafka.brokers);
          log.error('start-up failed', { code: failure.code, error: failure.message });
          // Release what did start, within the stop budget, so the process can exit.
          await Promise.race([stop(), sleep(runtime.stopTimeoutMs)]);
          throw failure;
        }
        log.info('running', { services: started.map((s) => s.name), prefix: registry.prefix });

        await new Promise<void>((resolve) => {
          const onSignal = (signal: string) => {
            if (stopping) {
              log.error('second signal while stopping; exiting now', { signal });
              process.exit(1);
            }
            log.info('received signal', { signal, stopTimeoutMs: runtime.stopTimeoutMs });
            const deadline = setTimeout(() => {
              // Work in hand is abandoned: it was not committed, so its messages are redelivered.
              log.error('stop deadline passed; abandoning work in hand', {
                code: 'LR_STOP_TIMEOUT',
                stopTimeoutMs: runtime.stopTimeoutMs,
              });
              process.exit(1);
            }, runtime.stopTimeoutMs);
            void stop().then(() => {
              clearTimeout(deadline);
              resolve();
            });
          };
          process.on('SIGTERM', () => onSignal('SIGTERM'));
          process.on('SIGINT', () => onSignal('SIGINT'));
        });
      },
    );
}
