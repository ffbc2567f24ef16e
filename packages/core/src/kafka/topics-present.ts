import { LakerunnerError } from '../errors.js';
import type { Service } from '../runtime/service.js';
import type { TopicRegistry } from '../topics/registry.js';
import type { Admin } from './kafkajs.js';

/**
 * Fails start-up with LR_TOPICS_MISSING when a topic the services read or write does not exist,
 * instead of a broker error mid-run: topics are created by `lakerunner topics sync`, never
 * implicitly (auto-created topics get the broker's defaults, not the deployment's).
 */
export async function requireTopics(admin: Admin, services: readonly Service[], registry: TopicRegistry) {
  const names = new Set(services.map((s) => s.name));
  const needed = new Set<string>();
  for (const b of registry.bindings) {
    if (names.has(b.reader) || b.writers.some((w) => names.has(w))) needed.add(b.topic);
  }
  if (needed.size === 0) return;
  for (const t of registry.systemTopics) needed.add(t.topic);
  const existing = new Set(await admin.listTopics());
  const missing = [...needed].filter((t) => !existing.has(t)).sort();
  if (missing.length > 0) {
    throw new LakerunnerError(
      'LR_TOPICS_MISSING',
      `${missing.length} topic(s) of the deployment do not exist (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}); run \`lakerunner topics sync\` first`,
    );
  }
}
