import { isLakerunnerError, LakerunnerError } from '../errors.js';
import { raceDeadline } from '../util/deadline.js';

/**
 * What went wrong while starting, as one coded line with the fix, instead of a library's stack
 * trace: an operator (or a container orchestrator's log view) sees why, and the process exits.
 */
export function startupError(err: unknown, brokers: readonly string[]): LakerunnerError {
  if (isLakerunnerError(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  const name = err instanceof Error ? err.name : '';
  const code = (err as { code?: unknown } | null)?.code;
  if (name.startsWith('KafkaJS') || /kafka/i.test(message)) {
    if (/SASL|authentication/i.test(message)) {
      return new LakerunnerError(
        'LR_KAFKA_AUTH',
        `Kafka rejected the credentials (brokers ${brokers.join(', ')}): ${message}; check kafka.sasl (mechanism, username, password)`,
        { cause: err },
      );
    }
    if (/does not host this topic-partition|UNKNOWN_TOPIC_OR_PARTITION|topic.*not exist/i.test(message)) {
      return new LakerunnerError(
        'LR_TOPICS_MISSING',
        `a topic of the deployment does not exist: ${message}; run \`lakerunner topics sync\` first`,
        { cause: err },
      );
    }
    return new LakerunnerError(
      'LR_KAFKA_UNAVAILABLE',
      `cannot reach Kafka at ${brokers.join(', ')}: ${message}; check kafka.brokers and that the brokers run`,
      { retriable: true, cause: err },
    );
  }
  if (code === 'EADDRINUSE' || code === 'EACCES') {
    return new LakerunnerError(
      'LR_CONFIG_INVALID',
      `cannot listen: ${message}; choose another port (runtime.healthPort, pubsub.webhook.port)`,
      { cause: err },
    );
  }
  return new LakerunnerError('LR_STARTUP_FAILED', `start-up failed: ${message}`, { cause: err });
}

/** Rejects with LR_STARTUP_TIMEOUT when `work` does not finish in time, naming what it waited for. */
export function withDeadline<T>(ms: number, what: () => string, work: Promise<T>): Promise<T> {
  return raceDeadline(
    work,
    ms,
    () =>
      new LakerunnerError(
        'LR_STARTUP_TIMEOUT',
        `start-up did not finish in ${ms} ms (waiting for ${what()}); raise runtime.startupTimeoutMs or check that service's dependencies`,
      ),
  );
}
