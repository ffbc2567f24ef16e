import type { RecordDraft } from './record-draft.js';

/**
 * OTLP/JSON logs: an ExportLogsServiceRequest as the collector's file exporter writes it, one
 * request per file or one per line. Resource and scope attributes are kept with each record.
 */
interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
  kvlistValue?: { values?: KeyValue[] };
  bytesValue?: string;
}
interface KeyValue {
  key: string;
  value?: AnyValue;
}
interface LogRecord {
  timeUnixNano?: string | number;
  observedTimeUnixNano?: string | number;
  severityText?: string;
  severityNumber?: number;
  body?: AnyValue;
  attributes?: KeyValue[];
  traceId?: string;
  spanId?: string;
}
interface ExportLogsServiceRequest {
  resourceLogs?: {
    resource?: { attributes?: KeyValue[] };
    scopeLogs?: { scope?: { name?: string; version?: string }; logRecords?: LogRecord[] }[];
  }[];
}

export function isOtlpLogs(value: unknown): value is ExportLogsServiceRequest {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as ExportLogsServiceRequest).resourceLogs)
  );
}

function plain(value: AnyValue | undefined): unknown {
  if (!value) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.bytesValue !== undefined) return value.bytesValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(plain);
  if (value.kvlistValue) return attributes(value.kvlistValue.values);
  return null;
}

function attributes(list: KeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, plain(kv.value)]));
}

const SEVERITY_BY_NUMBER = [
  '',
  'TRACE',
  'TRACE',
  'TRACE',
  'TRACE',
  'DEBUG',
  'DEBUG',
  'DEBUG',
  'DEBUG',
  'INFO',
  'INFO',
  'INFO',
  'INFO',
  'WARN',
  'WARN',
  'WARN',
  'WARN',
  'ERROR',
  'ERROR',
  'ERROR',
  'ERROR',
  'FATAL',
  'FATAL',
  'FATAL',
  'FATAL',
];

/** `positionPrefix` places the request in its object (its line, for one request per line). */
export function* parseOtlpLogs(
  request: ExportLogsServiceRequest,
  positionPrefix: string,
): Generator<RecordDraft> {
  let k = 0;
  for (const rl of request.resourceLogs ?? []) {
    const resource = attributes(rl.resource?.attributes);
    const service = typeof resource['service.name'] === 'string' ? (resource['service.name'] as string) : '';
    for (const sl of rl.scopeLogs ?? []) {
      for (const record of sl.logRecords ?? []) {
        const time =
          record.timeUnixNano && String(record.timeUnixNano) !== '0'
            ? record.timeUnixNano
            : record.observedTimeUnixNano;
        const body = plain(record.body);
        const extra: Record<string, unknown> = { ...attributes(record.attributes) };
        if (record.traceId) extra.trace_id = record.traceId;
        if (record.spanId) extra.span_id = record.spanId;
        yield {
          position: `${positionPrefix}${k++}`,
          time: time === undefined ? undefined : String(time),
          message: typeof body === 'string' ? body : JSON.stringify(body),
          level: record.severityText || SEVERITY_BY_NUMBER[record.severityNumber ?? 0] || '',
          service,
          attributes: { resource, ...(sl.scope?.name ? { scope: sl.scope.name } : {}), ...extra },
        };
      }
    }
  }
}
