import { isLakerunnerError } from '../errors.js';

/**
 * Every failure is sorted here, once, so no service decides on its own what to retry:
 *
 *   transient  the same operation may succeed later (broker, store or catalog down, network):
 *              retried with backoff, the message held, never dropped
 *   permanent  the input can never succeed (corrupt, unsupported, over a limit, a value the
 *              database rejects): dead-lettered at once, the partition moves on
 *   unknown    anything else (a bug, an error nobody classified): retried a bounded number of
 *              times, then dead-lettered with its last error, so it cannot hold up the
 *              messages behind it for longer than its retry budget
 */
export type FailureKind = 'transient' | 'permanent' | 'unknown';

export interface Failure {
  kind: FailureKind;
  /** An LR_ code, a SQLSTATE or a Node error code; what metrics and dead letters are grouped by. */
  code: string;
}

/** SQLSTATE classes a retry can cure: connection, transaction rollback, resources, operator, system. */
const TRANSIENT_SQLSTATE = new Set(['08', '40', '53', '57', '58']);
/**
 * SQLSTATE classes the data itself caused: data exception (a NaN into an integer, NUL in text),
 * integrity constraint, program limit exceeded (a value too large).
 */
const PERMANENT_SQLSTATE = new Set(['22', '23', '54']);

const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EMFILE',
  'ENFILE',
]);

export function classifyFailure(err: unknown): Failure {
  // A worker thread that died (out of memory on a huge input, or a crash) may be the input's
  // fault or not: a bounded number of attempts, then the unit is split and the input dead-lettered.
  if (isLakerunnerError(err) && err.code === 'LR_THREAD_FAILED') return { kind: 'unknown', code: err.code };
  if (isLakerunnerError(err)) return { kind: err.retriable ? 'transient' : 'permanent', code: err.code };
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    const kind = TRANSIENT_SQLSTATE.has(code.slice(0, 2))
      ? 'transient'
      : PERMANENT_SQLSTATE.has(code.slice(0, 2))
        ? 'permanent'
        : 'unknown';
    return { kind, code: `SQLSTATE ${code}` };
  }
  if (typeof code === 'string' && TRANSIENT_NODE_CODES.has(code)) return { kind: 'transient', code };
  // kafkajs marks the errors a retry can cure.
  if ((err as { retriable?: unknown } | null)?.retriable === true) {
    return { kind: 'transient', code: (err as Error).name || 'KafkaJSError' };
  }
  // Stack overflows, strings past V8's length limit, unparseable input: the input, not the world.
  if (err instanceof RangeError || err instanceof SyntaxError) return { kind: 'permanent', code: err.name };
  return { kind: 'unknown', code: err instanceof Error ? err.name || 'Error' : typeof err };
}

/** Exponential backoff with full jitter between half and all of the step, so retrying members spread out. */
export function backoffMs(attempt: number, initialMs: number, maxMs: number, random = Math.random): number {
  const step = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 20));
  return Math.round(step * (0.5 + random() * 0.5));
}
