import { LakerunnerError } from '../../../errors.js';
import type { Admin } from '../../../kafka/kafkajs.js';
import type { LagPair } from '../../../kafka/lag.js';
import type { TopicRegistry } from '../../../topics/registry.js';

export interface PairFilter {
  group?: string;
  topic?: string;
  /** Also consider consumer groups that are not part of the registry. */
  allGroups?: boolean;
}

/**
 * The topic/group pairs an operator asked about: the registry's, plus (with allGroups) every
 * other consumer group on the cluster with the topics it has committed on; then the substring
 * filters. Nothing matching is an error that says what exists.
 */
export async function selectPairs(
  admin: Admin,
  registry: TopicRegistry,
  filter: PairFilter,
): Promise<LagPair[]> {
  const pairs: LagPair[] = registry.bindings.map((b) => ({ topic: b.topic, consumerGroup: b.consumerGroup }));
  if (filter.allGroups) {
    const known = new Set(pairs.map((p) => p.consumerGroup));
    const { groups } = await admin.listGroups();
    for (const { groupId } of groups
      .filter((g) => !known.has(g.groupId))
      .sort((a, b) => a.groupId.localeCompare(b.groupId))) {
      for (const { topic } of await admin.fetchOffsets({ groupId }))
        pairs.push({ topic, consumerGroup: groupId });
    }
  }
  const selected = pairs.filter(
    (p) =>
      (!filter.group || p.consumerGroup.includes(filter.group)) &&
      (!filter.topic || p.topic.includes(filter.topic)),
  );
  if (selected.length === 0) {
    const asked = [filter.group && `--group "${filter.group}"`, filter.topic && `--topic "${filter.topic}"`]
      .filter(Boolean)
      .join(' and ');
    const scope = filter.allGroups ? 'on the cluster' : 'in the registry (add --all-groups for other groups)';
    throw new LakerunnerError(
      'LR_NO_MATCH',
      `no topic/group pair ${scope} matches ${asked || 'the filters'}`,
    );
  }
  return selected;
}
