import { Counter, collectDefaultMetrics, Registry } from 'prom-client';

/**
 * Prometheus metrics of one process. Services count what they do; `lakerunner run` serves the
 * registry at /metrics.
 */
export interface RuntimeMetrics {
  registry: Registry;
  /** Work units a worker finished: outcome committed | already-done | nothing-left. */
  workUnits: Counter<'service' | 'outcome'>;
  /** Rows written into segments by a worker. */
  records: Counter<'service'>;
  /** Work units a boxer emitted. */
  unitsEmitted: Counter<'service'>;
  /** Messages or inputs sent to the dead-letter topic. */
  deadLetters: Counter<'service'>;
  /** Object notifications pubsub published, by signal. */
  published: Counter<'signal'>;
  /** Objects pubsub did not route, by reason. */
  skipped: Counter<'reason'>;
}

export function createRuntimeMetrics(options: { processMetrics?: boolean } = {}): RuntimeMetrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'lakerunner_' });
  const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
    new Counter<L>({ name: `lakerunner_${name}`, help, labelNames, registers: [registry] });
  return {
    registry,
    workUnits: counter('work_units_total', 'Work units finished by workers', ['service', 'outcome']),
    records: counter('records_written_total', 'Rows written into segments', ['service']),
    unitsEmitted: counter('work_units_emitted_total', 'Work units emitted by boxers', ['service']),
    deadLetters: counter('dead_letters_total', 'Messages and inputs sent to the dead-letter topic', [
      'service',
    ]),
    published: counter('pubsub_published_total', 'Object notifications published', ['signal']),
    skipped: counter('pubsub_skipped_total', 'Objects not routed, by reason', ['reason']),
  };
}
