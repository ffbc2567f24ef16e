import { type Command, InvalidArgumentError } from 'commander';
import { createKafkaClient } from '../../kafka/client.js';
import { isCatalogAdapter, isStorageAdapter } from '../../plugin/adapters.js';
import { loadDefinition } from '../../plugin/load.js';
import { createServices, runnableServices } from '../../runtime/compose.js';
import { startHealthServer } from '../../runtime/health-server.js';
import { createRuntimeMetrics } from '../../runtime/metrics.js';
import { createMessageProducer } from '../../runtime/producer.js';
import type { Service } from '../../runtime/service.js';
import { createWebhookSource } from '../../storage/webhook-source.js';
import { loadDeployment } from '../deployment.js';
import type { CliContext } from '../io.js';
import { jsonLogger, type LogLevel } from '../json-logger.js';

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
service share its partitions. Logs are JSON lines on stderr. On SIGTERM or SIGINT every service
finishes or releases the work in hand, commits what is done, and leaves its group.`,
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
            log.warn('not starting a service its plugin cannot run', { service: s.name, reason: s.reason });
          return runnable;
        };
        // The lake's own segments live in the same store; its watcher need not report them.
        const { store, sources: storageSources } = await storageAdapter.create({
          ignorePrefixes: [`${config.lakePrefix}/`],
          ...config.storage.options,
        });
        const webhook = config.pubsub.webhook;
        const sources = webhook
          ? [...storageSources, createWebhookSource({ ...webhook, log })]
          : storageSources;
        const catalog = await catalogAdapter.create(config.catalog.options);
        await catalog.migrate();
        const kafka = createKafkaClient(config.kafka, { retries: 8 });
        const producer = await createMessageProducer(kafka);
        const metrics = createRuntimeMetrics({ processMetrics: true });
        const services: Service[] = createServices(
          {
            kafka,
            registry,
            plugins,
            store,
            sources,
            catalog,
            producer,
            lakePrefix: config.lakePrefix,
            routes: config.pubsub.routes,
            log,
            workerConcurrency: config.runtime.workerConcurrency,
            boxerFlushIntervalMs: config.runtime.boxerFlushIntervalMs,
            sweeperGraceMs: config.runtime.sweeperGraceMs,
            metrics,
            codecs,
            limits: config.limits,
          },
          opts.all ? allRunnable() : names,
        );

        const started: Service[] = [];
        let stopping: Promise<void> | undefined;
        const healthPort = opts.healthPort ?? config.runtime.healthPort;
        const probeAdmin = kafka.admin();
        const health =
          healthPort === undefined
            ? undefined
            : await startHealthServer({
                port: healthPort,
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
        if (health) log.info('health endpoints listening', { port: health.port() });
        const stop = () => {
          stopping ??= (async () => {
            log.info('stopping', { services: started.map((s) => s.name) });
            await health?.close();
            await probeAdmin.disconnect().catch(() => {});
            for (const s of [...started].reverse()) {
              await s
                .stop()
                .catch((err) =>
                  log.error('stopping a service failed', { service: s.name, error: String(err) }),
                );
            }
            await producer.close().catch(() => {});
            await catalog.close().catch(() => {});
            await store.close?.().catch(() => {});
            log.info('stopped');
          })();
          return stopping;
        };
        const stopped = new Promise<void>((resolve) => {
          const onSignal = (signal: string) => {
            log.info('received signal', { signal });
            void stop().then(resolve);
          };
          process.once('SIGTERM', () => onSignal('SIGTERM'));
          process.once('SIGINT', () => onSignal('SIGINT'));
        });
        for (const s of services) {
          await s.start();
          started.push(s);
          log.info('service started', { service: s.name });
        }
        log.info('running', { services: started.map((s) => s.name), prefix: registry.prefix });
        await stopped;
      },
    );
}
