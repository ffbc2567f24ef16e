import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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
  /**
   * Default 127.0.0.1: /metrics and the probe results describe the deployment, so reaching them
   * from elsewhere is a choice (0.0.0.0, or the pod's address), not an accident.
   */
  host?: string;
  probes: Record<string, Probe>;
  ready: () => boolean;
  registry: Registry;
  probeIntervalMs?: number;
  probeTimeoutMs?: number;
}

export interface HealthServer {
  port(): number;
  /** The bound address, e.g. 127.0.0.1. */
  host(): string;
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

  // Requests are small GETs: a client that takes longer than this to send one is not a prober.
  const timeouts = { requestTimeout: 10_000, headersTimeout: 10_000, connectionsCheckingInterval: 2000 };
  const server: Server = createServer(timeouts, (req, res) => {
    answer(req, res).catch((err: unknown) => {
      // A failed metrics collection must answer 500, not become an unhandled rejection.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`internal error: ${(err as Error).message}`);
    });
  });

  async function answer(req: IncomingMessage, res: ServerResponse) {
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
      const text = await options.registry.metrics();
      return res.writeHead(200, { 'content-type': options.registry.contentType }).end(text);
    }
    return json(404, { status: 'not found', paths: ['/livez', '/readyz', '/healthz', '/metrics'] });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  return {
    port: () => (server.address() as AddressInfo).port,
    host: () => (server.address() as AddressInfo).address,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
