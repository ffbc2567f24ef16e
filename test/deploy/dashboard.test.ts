import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHealthCheck,
  createRuntimeMetrics,
  type HealthServer,
  startHealthServer,
} from '../../packages/core/src/index.js';
import { DEPLOY, readText } from './deploy-files.js';

/**
 * deploy/grafana/lakerunner-dashboard.json against what a lakerunner process really serves: a
 * health server started through the public API, as `lakerunner run` starts it, scraped at
 * /metrics. Every lakerunner_* series and label a query uses must be there; the one metric from
 * elsewhere (consumer lag) must say where it comes from.
 */

interface Target {
  expr: string;
  legendFormat?: string;
  datasource?: { type?: string; uid?: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  description?: string;
  datasource?: { type?: string; uid?: string };
  gridPos: { h: number; w: number; x: number; y: number };
  targets?: Target[];
  panels?: Panel[];
}
interface Variable {
  type: string;
  name: string;
  query?: string | { query: string };
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: Variable[] };
}

/** The only metrics not served by lakerunner itself, with the exporter that serves them. */
const EXTERNAL: Record<string, string> = { kafka_consumergroup_lag: 'kafka-exporter' };
/** Labels Prometheus adds to every scraped series. */
const TARGET_LABELS = new Set(['instance', 'job']);
const GRAFANA_VARIABLES = new Set(['__rate_interval', '__interval', '__range', '__range_s']);

const dashboard = JSON.parse(readText(join(DEPLOY, 'grafana/lakerunner-dashboard.json'))) as Dashboard;
const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
const graphs = panels.filter((p) => p.type !== 'row');
const variables = dashboard.templating.list;
const queries = [
  ...graphs.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p, target: t, expr: t.expr }))),
  ...variables
    .filter((v) => v.type === 'query')
    .map((v) => ({
      panel: undefined,
      target: undefined,
      expr: typeof v.query === 'string' ? v.query : (v.query?.query ?? ''),
    })),
];

/** Series names (with histogram and summary suffixes) → the labels seen on them. */
async function scrape(server: HealthServer): Promise<Map<string, Set<string>>> {
  const text = await (await fetch(`http://127.0.0.1:${server.port()}/metrics`)).text();
  const series = new Map<string, Set<string>>();
  const add = (name: string, labels: string[] = []) => {
    const set = series.get(name) ?? new Set<string>();
    for (const l of labels) set.add(l);
    series.set(name, set);
  };
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) {
      const [, name = '', kind] = type;
      if (kind === 'histogram') for (const s of ['_bucket', '_sum', '_count']) add(`${name}${s}`);
      else if (kind === 'summary') for (const s of ['', '_sum', '_count']) add(`${name}${s}`);
      else add(name);
      // OpenMetrics names a counter's family without the suffix its samples carry.
      if (kind === 'counter' && !name.endsWith('_total')) add(`${name}_total`);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s/.exec(line);
    if (sample)
      add(
        sample[1] ?? '',
        [...(sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)].map((m) => m[1] ?? ''),
      );
  }
  return series;
}

/** The expression without its string literals (label values, regexes), which name no metric. */
const code = (expr: string) => expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
/** Metric names: identifiers outside label matchers, ranges and groupings that call nothing. */
const metricsIn = (expr: string) =>
  [
    ...code(expr)
      .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
      .replace(/\{[^}]*\}/g, '{}')
      .replace(/\[[^\]]*\]/g, '[]')
      .matchAll(/(?<![$\w])([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g),
  ]
    .map((m) => m[1] ?? '')
    .filter((name) => name.includes('_') && !name.startsWith('__'));
const groupingLabels = (expr: string) =>
  [...code(expr).matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)].flatMap((m) =>
    (m[1] ?? '')
      .split(',')
      .map((l) => l.trim())
      .filter(Boolean),
  );
const matcherLabels = (expr: string) =>
  [...code(expr).matchAll(/\{([^}]*)\}/g)].flatMap((m) =>
    [...(m[1] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)].map((x) => x[1] ?? ''),
  );

let server: HealthServer;
let series: Map<string, Set<string>>;

