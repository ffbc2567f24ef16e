import { type Admin, AssignerProtocol } from './kafkajs.js';

/** Offsets and membership of topics and consumer groups, as the admin API reports them. */
export interface PartitionRange {
  partition: number;
  /** First offset still in the log. */
  low: bigint;
  /** High-water mark: the offset the next message will get. */
  high: bigint;
}

export async function partitionRanges(admin: Admin, topic: string): Promise<PartitionRange[]> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets
    .map((o) => ({ partition: o.partition, low: BigInt(o.low), high: BigInt(o.high) }))
    .sort((a, b) => a.partition - b.partition);
}

/** Committed offset per partition of `topic` for `groupId`; null where the group never committed. */
export async function committedOffsets(
  admin: Admin,
  groupId: string,
  topic: string,
): Promise<Map<number, bigint | null>> {
  const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return new Map(
    (entry?.partitions ?? []).map((p) => [p.partition, p.offset === '-1' ? null : BigInt(p.offset)]),
  );
}

export interface GroupMember {
  memberId: string;
  clientId: string;
  clientHost: string;
  /** topic → partitions assigned to this member */
  assignment: Record<string, number[]>;
}

export interface GroupDescription {
  groupId: string;
  state: string;
  protocolType: string;
  members: GroupMember[];
}

export async function describeGroups(
  admin: Admin,
  groupIds: readonly string[],
): Promise<Map<string, GroupDescription>> {
  if (groupIds.length === 0) return new Map();
  const { groups } = await admin.describeGroups([...groupIds]);
  return new Map(
    groups.map((g) => [
      g.groupId,
      {
        groupId: g.groupId,
        state: g.state,
        protocolType: g.protocolType,
        members: g.members.map((m) => ({
          memberId: m.memberId,
          clientId: m.clientId,
          clientHost: m.clientHost.replace(/^\//, ''),
          assignment: decodeAssignment(m.memberAssignment),
        })),
      },
    ]),
  );
}

function decodeAssignment(buffer: Buffer): Record<string, number[]> {
  if (!buffer || buffer.length === 0) return {};
  try {
    const assignment = AssignerProtocol.MemberAssignment.decode(buffer)?.assignment ?? {};
    return Object.fromEntries(
      Object.entries(assignment).map(([t, ps]) => [t, [...ps].sort((a, b) => a - b)]),
    );
  } catch {
    return {};
  }
}

/** A short, human label for a member: its client id and host. */
export function memberLabel(member: GroupMember): string {
  return `${member.clientId}@${member.clientHost}`;
}

/** Which member holds each partition of `topic`. */
export function partitionOwners(
  group: GroupDescription | undefined,
  topic: string,
): Map<number, GroupMember> {
  const owners = new Map<number, GroupMember>();
  for (const member of group?.members ?? []) {
    for (const partition of member.assignment[topic] ?? []) owners.set(partition, member);
  }
  return owners;
}
