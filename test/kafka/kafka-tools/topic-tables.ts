/**
 * What TopicCommand --describe and GetOffsetShell print, read back. TopicCommand prints one
 * tab-separated `Name: value` line per topic (then one per partition, indented); its Configs
 * lists only the topic's own settings and the broker's non-default ones, comma-separated, and a
 * value may itself hold commas (cleanup.policy=compact,delete). GetOffsetShell prints
 * `topic:partition:offset` lines.
 */
export interface DescribedTopic {
  partitionCount: number;
  replicationFactor: number;
  configs: Record<string, string>;
}

export function parseTopicDescribe(output: string): Map<string, DescribedTopic> {
  const topics = new Map<string, DescribedTopic>();
  for (const line of output.split('\n').filter((l) => l.startsWith('Topic:'))) {
    const fields = new Map(
      line.split('\t').map((field) => {
        const colon = field.indexOf(':');
        return [field.slice(0, colon).trim(), field.slice(colon + 1).trim()] as const;
      }),
    );
    topics.set(fields.get('Topic') ?? '', {
      partitionCount: Number(fields.get('PartitionCount')),
      replicationFactor: Number(fields.get('ReplicationFactor')),
      configs: parseConfigs(fields.get('Configs') ?? ''),
    });
  }
  return topics;
}

function parseConfigs(text: string): Record<string, string> {
  const configs: [string, string][] = [];
  for (const piece of text.split(',').filter(Boolean)) {
    const last = configs.at(-1);
    const equals = piece.indexOf('=');
    // A piece without a name= belongs to the value before it.
    if (equals < 0 && last) last[1] += `,${piece}`;
    else configs.push([piece.slice(0, equals), piece.slice(equals + 1)]);
  }
  return Object.fromEntries(configs);
}

/** `topic:partition` → offset. */
export function parseOffsets(output: string): Map<string, number> {
  const offsets = new Map<string, number>();
  for (const line of output.split('\n').filter(Boolean)) {
    const match = /^(.+):(\d+):(\d+)$/.exec(line.trim());
    if (!match) throw new Error(`not topic:partition:offset: ${line}`);
    offsets.set(`${match[1]}:${match[2]}`, Number(match[3]));
  }
  return offsets;
}
