import { existsSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEPLOY, effectiveConfig, expectPinned, readText, readYaml } from './deploy-files.js';

/**
 * deploy/docker-compose.yaml and the observability files it mounts. No Docker engine runs here:
 * this checks that the services, their order, ports, volumes and variables fit together and fit
 * what lakerunner reads.
 */

interface Healthcheck {
  test: string[] | string;
  start_period?: string;
}
interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }> | string[];
  ports?: string[];
  volumes?: string[];
  healthcheck?: Healthcheck;
  stop_grace_period?: string;
  profiles?: string[];
  read_only?: boolean;
}
interface Compose {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const compose = readYaml<Compose>(join(DEPLOY, 'docker-compose.yaml'));
const service = (name: string) => {
  const s = compose.services[name];
  if (!s) throw new Error(`no service ${name}`);
  return s;
};
const lakerunners = Object.entries(compose.services).filter(([, s]) => s.image?.startsWith('lakerunner:'));
const seconds = (duration = '0s') => {
  const m = /^(\d+)(ms|s|m)$/.exec(duration);
  if (!m) throw new Error(`unsupported duration ${duration}`);
  return Number(m[1]) * { ms: 0.001, s: 1, m: 60 }[m[2] as 'ms' | 's' | 'm'];
};
const condition = (s: ComposeService, on: string) =>
  Array.isArray(s.depends_on) ? undefined : s.depends_on?.[on]?.condition;

describe('deploy/docker-compose.yaml', () => {
  it('pins every image', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      expect(s.image, name).toBeDefined();
      expectPinned(s.image as string);
    }
  });

  it('builds the lakerunner image from deploy/Dockerfile with the repository as context', () => {
    expect(lakerunners.map(([n]) => n).sort()).toEqual(['lakerunner', 'topics-sync']);
    for (const [name, s] of lakerunners) {
      const context = resolve(DEPLOY, s.build?.context ?? '.');
      expect(existsSync(join(context, s.build?.dockerfile ?? 'Dockerfile')), name).toBe(true);
      expect(existsSync(join(context, '.dockerignore')), name).toBe(true);
      expect(existsSync(join(context, 'package-lock.json')), name).toBe(true);
    }
  });

  it('runs Kafka in KRaft mode and points lakerunner at its internal listener', () => {
    const kafka = service('kafka');
    expect(kafka.image).toMatch(/^apache\/kafka:/);
    const env = kafka.environment ?? {};
    expect(env.KAFKA_PROCESS_ROLES?.split(',').sort()).toEqual(['broker', 'controller']);
    expect(Object.keys(env).some((k) => k.includes('ZOOKEEPER'))).toBe(false);
    const advertised = (env.KAFKA_ADVERTISED_LISTENERS ?? '').split(',').map((l) => l.split('://')[1]);
    for (const [name, s] of lakerunners) {
      for (const broker of (s.environment?.LAKERUNNER_KAFKA_BROKERS ?? '').split(',')) {
        expect(advertised, name).toContain(broker);
      }
    }
    // A persistent log directory needs a fixed cluster id (16 bytes, base64url).
    expect(env.CLUSTER_ID).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(kafka.volumes?.some((v) => v.endsWith(`:${env.KAFKA_LOG_DIRS}`))).toBe(true);
  });

  it('gives the catalog the PostgreSQL service', () => {
    const pg = service('postgres').environment ?? {};
    const url = new URL(service('lakerunner').environment?.LAKERUNNER_CATALOG_URL ?? '');
    expect(url.hostname).toBe('postgres');
    expect(url.username).toBe(pg.POSTGRES_USER);
    expect(url.password).toBe(pg.POSTGRES_PASSWORD);
    expect(url.pathname).toBe(`/${pg.POSTGRES_DB}`);
  });

