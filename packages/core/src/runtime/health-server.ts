import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/**
 * /livez (the process answers), /readyz and /healthz (every service started and every
 * dependency answered its probe recently), /metrics (Prometheus). Probes run at most every
 * `probeIntervalMs`, each bounded by `probeTimeoutMs`, so a slow dependency cannot pile up
 * requests.
 */
export type Probe = () => Promise<unknown>;

export interface HealthServerOptions {
  port: number;
  host?: string;
  probes: Record<string, Probe>;
  ready: () => boolean;
  registry: Registry;
  probeIntervalMs?: number;
  probeTimeoutMs?: number;
}

export interface HealthServer {
  port(): number;
  close(): Promise<void>;
}

export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const interval = options.probeIntervalMs ?? 2000;
  const timeout = options.probeTimeoutMs ?? 3000;
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

  const server: Server = createServer(async (req, res) => {
    const path = req.url?.split('?')[0];
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (path === '/livez') return json(200, { status: 'ok' });
    if (path === '/readyz' || path === '/healthz') {
      const checks = await probe();
      const started = options.ready();
      const ok = started && Object.values(checks).every((v) => v === 'ok');
      return json(ok ? 200 : 503, { status: ok ? 'ok' : 'unavailable', started, checks });
    }
    if (path === '/metrics') {
      res.writeHead(200, { 'content-type': options.registry.contentType });
      return res.end(await options.registry.metrics());
    }
    return json(404, { status: 'not found', paths: ['/livez', '/readyz', '/healthz', '/metrics'] });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  return {
    port: () => (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
