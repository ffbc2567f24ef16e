import { describe, expect, it } from 'vitest';
import { routeObject } from '../../src/runtime/routing.js';

const options = {
  signals: new Set(['logs', 'metrics', 'traces']),
  lakePrefix: 'lake',
  rules: [
    { prefix: 'vendor/', org: 'acme', signal: 'logs' },
    { prefix: 'vendor/metrics/', org: 'acme', signal: 'metrics', collector: 'dd' },
  ],
};

describe('routeObject', () => {
  it('reads org, collector and signal from otel-raw keys', () => {
    expect(routeObject('otel-raw/acme/col-1/2026/11/logs_123.binpb.gz', options)).toEqual({
      kind: 'route',
      org: 'acme',
      signal: 'logs',
      collector: 'col-1',
    });
  });

  it('prefers the longest matching prefix rule', () => {
    expect(routeObject('vendor/metrics/x.json', options)).toEqual({
      kind: 'route',
      org: 'acme',
      signal: 'metrics',
      collector: 'dd',
    });
    expect(routeObject('vendor/app.jsonl', options)).toEqual({ kind: 'route', org: 'acme', signal: 'logs' });
  });

  it('skips with a reason: unknown signals, malformed keys, own output, directories, no route', () => {
    const reason = (key: string) => {
      const r = routeObject(key, options);
      return r.kind === 'skip' ? r.reason : 'routed';
    };
    expect(reason('otel-raw/acme/c/events_1.json')).toBe('unknown signal "events"');
    expect(reason('otel-raw/acme/c/nounderscore.json')).toBe('file name has no <signal>_ prefix');
    expect(reason('otel-raw/acme/logs_1.json')).toBe('otel-raw key without org, collector and file');
    expect(reason('lake/logs/org=acme/x.parquet')).toBe('lakerunner output');
    expect(reason('otel-raw/acme/')).toBe('directory marker');
    expect(reason('random/file.json')).toBe('no route matches the key');
  });
});