beforeAll(async () => {
  const metrics = createRuntimeMetrics({ processMetrics: true });
  // Labelled counters show no sample until counted: count each once, with every label.
  metrics.workUnits.inc({ service: 'ingest-logs', outcome: 'committed' });
  metrics.records.inc({ service: 'ingest-logs' }, 10);
  metrics.unitsEmitted.inc({ service: 'boxer-ingest-logs' });
  metrics.deadLetters.inc({ service: 'ingest-logs', code: 'LR_INPUT_CORRUPT' });
  metrics.retries.inc({ service: 'ingest-logs', code: 'LR_STORE_UNAVAILABLE' });
  metrics.storageRefused.inc({ store: 'fs', reason: 'symlink' });
  metrics.sourceSkipped.inc({ source: 'fs', reason: 'hidden' });
  metrics.published.inc({ signal: 'logs' });
  metrics.skipped.inc({ reason: 'unroutable' });
  // Garbage, so the GC histogram has observations (and so labels) to show.
  let keep = 0;
  for (let i = 0; i < 200; i++) keep += new Array(50_000).fill(i).length;
  expect(keep).toBeGreaterThan(0);
  await sleep(200);
  server = await startHealthServer({
    port: 0,
    health: createHealthCheck({ probes: {}, ready: () => true }),
    registry: metrics.registry,
  });
  series = await scrape(server);
});

afterAll(async () => {
  await server?.close();
});

describe('deploy/grafana/lakerunner-dashboard.json', () => {
  it('queries only lakerunner_* series a lakerunner process serves, and the documented external one', () => {
    expect(queries.length).toBeGreaterThan(0);
    const used = new Set<string>();
    for (const { expr } of queries) {
      for (const name of metricsIn(expr)) {
        used.add(name);
        if (name in EXTERNAL) continue;
        expect(name, expr).toMatch(/^lakerunner_/);
        expect(series.has(name), `${name} is not served at /metrics`).toBe(true);
      }
    }
    // Every lakerunner counter appears somewhere on the dashboard.
    const counters = [...series.keys()].filter(
      (n) => n.startsWith('lakerunner_') && n.endsWith('_total') && !/process_|nodejs_/.test(n),
    );
    for (const counter of counters) expect(used.has(counter), `${counter} is on no panel`).toBe(true);
  });

  it('groups, filters and names legends by labels the series have', () => {
    for (const { expr, target } of queries) {
      const names = metricsIn(expr).filter((n) => !(n in EXTERNAL));
      if (names.length === 0) continue;
      const available = new Set([...TARGET_LABELS, ...names.flatMap((n) => [...(series.get(n) ?? [])])]);
      for (const label of [...groupingLabels(expr), ...matcherLabels(expr)]) {
        expect(available.has(label), `${label} in ${expr}`).toBe(true);
      }
      const grouped = groupingLabels(expr);
      const legendLabels = [...(target?.legendFormat ?? '').matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map(
        (m) => m[1],
      );
      for (const label of legendLabels) {
        const has = grouped.length > 0 ? grouped.includes(label ?? '') : available.has(label ?? '');
        expect(has, `legend {{${label}}} of ${expr}`).toBe(true);
      }
    }
  });

  it('says where the external metrics come from', () => {
    for (const { panel, expr } of queries) {
      for (const name of metricsIn(expr).filter((n) => n in EXTERNAL)) {
        expect(panel?.description, expr).toContain(name);
        expect(panel?.description, expr).toContain(EXTERNAL[name]);
      }
    }
  });

  it('is one importable dashboard: a data source variable, defined variables, unique panel ids', () => {
    expect(dashboard.uid).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
    expect(dashboard.title).toBeTruthy();
    expect(typeof dashboard.schemaVersion).toBe('number');
    const datasource = variables.find((v) => v.type === 'datasource');
    expect(datasource?.query).toBe('prometheus');
    const uid = `\${${datasource?.name}}`;
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const defined = new Set(variables.map((v) => v.name));
    for (const p of graphs) {
      expect(p.datasource?.uid, p.title).toBe(uid);
      expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets ?? []) {
        expect(t.datasource?.uid ?? uid, p.title).toBe(uid);
        for (const m of t.expr.matchAll(/\$\{?(\w+)/g)) {
          const name = m[1] ?? '';
          if (!GRAFANA_VARIABLES.has(name)) expect(defined.has(name), `$${name} in ${p.title}`).toBe(true);
        }
        let depth = 0;
        for (const ch of code(t.expr)) {
          depth += ch === '(' ? 1 : ch === ')' ? -1 : 0;
          expect(depth).toBeGreaterThanOrEqual(0);
        }
        expect(depth, t.expr).toBe(0);
      }
    }
  });
});
