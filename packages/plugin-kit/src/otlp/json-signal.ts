import { LakerunnerError } from '@lakerunner/core';

/** Which signal a parsed OTLP/JSON request carries, by its top-level key; undefined if none. */
export function otlpJsonSignal(value: unknown): 'logs' | 'traces' | 'metrics' | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const has = (key: string) => Object.hasOwn(value, key);
  if (has('resourceLogs') || has('resource_logs')) return 'logs';
  if (has('resourceSpans') || has('resource_spans')) return 'traces';
  if (has('resourceMetrics') || has('resource_metrics')) return 'metrics';
  return undefined;
}

/**
 * Throws unless `value` is an OTLP/JSON request of `signal`: another signal's request is
 * LR_INPUT_UNSUPPORTED (the object belongs elsewhere), anything else LR_INPUT_CORRUPT.
 */
export function expectOtlpJsonSignal(
  value: unknown,
  signal: 'logs' | 'traces' | 'metrics',
  key: string,
): void {
  const found = otlpJsonSignal(value);
  if (found === signal) return;
  throw new LakerunnerError(
    found ? 'LR_INPUT_UNSUPPORTED' : 'LR_INPUT_CORRUPT',
    `${key}: ${found ? `an OTLP ${found} request` : 'not an OTLP request'}, not ${signal}`,
  );
}
