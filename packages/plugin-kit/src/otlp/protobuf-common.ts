import type { AnyValue, Attributes, KeyValueList } from '../values.js';
import { emptyResource, emptyScope, type ResourceScopes, type ScopeItems } from './envelope.js';
import { DEFAULT_OTLP_LIMITS, type OtlpLimits } from './limits.js';
import type { OtlpResource, OtlpScope } from './model.js';
import { ProtoReader } from './protobuf-reader.js';

/**
 * The messages every signal shares (common.proto, resource.proto) and the request envelope, whose
 * field numbers are the same for logs, traces and metrics. A resource or scope seen twice is
 * merged, as protobuf specifies for singular message fields; of the AnyValue oneof the last one
 * wins. string_value_strindex and key_strindex (references into a profiles dictionary) cannot be
 * resolved outside a profile and are skipped like unknown fields.
 */

export type ItemReader<T> = (r: ProtoReader, end: number) => T;

export function readRequest<T>(
  bytes: Uint8Array,
  limits: OtlpLimits | undefined,
  readItem: ItemReader<T>,
): ResourceScopes<T>[] {
  const r = new ProtoReader(bytes, limits ?? DEFAULT_OTLP_LIMITS);
  const end = r.buf.length;
  const resources: ResourceScopes<T>[] = [];
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag >>> 3 === 1) resources.push(readResourceScopes(r, r.message(tag, end), readItem));
    else r.skip(tag, end);
  }
  return resources;
}

function readResourceScopes<T>(r: ProtoReader, end: number, readItem: ItemReader<T>): ResourceScopes<T> {
  const resource = emptyResource();
  const scopes: ScopeItems<T>[] = [];
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag >>> 3) {
      case 1:
        readResource(r, r.message(tag, end), resource);
        break;
      case 2:
        scopes.push(readScopeItems(r, r.message(tag, end), readItem));
        break;
      case 3:
        resource.schemaUrl = r.string(tag, end);
        break;
      default:
        r.skip(tag, end);
    }
  }
  return { resource, scopes };
}

function readResource(r: ProtoReader, end: number, into: OtlpResource): void {
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag >>> 3) {
      case 1:
        readKeyValue(r, r.message(tag, end), into.attributes, 0);
        break;
      case 2:
        into.droppedAttributesCount = r.uint32(tag, end);
        break;
      default:
        r.skip(tag, end);
    }
  }
}

function readScopeItems<T>(r: ProtoReader, end: number, readItem: ItemReader<T>): ScopeItems<T> {
  const scope = emptyScope();
  const items: T[] = [];
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag >>> 3) {
      case 1:
        readScope(r, r.message(tag, end), scope);
        break;
      case 2:
        items.push(readItem(r, r.message(tag, end)));
        break;
      case 3:
        scope.schemaUrl = r.string(tag, end);
        break;
      default:
        r.skip(tag, end);
    }
  }
  return { scope, items };
}

function readScope(r: ProtoReader, end: number, into: OtlpScope): void {
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag >>> 3) {
      case 1:
        into.name = r.string(tag, end);
        break;
      case 2:
        into.version = r.string(tag, end);
        break;
      case 3:
        readKeyValue(r, r.message(tag, end), into.attributes, 0);
        break;
      case 4:
        into.droppedAttributesCount = r.uint32(tag, end);
        break;
      default:
        r.skip(tag, end);
    }
  }
}

/** One KeyValue into `into`; `depth` counts the AnyValue containers around it. */
export function readKeyValue(r: ProtoReader, end: number, into: Attributes, depth: number): void {
  let key = '';
  let value: AnyValue = null;
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag >>> 3) {
      case 1:
        key = r.string(tag, end);
        break;
      case 2:
        value = readAnyValue(r, r.message(tag, end), depth);
        break;
      default:
        r.skip(tag, end);
    }
  }
  into.set(key, value);
}

/** An AnyValue; null when none of its fields is set. */
export function readAnyValue(r: ProtoReader, end: number, depth: number): AnyValue {
  let value: AnyValue = null;
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag >>> 3) {
      case 1:
        value = r.string(tag, end);
        break;
      case 2:
        value = r.bool(tag, end);
        break;
      case 3:
        value = r.int64(tag, end);
        break;
      case 4:
        value = r.double(tag, end);
        break;
      case 5:
        value = readArrayValue(r, r.message(tag, end), depth + 1);
        break;
      case 6:
        value = readKeyValueList(r, r.message(tag, end), depth + 1);
        break;
      case 7:
        value = r.bytes(tag, end);
        break;
      default:
        r.skip(tag, end);
    }
  }
  return value;
}

function readArrayValue(r: ProtoReader, end: number, depth: number): AnyValue[] {
  r.checkDepth(depth);
  const values: AnyValue[] = [];
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag >>> 3 === 1) values.push(readAnyValue(r, r.message(tag, end), depth));
    else r.skip(tag, end);
  }
  return values;
}

function readKeyValueList(r: ProtoReader, end: number, depth: number): KeyValueList {
  r.checkDepth(depth);
  const values: KeyValueList = new Map();
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag >>> 3 === 1) readKeyValue(r, r.message(tag, end), values, depth);
    else r.skip(tag, end);
  }
  return values;
}
