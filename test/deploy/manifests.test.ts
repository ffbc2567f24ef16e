import { existsSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SWEEPER_SERVICE } from '../../packages/core/src/index.js';
import {
  DEPLOY,
  effectiveConfig,
  expectPinned,
  listTopics,
  readYaml,
  readYamlDocuments,
  type TopicEntry,
  topologyServices,
} from './deploy-files.js';

/**
 * deploy/kubernetes against the CLI it deploys: every service runs in exactly one Deployment,
 * probes reach the health server the env configures, KEDA watches consumer groups and topics
 * that `lakerunner topics list` (of the built CLI, with the manifests' own lakerunner.yaml)
 * reports. There is no cluster here; the API schemas were checked by hand (deploy/README.md).
 */

const DIR = join(DEPLOY, 'kubernetes');
const CONFIG_FILE = join(DIR, 'lakerunner.yaml');

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: unknown };
}
interface Probe {
  httpGet?: { path: string; port: number | string };
  periodSeconds?: number;
  failureThreshold?: number;
}
interface Container {
  name: string;
  image: string;
  args?: string[];
  command?: string[];
  env?: EnvVar[];
  ports?: { name?: string; containerPort: number }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    capabilities?: { drop?: string[] };
  };
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  containers: Container[];
  restartPolicy?: string;
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  volumes?: { name: string; configMap?: { name: string }; emptyDir?: unknown }[];
}
interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> };
    template?: { metadata?: { labels?: Record<string, string> }; spec: PodSpec };
    scaleTargetRef?: { name: string; kind?: string; apiVersion?: string };
    minReplicaCount?: number;
    maxReplicaCount?: number;
    triggers?: { type: string; metadata: Record<string, unknown>; authenticationRef?: unknown }[];
  };
}
interface Kustomization {
  namespace?: string;
  resources: string[];
  configMapGenerator?: { name: string; files?: string[] }[];
  images?: { name: string; newName?: string; newTag?: string; digest?: string }[];
}

const kustomization = readYaml<Kustomization>(join(DIR, 'kustomization.yaml'));
const resources = kustomization.resources.flatMap((file) => readYamlDocuments<Resource>(join(DIR, file)));
const ofKind = (kind: string) => resources.filter((r) => r.kind === kind);
const deployments = ofKind('Deployment');
const scaledObjects = ofKind('ScaledObject');
const jobs = ofKind('Job');
const workloads = [...deployments, ...jobs];
const podOf = (r: Resource) => r.spec?.template?.spec as PodSpec;
const containerOf = (r: Resource) => {
  const containers = podOf(r).containers;
  expect(containers, r.metadata.name).toHaveLength(1);
  return containers[0] as Container;
};
/** The services a Deployment runs: `run <service…>` (the image's entrypoint is the CLI). */
const servicesOf = (r: Resource) => {
  const args = containerOf(r).args ?? [];
  expect(args[0], r.metadata.name).toBe('run');
  return args.slice(1).filter((a) => !a.startsWith('-'));
};
/** Literal env of a container; secret references become placeholders (their names still count). */
const envOf = (c: Container): Record<string, string> =>
  Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value ?? `from-${e.name.toLowerCase()}`]));

let topics: TopicEntry[];
let services: Set<string>;

beforeAll(async () => {
  topics = await listTopics(CONFIG_FILE);
  services = topologyServices(topics);
  services.add(SWEEPER_SERVICE);
});

