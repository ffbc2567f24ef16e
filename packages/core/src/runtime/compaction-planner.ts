import type { Catalog, SegmentRow } from '../catalog/catalog.js';
import { segmentNotification } from '../messages/segment-notification.js';
import type { SignalPlugin } from '../plugin/signal-plugin.js';
import type { TopicRegistry } from '../topics/registry.js';
import { groupBy } from '../util/group-by.js';
import type { MessageProducer } from './producer.js';

/**
 * A boxer sees each segment once, when it is written. A merging stage's group that ages out
 * with a single segment is dropped (compacting one segment gains nothing), and that segment is
 * never offered again: a day could keep several small live segments for good, each left alone
 * at a different time. This pass looks at the catalog instead: wherever a merging stage (one
 * that replaces its inputs and needs two or more of them) would still merge at least two live
 * segments of one group, it offers them to the stage's boxer again, as the worker that wrote
 * them did. Only segments older than twice the boxer's grouping window are offered, so those
 * still in an open group or a running unit are left to it; a segment offered twice is consumed
 * once (the catalog guards it), and a group offered again makes the same unit id.
 */
export async function offerUnmergedSegments(options: {
  catalog: Catalog;
  registry: TopicRegistry;
  producer: MessageProducer;
  plugin: SignalPlugin;
  now?: number;
}): Promise<{ offered: number; groups: number }> {
  const { plugin, registry } = options;
  const now = options.now ?? Date.now();
  let live: SegmentRow[] | undefined;
  let offered = 0;
  let groups = 0;
  for (const [stage, declaration] of Object.entries(plugin.stages)) {
    const policy = declaration.boxer;
    const binding = registry.find(`boxer.${plugin.signal}.${stage}`);
    if (!policy || !binding) continue;
    const merging = (declaration.consumes ?? 'replace') === 'replace' && (policy.minInputs ?? 1) >= 2;
    if (!merging) continue;
    live ??= await options.catalog.segments({ signal: plugin.signal });
    const settled = now - 2 * policy.maxAgeMs;
    const candidates = live
      .filter((s) => s.readers.includes(stage) && s.consumedBy[stage] === undefined)
      .filter((s) => s.createdAt.getTime() <= settled)
      .map((s) => segmentNotification(plugin.signal, stage, s))
      .filter((n) => policy.accepts?.(n) ?? true);
    for (const [key, members] of groupBy(candidates, (n) => policy.groupKey(n))) {
      if (members.length < Math.max(2, policy.minInputs ?? 2)) continue;
      await options.producer.send(
        binding.topic,
        members.map((n) => ({ key, value: JSON.stringify(n) })),
      );
      offered += members.length;
      groups++;
    }
  }
  return { offered, groups };
}
