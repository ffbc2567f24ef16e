import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin } from './kafkajs.js';

/**
 * Waits until every partition of `topics` has a leader. kafkajs' own `waitForLeaders` gives up
 * after a few retries, and a freshly created topic can take longer than that to show up in the
 * metadata of a busy or just-started broker ("This server does not host this topic-partition").
 */
export async function waitForTopicLeaders(
  admin: Admin,
  topics: readonly string[],
  { timeoutMs = 60_000, intervalMs = 200 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  if (topics.length === 0) return;
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no metadata yet';
  while (Date.now() < deadline) {
    try {
      const { topics: described } = await admin.fetchTopicMetadata({ topics: [...topics] });
      const leaderless = described.filter(
        (t) => t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0),
      );
      if (described.length === topics.length && leaderless.length === 0) return;
      lastProblem = `no leader yet for ${leaderless.map((t) => t.name).join(', ') || 'some topics'}`;
    } catch (err) {
      lastProblem = err instanceof Error ? err.message : String(err);
    }
    await sleep(intervalMs);
  }
  throw new Error(`topics not ready after ${timeoutMs} ms: ${lastProblem}`);
}
