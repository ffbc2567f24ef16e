import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { HealthCheck } from './health-check.js';

/** /livez (the process answers), /readyz and /healthz (see ./health-check.ts), /metrics (Prometheus). */
export interface HealthServerOptions {
  port: number;
  /**
   * Default 127.0.0.1: /metrics and the probe results describe the deployment, so reaching them
   * from elsewhere is a choice (0.0.0.0, or the pod's address), not an accident.
   */
  host?: string;
  health: HealthCheck;
  registry: Registry;
}

export interface HealthServer {
  port(): number;
  /** The bound address, e.g. 127.0.0.1. */
  host(): string;
  close(): Promise<void>;
}

export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
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
      const report = await options.health();
      return json(report.status === 'ok' ? 200 : 503, report);
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
