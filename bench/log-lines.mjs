// The log records the log benchmarks write as their input, so each measures the same data.

/** Records `first` to `first + count - 1` as JSON lines, 250 ms apart from 2026-11-28. */
export function logLines(first, count) {
  const lines = [];
  for (let i = first; i < first + count; i++) {
    lines.push(
      JSON.stringify({
        timestamp: new Date(Date.UTC(2026, 10, 28) + i * 250).toISOString(),
        level: ['info', 'warn', 'error', 'debug'][i % 4],
        service: `svc-${i % 20}`,
        message: `request ${i} path=/api/v1/items/${i % 9973} took ${(i * 37) % 900}ms user=${i % 10007}`,
        host: `node-${i % 100}`,
      }),
    );
  }
  return lines.join('\n');
}
