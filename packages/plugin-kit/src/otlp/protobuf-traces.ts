import type { OtlpLimits } from './limits.js';
import type { OtlpSpan, OtlpSpanEvent, OtlpSpanLink, OtlpTraces } from './model.js';
import { readKeyValue, readRequest } from './protobuf-common.js';
import type { ProtoReader } from './protobuf-reader.js';

/** Decodes a serialized ExportTraceServiceRequest (trace.proto, collector/trace/v1). */
export function decodeOtlpTracesProtobuf(bytes: Uint8Array, limits?: OtlpLimits): OtlpTraces {
  return {
    resourceSpans: readRequest(bytes, limits, readSpan).map(({ resource, scopes }) => ({
      resource,
      scopeSpans: scopes.map(({ scope, items }) => ({ scope, spans: items })),
    })),
  };
}

function readSpan(r: ProtoReader, end: number): OtlpSpan {
  const span: OtlpSpan = {
    traceId: '',
    spanId: '',
    traceState: '',
    parentSpanId: '',
    flags: 0,
    name: '',
    kind: 0,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    attributes: new Map(),
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: 0, message: '' },
  };
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag >>> 3) {
      case 1:
        span.traceId = r.id(tag, end, 16);
        break;
      case 2:
        span.spanId = r.id(tag, end, 8);
        break;
      case 3:
        span.traceState = r.string(tag, end);
        break;
      case 4:
        span.parentSpanId = r.id(tag, end, 8);
        break;
      case 5:
        span.name = r.string(tag, end);
        break;
      case 6:
        span.kind = r.int32(tag, end);
        break;
      case 7:
        span.startTimeUnixNano = r.fixed64(tag, end);
        break;
      case 8:
        span.endTimeUnixNano = r.fixed64(tag, end);
        break;
      case 9:
        readKeyValue(r, r.message(tag, end), span.attributes, 0);
        break;
      case 10:
        span.droppedAttributesCount = r.uint32(tag, end);
        break;
      case 11:
        span.events.push(readEvent(r, r.message(tag, end)));
        break;
      case 12:
        span.droppedEventsCount = r.uint32(tag, end);
        break;
      case 13:
        span.links.push(readLink(r, r.message(tag, end)));
        break;
      case 14:
        span.droppedLinksCount = r.uint32(tag, end);
        break;
      case 15:
        readStatus(r, r.message(tag, end), span.status);
        break;
      case 16:
        span.flags = r.fixed32(tag, end);
        break;
      default:
        r.skip(tag, end);
    }
  }
  return span;
}

function readEvent(r: ProtoReader, end: number): OtlpSpanEvent {
  const event: OtlpSpanEvent = {
    timeUnixNano: 0n,
    name: '',
    attributes: new Map(),
    droppedAttributesCount: 0,
  };
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag >>> 3) {
      case 1:
        event.timeUnixNano = r.fixed64(tag, end);
        break;
      case 2:
        event.name = r.string(tag, end);
        break;
      case 3:
        readKeyValue(r, r.message(tag, end), event.attributes, 0);
        break;
      case 4:
        event.droppedAttributesCount = r.uint32(tag, end);
        break;
      default:
        r.skip(tag, end);
    }
  }
  return event;
}

function readLink(r: ProtoReader, end: number): OtlpSpanLink {
  const link: OtlpSpanLink = {
    traceId: '',
    spanId: '',
    traceState: '',
    attributes: new Map(),
    droppedAttributesCount: 0,
    flags: 0,
  };
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag >>> 3) {
      case 1:
        link.traceId = r.id(tag, end, 16);
        break;
      case 2:
        link.spanId = r.id(tag, end, 8);
        break;
      case 3:
        link.traceState = r.string(tag, end);
        break;
      case 4:
        readKeyValue(r, r.message(tag, end), link.attributes, 0);
        break;
      case 5:
        link.droppedAttributesCount = r.uint32(tag, end);
        break;
      case 6:
        link.flags = r.fixed32(tag, end);
        break;
      default:
        r.skip(tag, end);
    }
  }
  return link;
}

function readStatus(r: ProtoReader, end: number, into: OtlpSpan['status']): void {
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag >>> 3) {
      case 2:
        into.message = r.string(tag, end);
        break;
      case 3:
        into.code = r.int32(tag, end);
        break;
      default:
        r.skip(tag, end);
    }
  }
}
