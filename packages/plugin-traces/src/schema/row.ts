import {
  type Attributes,
  anyValueToJson,
  type OtlpResource,
  type OtlpScope,
  type RowContext,
} from '@lakerunner/plugin-kit';
import type { SpanRecord } from '../record.js';

/** A span ready for its columns (see ./columns.ts). */
export interface SpanRow {
  start: bigint;
  end: bigint | null;
  id: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  traceState: string | null;
  name: string;
  kind: string;
  statusCode: string;
  statusMessage: string | null;
  flags: number | null;
  events: string | null;
  links: string | null;
  serviceName: string | null;
  resource: OtlpResource;
  scope: OtlpScope;
  attributes: Attributes;
  bucket: string;
  key: string;
  version: string;
}

const KINDS = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
];
const STATUS = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

/**
 * The span's start is its time (the ingest time, counted, when it is not a valid time); kind and
 * status by their OTLP names; events and links as JSON arrays.
 */
export function toSpanRow(record: SpanRecord, context: RowContext): SpanRow {
  const { span, resource, scope } = record;
  const start = context.resolveTime(span.startTimeUnixNano);
  const end = context.validTime(span.endTimeUnixNano) ?? null;
  const service = resource.attributes.get('service.name');
  return {
    start,
    end,
    id: context.rowId(record.position),
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId || null,
    traceState: span.traceState || null,
    name: span.name,
    kind: KINDS[span.kind] ?? String(span.kind),
    statusCode: STATUS[span.status.code] ?? String(span.status.code),
    statusMessage: span.status.message || null,
    flags: span.flags || null,
    events:
      span.events.length === 0
        ? null
        : `[${span.events
            .map(
              (e) =>
                `{"time_unix_nano":"${e.timeUnixNano}","name":${JSON.stringify(e.name)},"attributes":${anyValueToJson(e.attributes)}}`,
            )
            .join(',')}]`,
    links:
      span.links.length === 0
        ? null
        : `[${span.links
            .map(
              (l) =>
                `{"trace_id":"${l.traceId}","span_id":"${l.spanId}","trace_state":${JSON.stringify(l.traceState)},"attributes":${anyValueToJson(l.attributes)}}`,
            )
            .join(',')}]`,
    serviceName: typeof service === 'string' && service !== '' ? service : null,
    resource,
    scope,
    attributes: span.attributes,
    bucket: context.source.bucket,
    key: context.source.key,
    version: context.source.version,
  };
}
