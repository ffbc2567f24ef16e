import { describe, expect, it } from 'vitest';
import { compactBoxerPolicy, ingestBoxerPolicy } from '../../src/plugin/boxer-policy.js';
import { defineSignalPlugin } from '../../src/plugin/signal-plugin.js';
import { runnableServices } from '../../src/runtime/compose.js';
import { buildTopicRegistry } from '../../src/topics/registry.js';
import { metrics } from '../fixtures.js';

describe('runnableServices', () => {
  it('starts what plugins can run and names what they cannot, with the reason', () => {
    const handler = async () => ({ outputs: [], failures: [] });
    const logs = defineSignalPlugin({
      name: 'logs-impl',
      signal: 'logs',
      core: '*',
      stages: {
        ingest: { feeds: ['compact'], boxer: ingestBoxerPolicy(), handler },
        compact: { feeds: ['compact'], boxer: compactBoxerPolicy(), handler },
      },
    });
    const registry = buildTopicRegistry([logs, metrics], 'p');
    const { runnable, notRunnable } = runnableServices(registry, [logs, metrics]);
    expect(runnable).toEqual([
      'pubsub',
      'boxer-ingest-logs',
      'boxer-compact-logs',
      'ingest-logs',
      'compact-logs',
      'sweeper',
    ]);
    expect(notRunnable.map((s) => s.name)).toEqual([
      'boxer-ingest-metrics',
      'boxer-compact-metrics',
      'boxer-rollup-metrics',
      'ingest-metrics',
      'compact-metrics',
      'rollup-metrics',
    ]);
    expect(notRunnable[3]?.reason).toBe('test-metrics provides no handler for metrics ingest');
  });
});
