import { EventEmitter } from 'node:events';

/**
 * What a running deployment tells an application that embeds it, beside logs and metrics: a
 * work unit finished, an input or message was dead-lettered. Listeners run synchronously on the
 * service's path, so they should hand heavy work off; a listener that throws is logged, never
 * allowed to fail the unit.
 */
export interface UnitDoneEvent {
  service: string;
  signal: string;
  stage: string;
  org: string;
  unitId: string;
  /** committed | already-done | nothing-left | too-few-left */
  outcome: string;
  inputs: number;
  segments: number;
  records: number;
  /** Inputs of the unit that were dead-lettered. */
  failures: number;
  ms: number;
}

export interface DeadLetterEvent {
  service: string;
  code: string;
  reason: string;
  /** The input at fault, when one input of a unit failed rather than the whole message. */
  input?: Record<string, unknown>;
}

export interface RuntimeEventMap {
  'unit-done': [UnitDoneEvent];
  'dead-letter': [DeadLetterEvent];
}

export type RuntimeEvents = EventEmitter<RuntimeEventMap>;

export function createRuntimeEvents(): RuntimeEvents {
  return new EventEmitter<RuntimeEventMap>();
}

/**
 * Calls each listener itself rather than through `emit`, so that neither a listener that throws
 * nor an async one that rejects reaches the service (or, as an unhandled 'error' event or
 * rejection, the process): both go to `onError`.
 */
export function emitSafely<K extends keyof RuntimeEventMap>(
  events: RuntimeEvents | undefined,
  name: K,
  payload: RuntimeEventMap[K][0],
  onError: (error: unknown) => void,
): void {
  if (!events) return;
  for (const listener of events.listeners(name) as ((p: RuntimeEventMap[K][0]) => unknown)[]) {
    try {
      const result = listener(payload);
      if (result instanceof Promise) result.catch(onError);
    } catch (err) {
      onError(err);
    }
  }
}
