import { type Logger, silentLogger } from '../logger.js';
import { encodeMessage } from '../messages/decode.js';
import type { ObjectNotification } from '../messages/object-notification.js';
import type { SignalPlugin } from '../plugin/signal-plugin.js';
import type { NotificationSource, ObjectEvent } from '../storage/object-store.js';
import type { TopicRegistry } from '../topics/registry.js';
import type { RuntimeMetrics } from './metrics.js';
import type { MessageProducer } from './producer.js';
import { type RouteRule, routeObject } from './routing.js';
import type { Service } from './service.js';

/**
 * pubsub: turns object-store events into notifications on `<p>.objstore.ingest.<signal>`. A
 * source's event is acknowledged only after Kafka acknowledged the notification (the handler
 * returns only then, and throws when the send failed, so the source redelivers).
 */
export interface PubsubOptions {
  registry: TopicRegistry;
  plugins: readonly SignalPlugin[];
  sources: readonly NotificationSource[];
  producer: MessageProducer;
  routes?: readonly RouteRule[];
  lakePrefix: string;
  log?: Logger;
  metrics?: RuntimeMetrics;
}

export interface PubsubStats {
  published: Record<string, number>;
  skipped: Record<string, number>;
}

export interface PubsubService extends Service {
  stats(): PubsubStats;
  /** Handles one event as the sources do; for sources that live elsewhere (a webhook). */
  publish(event: ObjectEvent): Promise<void>;
}

export function createPubsub(options: PubsubOptions): PubsubService {
  const log = options.log ?? silentLogger;
  const signals = new Set(options.plugins.map((p) => p.signal));
  const stats: PubsubStats = { published: {}, skipped: {} };

  async function publish(event: ObjectEvent) {
    const route = routeObject(event.key, { signals, rules: options.routes, lakePrefix: options.lakePrefix });
    if (route.kind === 'skip') {
      stats.skipped[route.reason] = (stats.skipped[route.reason] ?? 0) + 1;
      options.metrics?.skipped.inc({ reason: route.reason });
      if (route.reason !== 'lakerunner output') {
        log.warn('object not routed', { bucket: event.bucket, key: event.key, reason: route.reason });
      }
      return;
    }
    const notification: ObjectNotification = {
      v: 1,
      type: 'object',
      org: route.org,
      signal: route.signal,
      ...(route.collector ? { collector: route.collector } : {}),
      bucket: event.bucket,
      key: event.key,
      size: event.size,
      version: event.version,
      receivedAt: new Date().toISOString(),
    };
    const binding = options.registry.find(`objstore.ingest.${route.signal}`);
    const policy = options.plugins.find((p) => p.signal === route.signal)?.stages.ingest?.boxer;
    if (!binding) throw new Error(`no objstore topic for signal ${route.signal}`);
    await options.producer.send(binding.topic, [
      {
        key: policy ? policy.groupKey(notification) : route.org,
        value: encodeMessage(notification),
        headers: { organization_id: route.org },
      },
    ]);
    stats.published[route.signal] = (stats.published[route.signal] ?? 0) + 1;
    options.metrics?.published.inc({ signal: route.signal });
  }

  return {
    name: 'pubsub',
    async start() {
      for (const source of options.sources) await source.start(publish);
    },
    async stop() {
      for (const source of options.sources) await source.stop();
    },
    stats: () => structuredClone(stats),
    publish,
  };
}
