import type { Admin } from 'kafkajs';
import { waitForTopicLeaders } from '../../packages/core/src/index.js';

/** Creates topics and returns once every partition has a leader. */
export async function createTopics(admin: Admin, topics: { topic: string; numPartitions: number }[]) {
  await admin.createTopics({ waitForLeaders: false, topics });
  await waitForTopicLeaders(
    admin,
    topics.map((t) => t.topic),
  );
}