describe('deploy/kubernetes', () => {
  it('lists every manifest in kustomization.yaml and generates the config from lakerunner.yaml', () => {
    const yamlFiles = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));
    const notResources = ['kustomization.yaml', 'lakerunner.yaml'];
    expect([...kustomization.resources].sort()).toEqual(
      yamlFiles.filter((f) => !notResources.includes(f)).sort(),
    );
    expect(kustomization.configMapGenerator).toEqual([
      { name: 'lakerunner-config', files: ['lakerunner.yaml'] },
    ]);
    const namespaces = ofKind('Namespace').map((n) => n.metadata.name);
    expect(namespaces).toEqual([kustomization.namespace]);
  });

  it('runs every service of the topology, and the sweeper, in exactly one Deployment', () => {
    const runBy = new Map<string, string[]>();
    for (const d of deployments) {
      expect(containerOf(d).args, d.metadata.name).not.toContain('--all');
      for (const s of servicesOf(d)) runBy.set(s, [...(runBy.get(s) ?? []), d.metadata.name]);
    }
    expect([...runBy.keys()].sort()).toEqual([...services].sort());
    for (const [service, by] of runBy) expect(by, service).toHaveLength(1);
  });

  it('probes /livez and /readyz on the port each container serves health on, on every interface', async () => {
    for (const d of deployments) {
      const c = containerOf(d);
      const env = envOf(c);
      const flag = c.args?.indexOf('--health-port') ?? -1;
      const port = flag >= 0 ? Number(c.args?.[flag + 1]) : Number(env.LAKERUNNER_HEALTH_PORT);
      expect(Number.isInteger(port), `${d.metadata.name} sets no health port`).toBe(true);
      // The kubelet probes the pod's address; the server's default host is loopback.
      expect(env.LAKERUNNER_HEALTH_HOST, d.metadata.name).toBe('0.0.0.0');
      const portOf = (p: number | string | undefined) =>
        typeof p === 'number' ? p : c.ports?.find((x) => x.name === p)?.containerPort;
      const probes = { livenessProbe: '/livez', readinessProbe: '/readyz', startupProbe: '/livez' } as const;
      for (const [key, path] of Object.entries(probes)) {
        const probe = c[key as keyof typeof probes];
        expect(probe?.httpGet?.path, `${d.metadata.name} ${key}`).toBe(path);
        expect(portOf(probe?.httpGet?.port), `${d.metadata.name} ${key}`).toBe(port);
      }
      const { config } = await effectiveConfig(CONFIG_FILE, env);
      expect(config.runtime.healthPort ?? port).toBe(port);
      // The health server starts after start-up, which may retry for startupTimeoutMs.
      const startup = c.startupProbe as Probe;
      const budget = (startup.periodSeconds ?? 10) * (startup.failureThreshold ?? 3);
      expect(budget * 1000, d.metadata.name).toBeGreaterThan(config.runtime.startupTimeoutMs);
      // SIGTERM waits stopTimeoutMs for work in hand; the kubelet must not SIGKILL before.
      const grace = podOf(d).terminationGracePeriodSeconds ?? 30;
      expect(grace * 1000, d.metadata.name).toBeGreaterThan(config.runtime.stopTimeoutMs);
    }
  });

  it('gives every container a pinned image, resources, a non-root read-only sandbox and the config', async () => {
    const image = containerOf(workloads[0] as Resource).image;
    expectPinned(image);
    expect(kustomization.images?.map((i) => i.name)).toEqual([image.split(':')[0]]);
    for (const w of workloads) {
      const c = containerOf(w);
      const pod = podOf(w);
      expect(c.image, w.metadata.name).toBe(image);
      for (const kind of ['requests', 'limits'] as const) {
        expect(c.resources?.[kind]?.cpu, `${w.metadata.name} ${kind}`).toBeDefined();
        expect(c.resources?.[kind]?.memory, `${w.metadata.name} ${kind}`).toBeDefined();
      }
      expect(pod.securityContext?.runAsNonRoot, w.metadata.name).toBe(true);
      expect(c.securityContext?.readOnlyRootFilesystem, w.metadata.name).toBe(true);
      expect(c.securityContext?.allowPrivilegeEscalation, w.metadata.name).toBe(false);
      expect(c.securityContext?.capabilities?.drop, w.metadata.name).toEqual(['ALL']);
      // LAKERUNNER_CONFIG names lakerunner.yaml inside the mounted lakerunner-config ConfigMap.
      const env = envOf(c);
      const configVolume = pod.volumes?.find((v) => v.configMap?.name === 'lakerunner-config')?.name;
      const mount = c.volumeMounts?.find((m) => m.name === configVolume)?.mountPath;
      expect(mount, w.metadata.name).toBeDefined();
      expect(env.LAKERUNNER_CONFIG, w.metadata.name).toBe(posix.join(mount as string, 'lakerunner.yaml'));
      // Every LAKERUNNER_* variable is one the config knows (a typo would silently do nothing).
      const { unknown } = await effectiveConfig(CONFIG_FILE, env);
      expect(unknown, w.metadata.name).toEqual([]);
      const labels = w.spec?.template?.metadata?.labels ?? {};
      for (const [k, v] of Object.entries(w.spec?.selector?.matchLabels ?? {})) expect(labels[k]).toBe(v);
    }
  });

  it('creates the topics with a topics-sync Job', () => {
    expect(jobs.map((j) => containerOf(j).args)).toEqual([['topics', 'sync']]);
    expect(['OnFailure', 'Never']).toContain(podOf(jobs[0] as Resource).restartPolicy);
  });

  it("scales every worker Deployment with KEDA on its consumer groups' lag", async () => {
    const { config } = await effectiveConfig(CONFIG_FILE, {});
    const byTopic = new Map(topics.map((t) => [t.topic, t]));
    const deploymentByName = new Map(deployments.map((d) => [d.metadata.name, d]));
    const targets = new Set<string>();
    for (const so of scaledObjects) {
      expect(so.apiVersion).toBe('keda.sh/v1alpha1');
      const ref = so.spec?.scaleTargetRef;
      expect(ref?.kind ?? 'Deployment').toBe('Deployment');
      const target = deploymentByName.get(ref?.name ?? '');
      expect(target, `${so.metadata.name} targets ${ref?.name}`).toBeDefined();
      expect(targets.has(ref?.name ?? ''), `${ref?.name} has two ScaledObjects`).toBe(false);
      targets.add(ref?.name ?? '');
      // A Deployment's replicas field would fight KEDA on every re-apply.
      expect(target?.spec?.replicas, ref?.name).toBeUndefined();
      const run = servicesOf(target as Resource);
      const triggers = so.spec?.triggers ?? [];
      expect(triggers.length).toBeGreaterThan(0);
      for (const trigger of triggers) {
        expect(trigger.type).toBe('kafka');
        const m = trigger.metadata;
        // KEDA's trigger metadata is a map of strings.
        for (const [k, v] of Object.entries(m)) expect(typeof v, `${so.metadata.name} ${k}`).toBe('string');
        expect(m.bootstrapServers).toBe(config.kafka.brokers.join(','));
        const topic = byTopic.get(String(m.topic));
        expect(topic, `${so.metadata.name}: topic ${m.topic}`).toBeDefined();
        expect(m.consumerGroup, so.metadata.name).toBe(topic?.consumerGroup);
        expect(run, so.metadata.name).toContain(topic?.readerService);
        expect(Number(m.lagThreshold)).toBeGreaterThan(0);
        const reader = topic?.readerService ?? '';
        const partitions =
          config.kafkaTopics.services[reader]?.partitionCount ?? config.kafkaTopics.defaults.partitionCount;
        // A member past the partition count gets no partition.
        expect(so.spec?.maxReplicaCount ?? 100, so.metadata.name).toBeLessThanOrEqual(partitions);
      }
      expect(so.spec?.minReplicaCount ?? 0).toBeLessThanOrEqual(so.spec?.maxReplicaCount ?? 100);
      // Every worker service the Deployment runs has a trigger on its own group.
      const watched = new Set(triggers.map((t) => byTopic.get(String(t.metadata.topic))?.readerService));
      for (const s of run) if (isWorker(s)) expect(watched.has(s), `${ref?.name}: ${s}`).toBe(true);
    }
    for (const d of deployments) {
      if (servicesOf(d).some(isWorker)) expect(targets.has(d.metadata.name), d.metadata.name).toBe(true);
    }
  });

  it('names only files that exist', () => {
    for (const file of kustomization.resources) expect(existsSync(join(DIR, file)), file).toBe(true);
  });
});

/** Workers read a stage's work-unit topic (<prefix>.segments.<signal>.<stage>); boxers and pubsub do not. */
function isWorker(service: string): boolean {
  return topics.some((t) => t.readerService === service && /\.segments\./.test(t.topic));
}
