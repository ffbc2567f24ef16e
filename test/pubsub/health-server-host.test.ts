import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createHealthCheck, createRuntimeMetrics, startHealthServer } from '../../packages/core/src/index.js';

/**
 * The health server shows the deployment's metrics and dependencies, so it listens on loopback
 * unless told otherwise. (It lives next to the webhook tests: both are the process's HTTP faces.)
 */
const refused = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

const start = (host?: string) =>
  startHealthServer({
    port: 0,
    ...(host ? { host } : {}),
    health: createHealthCheck({ probes: {}, ready: () => true }),
    registry: createRuntimeMetrics().registry,
  });

describe('health server address', () => {
  it('listens on 127.0.0.1 by default, and on no other interface', async () => {
    const health = await start();
    try {
      expect(health.host()).toBe('127.0.0.1');
      const res = await fetch(`http://127.0.0.1:${health.port()}/livez`);
      expect(res.status).toBe(200);
      const external = Object.values(networkInterfaces())
        .flat()
        .find((i) => i && i.family === 'IPv4' && !i.internal);
      if (external) expect(await refused(external.address, health.port())).toBe(true);
    } finally {
      await health.close();
    }
  });

  it('listens where it is told to', async () => {
    const health = await start('0.0.0.0');
    try {
      expect(health.host()).toBe('0.0.0.0');
    } finally {
      await health.close();
    }
  });
});
