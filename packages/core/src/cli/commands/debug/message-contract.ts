import type { z } from 'zod';
import { CONTROL_TOPIC_KEY, controlMessageSchema } from '../../../kafka/control.js';
import { deadLetterSchema } from '../../../messages/dead-letter.js';
import { objectNotificationSchema } from '../../../messages/object-notification.js';
import { segmentNotificationSchema } from '../../../messages/segment-notification.js';
import { workUnitSchema } from '../../../messages/work-unit.js';
import { DEADLETTER_TOPIC_KEY, type TopicRegistry } from '../../../topics/registry.js';

/**
 * The message contract of a topic of this project, so that `tail` names a payload after it only
 * when the payload fulfils it: anything else on the topic (a stray test message, a message the
 * services would dead-letter) is shown as plain JSON, with what is wrong with it.
 */
export interface Contract {
  label: string;
  schema: z.ZodType;
}

const BY_KIND = {
  objstore: { label: 'object notification', schema: objectNotificationSchema },
  segments: { label: 'work unit', schema: workUnitSchema },
  boxer: { label: 'segment notification', schema: segmentNotificationSchema },
} satisfies Record<string, Contract>;

const BY_SYSTEM_KEY: Record<string, Contract> = {
  [CONTROL_TOPIC_KEY]: { label: 'control message', schema: controlMessageSchema },
  [DEADLETTER_TOPIC_KEY]: { label: 'dead-letter record', schema: deadLetterSchema },
};

export function contractOf(topic: string, registry: TopicRegistry): Contract | undefined {
  const binding = registry.find(topic);
  if (binding?.topic === topic) return BY_KIND[binding.kind];
  const system = registry.systemTopics.find((t) => t.topic === topic);
  return system ? BY_SYSTEM_KEY[system.key] : undefined;
}

/** The label when `json` fulfils the contract; otherwise why not, for the plain-JSON heading. */
export function judge(contract: Contract, json: unknown): { label: string } | { problem: string } {
  const parsed = contract.schema.safeParse(json);
  if (parsed.success) return { label: contract.label };
  const [first] = parsed.error.issues;
  const where = first?.path.length ? `${first.path.join('.')}: ` : '';
  return { problem: `not a valid ${contract.label}: ${where}${first?.message ?? 'invalid'}` };
}
