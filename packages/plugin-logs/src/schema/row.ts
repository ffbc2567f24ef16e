import {
  type AnyValue,
  type Attributes,
  anyValueToJson,
  jsonToAnyValue,
  type RowContext,
} from '@lakerunner/plugin-kit';
import { fingerprint } from '../fingerprint/index.js';
import type { LogRecord, LogResource, LogScope } from '../record.js';
import { type Level, normaliseLevel } from './level.js';

/** A log record ready for its columns (see ./columns.ts). */
export interface LogRow {
  timestamp: bigint;
  observedTimestamp: bigint | null;
  id: string;
  level: Level;
  severityText: string | null;
  severityNumber: number | null;
  body: string | null;
  bodyType: string | null;
  fingerprint: bigint | null;
  traceId: string | null;
  spanId: string | null;
  flags: number | null;
  eventName: string | null;
  serviceName: string | null;
  resource: LogResource | undefined;
  scope: LogScope | undefined;
  attributes: Attributes | undefined;
  bucket: string;
  key: string;
  version: string;
}

/**
 * Resolves a record's time (its own, else its observed time, else the ingest time — counted),
 * normalises its level, renders its body as text (structured bodies as JSON, with their type in
 * body_type) and fingerprints the body. A time field that is not a valid time stays an attribute.
 */
export function toLogRow(record: LogRecord, context: RowContext): LogRow {
  const time = context.validTime(record.time);
  let attributes = record.attributes;
  if (
    time === undefined &&
    record.timeField !== undefined &&
    record.time !== undefined &&
    record.time !== null
  ) {
    attributes = new Map(attributes);
    attributes.set(record.timeField, jsonToAnyValue(record.time, context.limits.maxDepth));
  }
  const observed = context.validTime(record.observedTime);
  const body = bodyText(record.body);
  const service = record.resource?.attributes.get('service.name');
  return {
    timestamp: time ?? observed ?? context.resolveTime(),
    observedTimestamp: observed ?? null,
    id: context.rowId(record.position),
    level: normaliseLevel(record.severityNumber, record.severityText),
    severityText: record.severityText || null,
    severityNumber: record.severityNumber || null,
    body: body.text,
    bodyType: body.type,
    fingerprint: body.text === null ? null : fingerprint(body.text),
    traceId: record.traceId || null,
    spanId: record.spanId || null,
    flags: record.flags || null,
    eventName: record.eventName || null,
    serviceName: typeof service === 'string' && service !== '' ? service : null,
    resource: record.resource,
    scope: record.scope,
    attributes,
    bucket: context.source.bucket,
    key: context.source.key,
    version: context.source.version,
  };
}

function bodyText(body: AnyValue | undefined): { text: string | null; type: string | null } {
  if (body === undefined) return { text: null, type: null };
  if (body === null) return { text: null, type: 'empty' };
  switch (typeof body) {
    case 'string':
      return { text: body, type: 'string' };
    case 'boolean':
      return { text: String(body), type: 'bool' };
    case 'bigint':
      return { text: body.toString(), type: 'int' };
    case 'number':
      return { text: String(body), type: 'double' };
  }
  if (body instanceof Uint8Array) return { text: Buffer.from(body).toString('base64'), type: 'bytes' };
  return { text: anyValueToJson(body), type: Array.isArray(body) ? 'array' : 'kvlist' };
}
