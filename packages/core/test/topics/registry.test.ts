import { describe, expect, it } from 'vitest';
import { logsPlugin } from '../../../plugin-logs/src/index.js';
import { metricsPlugin } from '../../../plugin-metrics/src/index.js';
import { tracesPlugin } from '../../../plugin-traces/src/index.js';
import { defineSignalPlugin } from '../../src/plugin/signal-plugin.js';
import { buildTopicRegistry } from '../../src/topics/registry.js';
import { logs, metrics, traces } from '../fixtures.js';

/** reference/KAFKA.md, row by row: topic, consumer group, reader service. */
const SPEC = [
  ['objstore.ingest.logs', 'ingest.logs', 'boxer-ingest-logs'],
  ['objstore.ingest.metrics', 'ingest.metrics', 'boxer-ingest-metrics'],
  ['objstore.ingest.traces', 'ingest.traces', 'boxer-ingest-traces'],
  ['segments.logs.ingest', 'segments.logs.ingest', 'ingest-logs'],
  ['segments.metrics.ingest', 'segments.metrics.ingest', 'ingest-metrics'],
  ['segments.traces.ingest', 'segments.traces.ingest', 'ingest-traces'],
  ['segments.logs.compact', 'compact.logs', 'compact-logs'],
  ['segments.metrics.compact', 'compact.metrics', 'compact-metrics'],
  ['segments.traces.compact', 'compact.traces', 'compact-traces'],
  ['segments.metrics.rollup', 'rollup.metrics', 'rollup-metrics'],
  ['boxer.logs.compact', 'boxer.logs.compact', 'boxer-compact-logs'],
  ['boxer.metrics.compact', 'boxer.metrics.compact', 'boxer-compact-metrics'],
  ['boxer.traces.compact', 'boxer.traces.compact', 'boxer-compact-traces'],
  ['boxer.metrics.rollup', 'boxer.metrics.rollup', 'boxer-rollup-metrics'],
] as const;

const WRITERS: Record<string, string[]> = {
  'objstore.ingest.logs': ['pubsub'],
  'objstore.ingest.metrics': ['pubsub'],
  'objstore.ingest.traces': ['pubsub'],
  'segments.logs.ingest': ['boxer-ingest-logs'],
  'segments.metrics.ingest': ['boxer-ingest-metrics'],
  'segments.traces.ingest': ['boxer-ingest-traces'],
  'segments.logs.compact': ['boxer-compact-logs'],
  'segments.metrics.compact': ['boxer-compact-metrics'],
  'segments.traces.compact': ['boxer-compact-traces'],
  'segments.metrics.rollup': ['boxer-rollup-metrics'],
  'boxer.logs.compact': ['ingest-logs', 'compact-logs'],
  'boxer.metrics.compact': ['ingest-metrics', 'compact-metrics', 'rollup-metrics'],
  'boxer.traces.compact': ['ingest-traces', 'compact-traces'],
  'boxer.metrics.rollup': ['ingest-metrics', 'rollup-metrics'],
};

function rows(prefix: string) {
  return buildTopicRegistry([logs, metrics, traces], prefix).bindings.map((b) => [
    b.topic,
    b.consumerGroup,
    b.reader,
  ]);
}

describe('topic registry', () => {
  it('yields exactly the 14 topics and groups of the specification for the default prefix', () => {
    expect(rows('lakerunner')).toEqual(
      SPEC.map(([topic, group, reader]) => [`lakerunner.${topic}`, `lakerunner.${group}`, reader]),
    );
    const registry = buildTopicRegistry([logs, metrics, traces], 'lakerunner');
    expect(new Set(registry.bindings.map((b) => b.consumerGroup)).size).toBe(14);
  });

  it('prefixes every topic and group with a custom prefix', () => {
    expect(rows('acme-prod')).toEqual(
      SPEC.map(([topic, group, reader]) => [`acme-prod.${topic}`, `acme-prod.${group}`, reader]),
    );
  });

  it('derives the writer services of every topic from the stage declarations', () => {
    const registry = buildTopicRegistry([logs, metrics, traces], 'lakerunner');
    expect(Object.fromEntries(registry.bindings.map((b) => [b.key, b.writers]))).toEqual(WRITERS);
  });

  it('is what the official plugin packages declare', () => {
    const official = buildTopicRegistry([logsPlugin, metricsPlugin, tracesPlugin], 'lakerunner');
    const fixture = buildTopicRegistry([logs, metrics, traces], 'lakerunner');
    expect(official.bindings).toEqual(fixture.bindings);
  });

  it('gives a fourth signal its own topics, groups and services by the same rules', () => {
    const events = defineSignalPlugin({
      name: 'events-plugin',
      signal: 'events',
      core: '*',
      stages: {
        ingest: { feeds: ['compact', 'enrich'] },
        compact: { feeds: ['compact'] },
        enrich: { feeds: ['compact'] },
      },
    });
    const registry = buildTopicRegistry([logs, metrics, traces, events], 'lakerunner');
    const mine = registry.bindings
      .filter((b) => b.signal === 'events')
      .map((b) => [b.topic, b.consumerGroup, b.reader, b.writers]);
    expect(mine).toEqual([
      ['lakerunner.objstore.ingest.events', 'lakerunner.ingest.events', 'boxer-ingest-events', ['pubsub']],
      [
        'lakerunner.segments.events.ingest',
        'lakerunner.segments.events.ingest',
        'ingest-events',
        ['boxer-ingest-events'],
      ],
      [
        'lakerunner.segments.events.compact',
        'lakerunner.compact.events',
        'compact-events',
        ['boxer-compact-events'],
      ],
      [
        'lakerunner.segments.events.enrich',
        'lakerunner.enrich.events',
        'enrich-events',
        ['boxer-enrich-events'],
      ],
      [
        'lakerunner.boxer.events.compact',
        'lakerunner.boxer.events.compact',
        'boxer-compact-events',
        ['ingest-events', 'compact-events', 'enrich-events'],
      ],
      [
        'lakerunner.boxer.events.enrich',
        'lakerunner.boxer.events.enrich',
        'boxer-enrich-events',
        ['ingest-events'],
      ],
    ]);
    // The official signals are untouched by the newcomer.
    expect(registry.bindings.filter((b) => b.signal !== 'events')).toHaveLength(14);
  });

  it('describes each service with what it consumes and produces', () => {
    const registry = buildTopicRegistry([logs, metrics, traces], 'lakerunner');
    expect(registry.service('pubsub')).toMatchObject({
      role: 'pubsub',
      consumes: [],
      produces: ['objstore.ingest.logs', 'objstore.ingest.metrics', 'objstore.ingest.traces'],
    });
    expect(registry.service('rollup-metrics')).toMatchObject({
      role: 'worker',
      signal: 'metrics',
      stage: 'rollup',
      consumes: ['segments.metrics.rollup'],
      produces: ['boxer.metrics.compact', 'boxer.metrics.rollup'],
    });
    expect(registry.service('boxer-ingest-logs')).toMatchObject({
      role: 'boxer',
      consumes: ['objstore.ingest.logs'],
      produces: ['segments.logs.ingest'],
    });
    // 1 pubsub + 7 boxers + 7 workers
    expect(registry.services).toHaveLength(15);
  });

  it('finds bindings by full topic name or by prefix-less key', () => {
    const registry = buildTopicRegistry([logs, metrics, traces], 'p');
    expect(registry.find('p.segments.logs.ingest')?.reader).toBe('ingest-logs');
    expect(registry.find('segments.logs.ingest')?.topic).toBe('p.segments.logs.ingest');
    expect(registry.find('nope')).toBeUndefined();
  });
});
