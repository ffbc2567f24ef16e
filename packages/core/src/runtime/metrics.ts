import { Counter, collectDefaultMetrics, Registry } from 'prom-client';

/**
 * Prometheus metrics of one process. Services count what they do; `lakerunner run` serves the
 * registry at /metrics.
 */
export interface RuntimeMetrics {
  registry: Registry;
  /** Work units a worker finished: outcome committed | already-done | nothing-left | too-few-left. */
  workUnits: Counter<'service' | 'outcome'>;
  /** Rows written into segments by a worker. */
  records: Counter<'service'>;
  /** Work units a boxer emitted. */
  unitsEmitted: Counter<'service'>;
  /** Messages or inputs sent to the dead-letter topic, by error code. */
  deadLetters: Counter<'service' | 'code'>;
  /** Failed attempts at a message that is retried, by error code. */
  retries: Counter<'service' | 'code'>;
  /** Operations a store refused to keep data inside its bucket (a symlink out of the root…). */
  storageRefused: Counter<'store' | 'reason'>;
  /** Objects a notification source saw and did not announce (hidden file, symlink…), by reason. */
  sourceSkipped: Counter<'source' | 'reason'>;
  /** Object notifications pubsub published, by signal. */
  published: Counter<'signal'>;
  /** Objects pubsub did not route, by reason. */
  skipped: Counter<'reason'>;
}

export function createRuntimeMetrics(options: { processMetrics?: boolean } = {}): RuntimeMetrics {
  const registry = new Registry();
  // The event-loop delay histogram samples every eventLoopMonitoringPrecision ms; prom-client's
  // 10 ms default alone woke an idle process 100 times a second.
  if (options.processMetrics) {
    collectDefaultMetrics({ register: registry, prefix: 'lakerunner_', eventLoopMonitoringPrecision: 100 });
  }
  const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
    new Counter<L>({ name: `lakerunner_${name}`, help, labelNames, registers: [registry] });
  return {
    registry,
    workUnits: counter('work_units_total', 'Work units finished by workers', ['service', 'outcome']),
    records: counter('records_written_total', 'Rows written into segments', ['service']),
    unitsEmitted: counter('work_units_emitted_total', 'Work units emitted by boxers', ['service']),
    deadLetters: counter('dead_letters_total', 'Messages and inputs sent to the dead-letter topic', [
      'service',
      'code',
    ]),
    retries: counter('retries_total', 'Failed attempts at a message that is retried', ['service', 'code']),
    storageRefused: counter(
      'storage_refused_total',
      'Store operations refused to keep data inside the bucket',
      ['store', 'reason'],
    ),
    sourceSkipped: counter('source_skipped_total', 'Objects a notification source did not announce', [
      'source',
      'reason',
    ]),
    published: counter('pubsub_published_total', 'Object notifications published', ['signal']),
    skipped: counter('pubsub_skipped_total', 'Objects not routed, by reason', ['reason']),
  };
}
