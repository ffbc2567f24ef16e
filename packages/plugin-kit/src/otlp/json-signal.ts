/** Which signal a parsed OTLP/JSON request carries, by its top-level key; undefined if none. */
export function otlpJsonSignal(value: unknown): 'logs' | 'traces' | 'metrics' | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const has = (key: string) => Object.hasOwn(value, key);
  if (has('resourceLogs') || has('resource_logs')) return 'logs';
  if (has('resourceSpans') || has('resource_spans')) return 'traces';
  if (has('resourceMetrics') || has('resource_metrics')) return 'metrics';
  return undefined;
}
