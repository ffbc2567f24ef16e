import {
  type AttributeNamespace,
  attributeColumns,
  attributesWithout,
  type ColumnSource,
  type SegmentLayout,
} from '@lakerunner/plugin-kit';
import type { LogRow } from './row.js';

/**
 * The logs segment schema: fixed columns, then one typed column per attribute key (see
 * plugin-kit's attributeColumns for the naming rule). README.md documents every column.
 */
const FIXED: readonly ColumnSource<LogRow>[] = [
  { name: 'timestamp', type: 'timestamp', get: (r) => r.timestamp },
  { name: 'observed_timestamp', type: 'timestamp', get: (r) => r.observedTimestamp },
  { name: 'id', type: 'string', get: (r) => r.id },
  { name: 'resource_service_name', type: 'string', get: (r) => r.serviceName },
  { name: 'level', type: 'string', get: (r) => r.level },
  { name: 'severity_text', type: 'string', get: (r) => r.severityText },
  { name: 'severity_number', type: 'int32', get: (r) => r.severityNumber },
  { name: 'body', type: 'string', get: (r) => r.body },
  { name: 'body_type', type: 'string', get: (r) => r.bodyType },
  { name: 'fingerprint', type: 'int64', get: (r) => r.fingerprint },
  { name: 'trace_id', type: 'string', get: (r) => r.traceId },
  { name: 'span_id', type: 'string', get: (r) => r.spanId },
  { name: 'flags', type: 'int64', get: (r) => (r.flags === null ? null : BigInt(r.flags)) },
  { name: 'event_name', type: 'string', get: (r) => r.eventName },
  { name: 'resource_schema_url', type: 'string', get: (r) => r.resource?.schemaUrl || null },
  { name: 'scope_name', type: 'string', get: (r) => r.scope?.name || null },
  { name: 'scope_version', type: 'string', get: (r) => r.scope?.version || null },
  { name: 'scope_schema_url', type: 'string', get: (r) => r.scope?.schemaUrl || null },
  { name: 'source_bucket', type: 'string', get: (r) => r.bucket },
  { name: 'source_key', type: 'string', get: (r) => r.key },
  { name: 'source_version', type: 'string', get: (r) => r.version },
];

const RESERVED = new Set(FIXED.map((c) => c.name));

/** service.name has its own column (the sort key); the other resource attributes are generic. */
const NAMESPACES: readonly AttributeNamespace<LogRow>[] = [
  {
    prefix: 'resource_',
    name: 'resource',
    get: (r) => attributesWithout(r.resource?.attributes, 'service.name'),
  },
  { prefix: 'scope_', name: 'scope', get: (r) => r.scope?.attributes },
  { prefix: 'attr_', name: 'attributes', get: (r) => r.attributes },
];

/** Attribute columns per file; keys beyond this go to `attributes_overflow` as JSON. */
export const MAX_ATTRIBUTE_COLUMNS = 1000;

export function logColumns(rows: readonly LogRow[]): ColumnSource<LogRow>[] {
  return [...FIXED, ...attributeColumns(rows, NAMESPACES, MAX_ATTRIBUTE_COLUMNS, RESERVED)];
}

/** Sorted by service, then message template, then time: a service's similar lines sit together. */
export const LOG_LAYOUT: SegmentLayout = {
  sortColumns: ['resource_service_name', 'fingerprint', 'timestamp', 'id'],
  timeColumn: 'timestamp',
  idColumn: 'id',
  metadataColumns: { services: 'resource_service_name' },
};

export const LOG_COLUMN_NAMES = FIXED.map((c) => c.name);
