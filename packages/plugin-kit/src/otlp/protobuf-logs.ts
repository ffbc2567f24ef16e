import type { OtlpLimits } from './limits.js';
import type { OtlpLogRecord, OtlpLogs } from './model.js';
import { readAnyValue, readKeyValue, readRequest } from './protobuf-common.js';
import type { ProtoReader } from './protobuf-reader.js';

/** Decodes a serialized ExportLogsServiceRequest (logs.proto, collector/logs/v1). */
export function decodeOtlpLogsProtobuf(bytes: Uint8Array, limits?: OtlpLimits): OtlpLogs {
  return {
    resourceLogs: readRequest(bytes, limits, readLogRecord).map(({ resource, scopes }) => ({
      resource,
      scopeLogs: scopes.map(({ scope, items }) => ({ scope, logRecords: items })),
    })),
  };
}

function readLogRecord(r: ProtoReader, end: number): OtlpLogRecord {
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
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag >>> 3) {
      case 1:
        record.timeUnixNano = r.fixed64(tag, end);
        break;
      case 2:
        record.severityNumber = r.int32(tag, end);
        break;
      case 3:
        record.severityText = r.string(tag, end);
        break;
      case 5:
        // An AnyValue with nothing set is no body: the SDK's JSON encoder writes `{}` for a record
        // whose protobuf encoding has no body field, and both must read the same.
        record.body = readAnyValue(r, r.message(tag, end), 0) ?? undefined;
        break;
      case 6:
        readKeyValue(r, r.message(tag, end), record.attributes, 0);
        break;
      case 7:
        record.droppedAttributesCount = r.uint32(tag, end);
        break;
      case 8:
        record.flags = r.fixed32(tag, end);
        break;
      case 9:
        record.traceId = r.id(tag, end, 16);
        break;
      case 10:
        record.spanId = r.id(tag, end, 8);
        break;
      case 11:
        record.observedTimeUnixNano = r.fixed64(tag, end);
        break;
      case 12:
        record.eventName = r.string(tag, end);
        break;
      default:
        r.skip(tag, end);
    }
  }
  return record;
}
