import { CONTROL_TOPIC_KEY } from '../kafka/control.js';

export const DEADLETTER_TOPIC_KEY = 'deadletter';

import type { SignalPlugin } from '../plugin/signal-plugin.js';

/**
 * The topology of reference/KAFKA.md, derived from signal plugin declarations. For a signal `s`
 * and prefix `p`:
 *
 *   ingest stage      p.objstore.ingest.s  read by boxer-ingest-s  in group p.ingest.s
 *                     p.segments.s.ingest  read by ingest-s        in group p.segments.s.ingest
 *   any other stage t p.segments.s.t       read by t-s             in group p.t.s
 *                     p.boxer.s.t          read by boxer-t-s       in group p.boxer.s.t
 *
 * The irregular group names (p.ingest.s for the objstore topics, p.segments.s.ingest for the
 * ingest work topics) are the specification's, kept for offset continuity with existing
 * deployments.
 */

export type TopicKind = 'objstore' | 'segments' | 'boxer';

export interface TopicBinding {
  /** Topic name without the prefix, e.g. `segments.logs.ingest`; stable across prefixes. */
  key: string;
  topic: string;
  consumerGroup: string;
  /** The one service that consumes this topic, in `consumerGroup`. */
  reader: string;
  /** Services that produce to this topic. */
  writers: string[];
  signal: string;
  stage: string;
  kind: TopicKind;
}

export type ServiceRole = 'pubsub' | 'boxer' | 'worker';

export interface ServiceDescriptor {
  name: string;
  role: ServiceRole;
  signal?: string;
  stage?: string;
  /** Keys of the topics it consumes (none for pubsub). */
  consumes: string[];
  /** Keys of the topics it produces to. */
  produces: string[];
}

/** Topics of the runtime itself rather than of a signal's pipeline; no consumer group reads them. */
export interface SystemTopic {
  key: string;
  topic: string;
  description: string;
  partitions: number;
  configs: Readonly<Record<string, string>>;
}

export interface TopicRegistry {
  prefix: string;
  bindings: readonly TopicBinding[];
  systemTopics: readonly SystemTopic[];
  services: readonly ServiceDescriptor[];
  /** Looks a binding up by full topic name or by prefix-less key. */
  find(topicOrKey: string): TopicBinding | undefined;
  /** Full name of a system topic by key (control, deadletter). */
  systemTopic(key: string): string;
  service(name: string): ServiceDescriptor | undefined;
}

export const PUBSUB_SERVICE = 'pubsub';

export const boxerService = (signal: string, stage: string) => `boxer-${stage}-${signal}`;
export const workerService = (signal: string, stage: string) => `${stage}-${signal}`;

function bindingsFor(plugin: SignalPlugin, prefix: string): TopicBinding[] {
  const { signal } = plugin;
  const stages = Object.keys(plugin.stages);
  const feeders = (target: string) =>
    stages
      .filter((from) => plugin.stages[from]?.feeds.includes(target))
      .map((from) => workerService(signal, from));
  const make = (
    kind: TopicKind,
    stage: string,
    key: string,
    groupKey: string,
    reader: string,
    writers: string[],
  ): TopicBinding => ({
    key,
    topic: `${prefix}.${key}`,
    consumerGroup: `${prefix}.${groupKey}`,
    reader,
    writers,
    signal,
    stage,
    kind,
  });

  const out: TopicBinding[] = [];
  for (const stage of stages) {
    const boxer = boxerService(signal, stage);
    const worker = workerService(signal, stage);
    if (stage === 'ingest') {
      out.push(
        make('objstore', stage, `objstore.ingest.${signal}`, `ingest.${signal}`, boxer, [PUBSUB_SERVICE]),
        make('segments', stage, `segments.${signal}.ingest`, `segments.${signal}.ingest`, worker, [boxer]),
      );
    } else {
      const boxerKey = `boxer.${signal}.${stage}`;
      out.push(
        make('segments', stage, `segments.${signal}.${stage}`, `${stage}.${signal}`, worker, [boxer]),
        make('boxer', stage, boxerKey, boxerKey, boxer, feeders(stage)),
      );
    }
  }
  return out;
}

const KIND_ORDER: Record<TopicKind, number> = { objstore: 0, segments: 1, boxer: 2 };

/**
 * Builds the registry for the given plugins. Bindings are ordered as in the specification:
 * objstore topics, then work topics stage by stage, then boxer topics stage by stage; signals
 * keep their registration order within each group.
 */
export function buildTopicRegistry(plugins: readonly SignalPlugin[], prefix: string): TopicRegistry {
  const stageRank = new Map<string, number>([
    ['ingest', 0],
    ['compact', 1],
  ]);
  for (const plugin of plugins) {
    for (const stage of Object.keys(plugin.stages)) {
      if (!stageRank.has(stage)) stageRank.set(stage, stageRank.size);
    }
  }
  const signalRank = new Map(plugins.map((p, i) => [p.signal, i]));
  const bindings = plugins
    .flatMap((plugin) => bindingsFor(plugin, prefix))
    .sort(
      (a, b) =>
        KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
        (stageRank.get(a.stage) ?? 0) - (stageRank.get(b.stage) ?? 0) ||
        (signalRank.get(a.signal) ?? 0) - (signalRank.get(b.signal) ?? 0),
    );

  const services = describeServices(bindings);
  const byTopic = new Map(bindings.flatMap((b) => [[b.topic, b] as const, [b.key, b] as const]));
  const byService = new Map(services.map((s) => [s.name, s]));
  const systemTopics: SystemTopic[] = [
    {
      key: CONTROL_TOPIC_KEY,
      topic: `${prefix}.control`,
      description: 'operator requests to running services (live flush) and their acknowledgements',
      // One partition keeps requests and acknowledgements in one order for every reader.
      partitions: 1,
      configs: { 'retention.ms': String(24 * 60 * 60 * 1000) },
    },
    {
      key: DEADLETTER_TOPIC_KEY,
      topic: `${prefix}.deadletter`,
      description: 'inputs and messages that could not be processed, with the reason and original bytes',
      // Rare and read by people: one partition keeps it in arrival order.
      partitions: 1,
      configs: { 'retention.ms': String(30 * 24 * 60 * 60 * 1000) },
    },
  ];
  return {
    prefix,
    bindings,
    systemTopics,
    services,
    find: (topicOrKey) => byTopic.get(topicOrKey),
    systemTopic: (key) => {
      const found = systemTopics.find((t) => t.key === key);
      if (!found) throw new Error(`no system topic "${key}"`);
      return found.topic;
    },
    service: (name) => byService.get(name),
  };
}

function describeServices(bindings: readonly TopicBinding[]): ServiceDescriptor[] {
  const services = new Map<string, ServiceDescriptor>();
  const get = (name: string, binding?: TopicBinding): ServiceDescriptor => {
    let s = services.get(name);
    if (!s) {
      const role: ServiceRole =
        name === PUBSUB_SERVICE ? 'pubsub' : name.startsWith('boxer-') ? 'boxer' : 'worker';
      s = { name, role, consumes: [], produces: [] };
      if (binding && role !== 'pubsub') {
        s.signal = binding.signal;
        s.stage = binding.stage;
      }
      services.set(name, s);
    }
    return s;
  };
  for (const b of bindings) get(b.reader, b).consumes.push(b.key);
  for (const b of bindings) for (const w of b.writers) get(w, b).produces.push(b.key);
  const rank = (s: ServiceDescriptor) => (s.role === 'pubsub' ? 0 : s.role === 'boxer' ? 1 : 2);
  return [...services.values()].sort((a, b) => rank(a) - rank(b));
}
