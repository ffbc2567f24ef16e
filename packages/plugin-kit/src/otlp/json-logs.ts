import { readJsonAnyValue, readJsonAttributes, readJsonRequest } from './json-common.js';
import type { JsonCursor } from './json-cursor.js';
import { SEVERITY_NUMBERS } from './json-enums.js';
import { jsonEnum, jsonId, jsonObject, jsonString, jsonUint32, jsonUint64 } from './json-values.js';
import type { OtlpLimits } from './limits.js';
import type { OtlpLogRecord, OtlpLogs } from './model.js';

const KEYS = {
  resources: ['resourceLogs', 'resource_logs'],
  scopes: ['scopeLogs', 'scope_logs'],
  items: ['logRecords', 'log_records'],
} as const;

/** Decodes a parsed OTLP/JSON ExportLogsServiceRequest. */
export function decodeOtlpLogsJson(value: unknown, limits?: OtlpLimits): OtlpLogs {
  return {
    resourceLogs: readJsonRequest(value, limits, KEYS, readLogRecord).map(({ resource, scopes }) => ({
      resource,
      scopeLogs: scopes.map(({ scope, items }) => ({ scope, logRecords: items })),
    })),
  };
}

function readLogRecord(c: JsonCursor, v: unknown, index: number): OtlpLogRecord {
  const o = jsonObject(c, v, index);
  c.enter(index);
  const record: OtlpLogRecord = {
    timeUnixNano: 0n,
    observedTimeUnixNano: 0n,
    severityNumber: 0,
    severityText: '',
    body: undefined,
    attributes: new Map(),
    droppedAttributesCount: 0,
    flags: 0,
    traceId: '',
    spanId: '',
    eventName: '',
  };
  for (const k in o) {
    const f = o[k];
    if (f === null || f === undefined) continue;
    switch (k) {
      case 'timeUnixNano':
      case 'time_unix_nano':
        record.timeUnixNano = jsonUint64(c, f, k);
        break;
      case 'observedTimeUnixNano':
      case 'observed_time_unix_nano':
        record.observedTimeUnixNano = jsonUint64(c, f, k);
        break;
      case 'severityNumber':
      case 'severity_number':
        record.severityNumber = jsonEnum(c, f, k, SEVERITY_NUMBERS);
        break;
      case 'severityText':
      case 'severity_text':
        record.severityText = jsonString(c, f, k);
        break;
      case 'body':
        // As in the protobuf decoder, an AnyValue with nothing set is no body (the SDK writes `{}`).
        record.body = readJsonAnyValue(c, f, k, 0) ?? undefined;
        break;
      case 'attributes':
        readJsonAttributes(c, f, k, record.attributes);
        break;
      case 'droppedAttributesCount':
      case 'dropped_attributes_count':
        record.droppedAttributesCount = jsonUint32(c, f, k);
        break;
      case 'flags':
        record.flags = jsonUint32(c, f, k);
        break;
      case 'traceId':
      case 'trace_id':
        record.traceId = jsonId(c, f, k, 16);
        break;
      case 'spanId':
      case 'span_id':
        record.spanId = jsonId(c, f, k, 8);
        break;
      case 'eventName':
      case 'event_name':
        record.eventName = jsonString(c, f, k);
        break;
    }
  }
  c.leave();
  return record;
}
