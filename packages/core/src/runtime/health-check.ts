/**
 * Whether a process is ready: every service started, and every dependency (Kafka, the catalog,
 * the store) answered its probe recently. Probes run at most every `intervalMs`, each bounded by
 * `timeoutMs`, so a slow dependency cannot pile up requests from frequent callers (a
 * Kubernetes readiness probe, an embedding application's own health endpoint).
 */
export type Probe = () => Promise<unknown>;

export interface HealthReport {
  status: 'ok' | 'unavailable';
  /** Every service started and none is stopping. */
  started: boolean;
  /** Probe name → 'ok' or what went wrong. */
  checks: Record<string, string>;
}

export interface HealthCheckOptions {
  probes: Record<string, Probe>;
  ready: () => boolean;
  intervalMs?: number;
  timeoutMs?: number;
}

export type HealthCheck = () => Promise<HealthReport>;

export function createHealthCheck(options: HealthCheckOptions): HealthCheck {
  const interval = options.intervalMs ?? 2000;
  const timeout = options.timeoutMs ?? 3000;
  let last: { at: number; results: Record<string, string> } | undefined;
  let running: Promise<Record<string, string>> | undefined;

  async function probe(): Promise<Record<string, string>> {
    if (last && Date.now() - last.at < interval) return last.results;
    running ??= (async () => {
      const entries = await Promise.all(
        Object.entries(options.probes).map(async ([name, check]) => {
          let timer: NodeJS.Timeout | undefined;
          try {
            await Promise.race([
              check(),
              new Promise((_, reject) => {
                timer = setTimeout(() => reject(new Error(`no answer in ${timeout} ms`)), timeout);
              }),
            ]);
            return [name, 'ok'] as const;
          } catch (err) {
            return [name, (err as Error).message] as const;
          } finally {
            clearTimeout(timer);
          }
        }),
      );
      const results = Object.fromEntries(entries);
      last = { at: Date.now(), results };
      running = undefined;
      return results;
    })();
    return running;
  }

  return async () => {
    const checks = await probe();
    const started = options.ready();
    const ok = started && Object.values(checks).every((v) => v === 'ok');
    return { status: ok ? 'ok' : 'unavailable', started, checks };
  };
}
