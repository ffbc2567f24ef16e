/**
 * Which org and signal an object belongs to, from its key:
 *   - `otel-raw/<org>/<collector>/…/<signal>_<anything>`: the OpenTelemetry collector layout
 *   - configured prefix rules (longest prefix wins): `{ prefix: 'vendor/acme/', org, signal }`
 * Anything else is skipped with a reason that pubsub counts and logs; nothing is dropped
 * silently. The lake's own output (under the lake prefix) is skipped on purpose.
 */
export interface RouteRule {
  prefix: string;
  org: string;
  signal: string;
  collector?: string;
}

export type Route =
  | { kind: 'route'; org: string; signal: string; collector?: string }
  | { kind: 'skip'; reason: string };

export interface RoutingOptions {
  signals: ReadonlySet<string>;
  rules?: readonly RouteRule[];
  lakePrefix: string;
}

export function routeObject(key: string, options: RoutingOptions): Route {
  if (key.endsWith('/')) return { kind: 'skip', reason: 'directory marker' };
  if (key.startsWith(`${options.lakePrefix}/`)) return { kind: 'skip', reason: 'lakerunner output' };
  const rule = [...(options.rules ?? [])]
    .filter((r) => key.startsWith(r.prefix))
    .sort((a, b) => b.prefix.length - a.prefix.length)[0];
  if (rule) {
    if (!options.signals.has(rule.signal))
      return { kind: 'skip', reason: `route to unknown signal "${rule.signal}"` };
    return {
      kind: 'route',
      org: rule.org,
      signal: rule.signal,
      ...(rule.collector ? { collector: rule.collector } : {}),
    };
  }
  const parts = key.split('/');
  if (parts[0] === 'otel-raw') {
    if (parts.length < 4) return { kind: 'skip', reason: 'otel-raw key without org, collector and file' };
    const file = parts[parts.length - 1] ?? '';
    const signal = file.includes('_') ? file.slice(0, file.indexOf('_')) : '';
    if (!options.signals.has(signal)) {
      return {
        kind: 'skip',
        reason: signal ? `unknown signal "${signal}"` : 'file name has no <signal>_ prefix',
      };
    }
    return { kind: 'route', org: parts[1] as string, signal, collector: parts[2] as string };
  }
  return { kind: 'skip', reason: 'no route matches the key' };
}
