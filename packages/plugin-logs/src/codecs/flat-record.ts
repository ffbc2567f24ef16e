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

/** Roles by index, in ROLE_FIELDS' order: the per-record bookkeeping is two small arrays. */
const ROLE_NAMES = Object.keys(ROLE_FIELDS) as Role[];
const ROLE_COUNT = ROLE_NAMES.length;
const roleIndex = (role: Role) => ROLE_NAMES.indexOf(role);
const TIME = roleIndex('time');
const OBSERVED_TIME = roleIndex('observedTime');
const MESSAGE = roleIndex('message');
const LEVEL = roleIndex('level');
const SERVICE = roleIndex('service');
const TRACE_ID = roleIndex('traceId');
const SPAN_ID = roleIndex('spanId');

const ROLES = new Map<string, { role: number; rank: number }>(
  ROLE_NAMES.flatMap((role, index) =>
    ROLE_FIELDS[role].map((name, rank) => [name, { role: index, rank }] as const),
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
  // The hot loop of every flat codec: one pass finds each role's best-ranked field, with no
  // per-record objects besides the record itself and its attributes.
  const best: (string | undefined)[] = [
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
  ];
  const bestRank = [0, 0, 0, 0, 0, 0, 0];
  for (const key in fields) {
    const hit = ROLES.get(key);
    if (!hit) continue;
    if (best[hit.role] === undefined || hit.rank < (bestRank[hit.role] as number)) {
      best[hit.role] = key;
      bestRank[hit.role] = hit.rank;
    }
  }
  // A role's field counts only with a value; an empty one stays an attribute, and the role is unset.
  const raw: unknown[] = new Array(ROLE_COUNT);
  for (let role = 0; role < ROLE_COUNT; role++) {
    const key = best[role];
    const v = key === undefined ? undefined : fields[key];
    if (v === null || v === undefined || v === '') best[role] = undefined;
    else raw[role] = v;
  }
  const attributes: Attributes = new Map();
  for (const key in fields) {
    const role = ROLES.get(key)?.role;
    if (role !== undefined && best[role] === key) continue;
    const v = fields[key];
    if (v !== undefined) attributes.set(key, value(v));
  }
  const time = raw[TIME];
  const message = raw[MESSAGE];
  const level = raw[LEVEL];
  const service = raw[SERVICE];
  const traceId = raw[TRACE_ID];
  const spanId = raw[SPAN_ID];
  // One shape for every record (absent fields undefined): later stages read them monomorphically.
  return {
    position,
    time,
    timeField: time === undefined ? undefined : best[TIME],
    observedTime: raw[OBSERVED_TIME],
    body: message === undefined ? undefined : typeof message === 'string' ? message : value(message),
    severityText: level === undefined ? undefined : String(level),
    resource: service === undefined ? undefined : resourceFor(String(service), resources),
    traceId: typeof traceId === 'string' ? traceId : undefined,
    spanId: typeof spanId === 'string' ? spanId : undefined,
    attributes,
  };
}
