import {
  type AttributeNamespace,
  attributeColumns,
  attributesWithout,
  type ColumnSource,
  type SegmentLayout,
} from '@lakerunner/plugin-kit';
import type { SpanRow } from './row.js';

/** The traces segment schema: fixed columns, then one typed column per attribute key. */
const FIXED: readonly ColumnSource<SpanRow>[] = [
  { name: 'start_timestamp', type: 'timestamp', get: (r) => r.start },
  { name: 'end_timestamp', type: 'timestamp', get: (r) => r.end },
  { name: 'duration_ns', type: 'int64', get: (r) => (r.end === null ? null : r.end - r.start) },
  { name: 'id', type: 'string', get: (r) => r.id },
  { name: 'trace_id', type: 'string', get: (r) => r.traceId },
  { name: 'span_id', type: 'string', get: (r) => r.spanId },
  { name: 'parent_span_id', type: 'string', get: (r) => r.parentSpanId },
  { name: 'trace_state', type: 'string', get: (r) => r.traceState },
  { name: 'name', type: 'string', get: (r) => r.name },
  { name: 'kind', type: 'string', get: (r) => r.kind },
  { name: 'status_code', type: 'string', get: (r) => r.statusCode },
  { name: 'status_message', type: 'string', get: (r) => r.statusMessage },
  { name: 'flags', type: 'int64', get: (r) => (r.flags === null ? null : BigInt(r.flags)) },
  { name: 'events', type: 'string', get: (r) => r.events },
  { name: 'links', type: 'string', get: (r) => r.links },
  { name: 'resource_service_name', type: 'string', get: (r) => r.serviceName },
  { name: 'resource_schema_url', type: 'string', get: (r) => r.resource.schemaUrl || null },
  { name: 'scope_name', type: 'string', get: (r) => r.scope.name || null },
  { name: 'scope_version', type: 'string', get: (r) => r.scope.version || null },
  { name: 'scope_schema_url', type: 'string', get: (r) => r.scope.schemaUrl || null },
  { name: 'source_bucket', type: 'string', get: (r) => r.bucket },
  { name: 'source_key', type: 'string', get: (r) => r.key },
  { name: 'source_version', type: 'string', get: (r) => r.version },
];

const RESERVED = new Set(FIXED.map((c) => c.name));

const NAMESPACES: readonly AttributeNamespace<SpanRow>[] = [
  {
    prefix: 'resource_',
    name: 'resource',
    get: (r) => attributesWithout(r.resource.attributes, 'service.name'),
  },
  { prefix: 'scope_', name: 'scope', get: (r) => r.scope.attributes },
  { prefix: 'attr_', name: 'attributes', get: (r) => r.attributes },
];

export const MAX_ATTRIBUTE_COLUMNS = 1000;

export function spanColumns(rows: readonly SpanRow[]): ColumnSource<SpanRow>[] {
  return [...FIXED, ...attributeColumns(rows, NAMESPACES, MAX_ATTRIBUTE_COLUMNS, RESERVED)];
}

/** Sorted by trace, then start: every trace is contiguous in a segment, in time order. */
export const TRACE_LAYOUT: SegmentLayout = {
  sortColumns: ['trace_id', 'start_timestamp', 'span_id', 'id'],
  timeColumn: 'start_timestamp',
  idColumn: 'id',
  metadataColumns: { services: 'resource_service_name' },
};

export const TRACE_COLUMN_NAMES = FIXED.map((c) => c.name);
