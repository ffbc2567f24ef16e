import { eachItem, readJsonAttributes, readJsonRequest } from './json-common.js';
import type { JsonCursor } from './json-cursor.js';
import { SPAN_KINDS, STATUS_CODES } from './json-enums.js';
import { jsonEnum, jsonId, jsonObject, jsonString, jsonUint32, jsonUint64 } from './json-values.js';
import type { OtlpLimits } from './limits.js';
import type { OtlpSpan, OtlpSpanEvent, OtlpSpanLink, OtlpTraces } from './model.js';

const KEYS = {
  resources: ['resourceSpans', 'resource_spans'],
  scopes: ['scopeSpans', 'scope_spans'],
  items: ['spans', 'spans'],
} as const;

/** Decodes a parsed OTLP/JSON ExportTraceServiceRequest. */
export function decodeOtlpTracesJson(value: unknown, limits?: OtlpLimits): OtlpTraces {
  return {
    resourceSpans: readJsonRequest(value, limits, KEYS, readSpan).map(({ resource, scopes }) => ({
      resource,
      scopeSpans: scopes.map(({ scope, items }) => ({ scope, spans: items })),
    })),
  };
}

function readSpan(c: JsonCursor, v: unknown, index: number): OtlpSpan {
  const o = jsonObject(c, v, index);
  c.enter(index);
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
  for (const k in o) {
    const f = o[k];
    if (f === null || f === undefined) continue;
    switch (k) {
      case 'traceId':
      case 'trace_id':
        span.traceId = jsonId(c, f, k, 16);
        break;
      case 'spanId':
      case 'span_id':
        span.spanId = jsonId(c, f, k, 8);
        break;
      case 'traceState':
      case 'trace_state':
        span.traceState = jsonString(c, f, k);
        break;
      case 'parentSpanId':
      case 'parent_span_id':
        span.parentSpanId = jsonId(c, f, k, 8);
        break;
      case 'flags':
        span.flags = jsonUint32(c, f, k);
        break;
      case 'name':
        span.name = jsonString(c, f, k);
        break;
      case 'kind':
        span.kind = jsonEnum(c, f, k, SPAN_KINDS);
        break;
      case 'startTimeUnixNano':
      case 'start_time_unix_nano':
        span.startTimeUnixNano = jsonUint64(c, f, k);
        break;
      case 'endTimeUnixNano':
      case 'end_time_unix_nano':
        span.endTimeUnixNano = jsonUint64(c, f, k);
        break;
      case 'attributes':
        readJsonAttributes(c, f, k, span.attributes);
        break;
      case 'droppedAttributesCount':
      case 'dropped_attributes_count':
        span.droppedAttributesCount = jsonUint32(c, f, k);
        break;
      case 'events':
        eachItem(c, f, k, (item, i) => span.events.push(readEvent(c, item, i)));
        break;
      case 'droppedEventsCount':
      case 'dropped_events_count':
        span.droppedEventsCount = jsonUint32(c, f, k);
        break;
      case 'links':
        eachItem(c, f, k, (item, i) => span.links.push(readLink(c, item, i)));
        break;
      case 'droppedLinksCount':
      case 'dropped_links_count':
        span.droppedLinksCount = jsonUint32(c, f, k);
        break;
      case 'status':
        readStatus(c, f, k, span.status);
        break;
    }
  }
  c.leave();
  return span;
}

function readEvent(c: JsonCursor, v: unknown, index: number): OtlpSpanEvent {
  const o = jsonObject(c, v, index);
  c.enter(index);
  const event: OtlpSpanEvent = {
    timeUnixNano: 0n,
    name: '',
    attributes: new Map(),
    droppedAttributesCount: 0,
  };
  for (const k in o) {
    const f = o[k];
    if (f === null || f === undefined) continue;
    switch (k) {
      case 'timeUnixNano':
      case 'time_unix_nano':
        event.timeUnixNano = jsonUint64(c, f, k);
        break;
      case 'name':
        event.name = jsonString(c, f, k);
        break;
      case 'attributes':
        readJsonAttributes(c, f, k, event.attributes);
        break;
      case 'droppedAttributesCount':
      case 'dropped_attributes_count':
        event.droppedAttributesCount = jsonUint32(c, f, k);
        break;
    }
  }
  c.leave();
  return event;
}

function readLink(c: JsonCursor, v: unknown, index: number): OtlpSpanLink {
  const o = jsonObject(c, v, index);
  c.enter(index);
  const link: OtlpSpanLink = {
    traceId: '',
    spanId: '',
    traceState: '',
    attributes: new Map(),
    droppedAttributesCount: 0,
    flags: 0,
  };
  for (const k in o) {
    const f = o[k];
    if (f === null || f === undefined) continue;
    switch (k) {
      case 'traceId':
      case 'trace_id':
        link.traceId = jsonId(c, f, k, 16);
        break;
      case 'spanId':
      case 'span_id':
        link.spanId = jsonId(c, f, k, 8);
        break;
      case 'traceState':
      case 'trace_state':
        link.traceState = jsonString(c, f, k);
        break;
      case 'attributes':
        readJsonAttributes(c, f, k, link.attributes);
        break;
      case 'droppedAttributesCount':
      case 'dropped_attributes_count':
        link.droppedAttributesCount = jsonUint32(c, f, k);
        break;
      case 'flags':
        link.flags = jsonUint32(c, f, k);
        break;
    }
  }
  c.leave();
  return link;
}

function readStatus(c: JsonCursor, v: unknown, key: string, into: OtlpSpan['status']): void {
  const o = jsonObject(c, v, key);
  c.enter(key);
  for (const k in o) {
    const f = o[k];
    if (f === null || f === undefined) continue;
    if (k === 'code') into.code = jsonEnum(c, f, k, STATUS_CODES);
    else if (k === 'message') into.message = jsonString(c, f, k);
  }
  c.leave();
}
