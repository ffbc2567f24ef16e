import { type Command, InvalidArgumentError } from 'commander';
import { createLakerunner, type Lakerunner } from '../../deployment/create-lakerunner.js';
import { createRuntimeMetrics } from '../../runtime/metrics.js';
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
      'service names (the readers in lakerunner topics list, and sweeper), e.g. boxer-ingest-logs ingest-logs',
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
        const { config, plugins, codecs, baseDir } = await loadDeployment(command, ctx, (w) => log.warn(w));
        const runtime = config.runtime;
        const healthPort = opts.healthPort ?? runtime.healthPort;
        let starting = 'the plugins';
        const creating = createLakerunner({
          config: { ...config, runtime: { ...runtime, healthPort } },
          baseDir,
          plugins,
          codecs,
          services: opts.all ? 'all' : names,
          log,
          metrics: createRuntimeMetrics({ processMetrics: true }),
          onStep: (step) => {
            starting = step;
          },
          // A dead consumer in a live-looking process is the worst kind of stall.
          onFatal: (error) => {
            log.error('exiting: a service stopped consuming for good', { error: String(error) });
            process.exit(1);
          },
        });
        // Signals are ours from here on: one that arrives while the deployment still starts
        // stops it (a stop during start leaves nothing running) and the process exits 0, as later.
        let stopping = false;
        let stopped: () => void = () => {};
        const done = new Promise<void>((resolve) => {
          stopped = resolve;
        });
        const onSignal = (signal: string) => {
          if (stopping) {
            log.error('second signal while stopping; exiting now', { signal });
            process.exit(1);
          }
          stopping = true;
          log.info('received signal', { signal, stopTimeoutMs: runtime.stopTimeoutMs });
          creating
            .then((created) => {
              log.info('stopping', { services: created.services.map((s) => s.name) });
              return created.stop();
            })
            .then(
              () => {
                log.info('stopped');
                stopped();
              },
              (err) => {
                // Work in hand is abandoned: it was not committed, so its messages are redelivered.
                log.error('stop deadline passed; abandoning work in hand', {
                  code: 'LR_STOP_TIMEOUT',
                  stopTimeoutMs: runtime.stopTimeoutMs,
                  error: String(err),
                });
                process.exit(1);
              },
            );
        };
        process.on('SIGTERM', () => onSignal('SIGTERM'));
        process.on('SIGINT', () => onSignal('SIGINT'));

        let running: Lakerunner;
        try {
          running = await withDeadline(
            runtime.startupTimeoutMs,
            () => starting,
            creating.then(async (created) => {
              await created.start();
              return created;
            }),
          );
        } catch (err) {
          // Stopped by a signal while starting: not a failure.
          if (stopping) return done;
          const failure = startupError(err, config.kafka.brokers);
          log.error('start-up failed', { code: failure.code, error: failure.message });
          // Release what did open or start, within the stop budget, so the process can exit: even
          // when the deadline passed while the deployment was still being composed.
          await Promise.race([
            creating.then((created) => created.stop()).catch(() => {}),
            new Promise((r) => setTimeout(r, runtime.stopTimeoutMs).unref()),
          ]);
          throw failure;
        }
        log.info('running', {
          services: running.services.map((s) => s.name),
          prefix: running.registry.prefix,
        });

        await done;
      },
    );
}
