import { type AnyValue, type Attributes, jsonToAnyValue } from '@lakerunner/plugin-kit';
import type { LogRecord, LogResource } from '../record.js';

/**
 * Flat records (a JSON line, a CSV row, a Parquet row) have no OTLP structure, so well-known
 * field names say what is what. Earlier names in a list win when a record has several; the
 * losers, and every other field, stay attributes.
 */
const ROLE_FIELDS = {
  time: [
    'timestamp',
    'time',
    'ts',
    '@timestamp',
    'datetime',
    'date',
    'event_time',
    'eventtime',
    'event_timestamp',
    'publish_time',
    'created_at',
    'timeUnixNano',
    'time_unix_nano',
  ],
  observedTime: ['observed_timestamp', 'observedTimeUnixNano', 'observed_time_unix_nano'],
  message: ['message', 'msg', 'body', 'log', 'data', 'text'],
  level: ['level', 'severity', 'severity_text', 'severityText', 'log_level', 'loglevel', 'lvl', 'levelname'],
  service: ['service', 'service.name', 'service_name', 'app', 'application'],
  traceId: ['trace_id', 'traceId', 'traceid', 'trace.id'],
  spanId: ['span_id', 'spanId', 'spanid', 'span.id'],
} as const;

type Role = keyof typeof ROLE_FIELDS;

const ROLES = new Map<string, { role: Role; rank: number }>(
  (Object.entries(ROLE_FIELDS) as [Role, readonly string[]][]).flatMap(([role, names]) =>
    names.map((name, rank) => [name, { role, rank }] as const),
  ),
);

/** One resource per service name within a piece: records of a service share it. */
export type ResourceCache = Map<string, LogResource>;

export function resourceFor(service: string, cache: ResourceCache): LogResource {
  let resource = cache.get(service);
  if (!resource) {
    resource = { attributes: new Map([['service.name', service]]), schemaUrl: '' };
    cache.set(service, resource);
  }
  return resource;
}

/**
 * A record from named fields. `value` converts a field's raw value to an AnyValue (JSON and CSV
 * convert differently); the time fields stay raw, since their meaning depends on magnitude.
 */
export function flatLogRecord(
  fields: Record<string, unknown>,
  position: string,
  resources: ResourceCache,
  maxDepth: number,
  value: (raw: unknown) => AnyValue = (raw) => jsonToAnyValue(raw, maxDepth),
): LogRecord {
  const found: Partial<Record<Role, { key: string; rank: number }>> = {};
  for (const key in fields) {
    const hit = ROLES.get(key);
    if (!hit) continue;
    const best = found[hit.role];
    if (!best || hit.rank < best.rank) found[hit.role] = { key, rank: hit.rank };
  }
  const chosen = new Set<string>();
  const raw = (role: Role) => {
    const f = found[role];
    if (!f) return undefined;
    const v = fields[f.key];
    if (v === null || v === undefined || v === '') return undefined;
    chosen.add(f.key);
    return v;
  };
  const time = raw('time');
  const observedTime = raw('observedTime');
  const message = raw('message');
  const level = raw('level');
  const service = raw('service');
  const traceId = raw('traceId');
  const spanId = raw('spanId');
  const attributes: Attributes = new Map();
  for (const key in fields) {
    if (chosen.has(key)) continue;
    const v = fields[key];
    if (v !== undefined) attributes.set(key, value(v));
  }
  return {
    position,
    ...(time !== undefined ? { time, timeField: found.time?.key } : {}),
    ...(observedTime !== undefined ? { observedTime } : {}),
    ...(message !== undefined ? { body: typeof message === 'string' ? message : value(message) } : {}),
    ...(level !== undefined ? { severityText: String(level) } : {}),
    ...(service !== undefined ? { resource: resourceFor(String(service), resources) } : {}),
    ...(typeof traceId === 'string' ? { traceId } : {}),
    ...(typeof spanId === 'string' ? { spanId } : {}),
    attributes,
  };
}