  it('syncs the topics once Kafka is healthy, then runs every service over the bucket volume', () => {
    const sync = service('topics-sync');
    expect(sync.command).toEqual(['topics', 'sync']);
    expect(condition(sync, 'kafka')).toBe('service_healthy');
    expect(service('kafka').healthcheck).toBeDefined();
    const run = service('lakerunner');
    expect(run.command).toEqual(['run', '--all']);
    expect(condition(run, 'topics-sync')).toBe('service_completed_successfully');
    expect(condition(run, 'postgres')).toBe('service_healthy');
    expect(service('postgres').healthcheck).toBeDefined();
    // The bucket is a named volume mounted where LAKERUNNER_STORAGE_ROOT points.
    const root = run.environment?.LAKERUNNER_STORAGE_ROOT;
    const bucket = run.volumes?.map((v) => v.split(':')).find(([, target]) => target === root);
    expect(bucket, `nothing mounted at ${root}`).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(bucket?.[0]);
    // Writable only there: the rest of the container is read-only. An empty named volume takes
    // the owner of the image's directory, so the image must create it for its user.
    expect(run.read_only).toBe(true);
    const dockerfile = readText(join(DEPLOY, 'Dockerfile'));
    expect(dockerfile).toMatch(
      new RegExp(`RUN mkdir -p ${root} && chown -R 1000:1000 ${posix.dirname(root ?? '')}\\n`),
    );
    expect(dockerfile).toMatch(/^USER 1000:1000$/m);
  });

  it('uses only LAKERUNNER_* variables lakerunner knows, and serves health where it is checked', async () => {
    for (const [name, s] of lakerunners) {
      const { config, unknown } = await effectiveConfig(undefined, s.environment ?? {});
      expect(unknown, name).toEqual([]);
      expect(config.storage.module, name).toBe('@lakerunner/storage-fs');
    }
    const run = service('lakerunner');
    const { config } = await effectiveConfig(undefined, run.environment ?? {});
    const port = config.runtime.healthPort;
    expect(port).toBeDefined();
    expect(config.runtime.healthHost).toBe('0.0.0.0');
    expect(run.ports?.some((p) => p.endsWith(`:${port}`))).toBe(true);
    const check = [run.healthcheck?.test ?? []].flat().join(' ');
    expect(check).toContain(`127.0.0.1:${port}/readyz`);
    expect(check).not.toMatch(/curl|wget/);
    expect(seconds(run.healthcheck?.start_period) * 1000).toBeGreaterThan(config.runtime.startupTimeoutMs);
    // SIGTERM waits stopTimeoutMs for work in hand; compose must not SIGKILL before.
    expect(seconds(run.stop_grace_period ?? '10s') * 1000).toBeGreaterThan(config.runtime.stopTimeoutMs);
  });

  it('mounts observability files that exist, Prometheus scraping lakerunner and the Kafka exporter', async () => {
    for (const name of ['prometheus', 'grafana', 'kafka-exporter']) {
      expect(service(name).profiles).toEqual(['observability']);
    }
    const mounts = [...(service('prometheus').volumes ?? []), ...(service('grafana').volumes ?? [])];
    for (const mount of mounts) {
      const [source = ''] = mount.split(':');
      expect(existsSync(resolve(DEPLOY, source)), source).toBe(true);
    }
    const prometheus = readYaml<{
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    }>(join(DEPLOY, 'prometheus/prometheus.yml'));
    const targets = prometheus.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets));
    const { config } = await effectiveConfig(undefined, service('lakerunner').environment ?? {});
    expect(targets).toContain(`lakerunner:${config.runtime.healthPort}`);
    expect(targets).toContain('kafka-exporter:9308');
    expect(service('kafka-exporter').command).toContain('--kafka.server=kafka:9092');
    // Grafana's dashboard provider reads the directory the dashboard JSON is mounted into.
    const providers = readYaml<{ providers: { options: { path: string } }[] }>(
      join(DEPLOY, 'grafana/provisioning/dashboards/lakerunner.yaml'),
    );
    const dashboardTarget = service('grafana')
      .volumes?.map((v) => v.split(':'))
      .find(([source]) => source?.endsWith('lakerunner-dashboard.json'))?.[1];
    expect(providers.providers.map((p) => p.options.path)).toContain(posix.dirname(dashboardTarget ?? ''));
  });
});
