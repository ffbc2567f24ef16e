import type { AnyValue, Attributes, KeyValueList } from '../values.js';
import { emptyResource, emptyScope, type ResourceScopes, type ScopeItems } from './envelope.js';
import { JsonCursor } from './json-cursor.js';
import {
  jsonArray,
  jsonBool,
  jsonBytes,
  jsonDouble,
  jsonInt64,
  jsonObject,
  jsonString,
  jsonUint32,
} from './json-values.js';
import { DEFAULT_OTLP_LIMITS, type OtlpLimits } from './limits.js';
import type { OtlpResource, OtlpScope } from './model.js';

/**
 * The messages every signal shares and the request envelope, in OTLP/JSON. Messages are read by
 * walking their keys once, each accepted in lowerCamelCase and as the proto field name; unknown
 * keys are ignored and null means absent, as the protobuf JSON mapping says.
 */

/** Reads the item at index `key` of the array the cursor is in. */
export type JsonItemReader<T> = (c: JsonCursor, v: unknown, key: number) => T;

/** The signal-specific names of the envelope's repeated fields, each as [json, proto]. */
export interface EnvelopeKeys {
  resources: readonly [string, string];
  scopes: readonly [string, string];
  items: readonly [string, string];
}

function isKey(key: string, names: readonly [string, string]): boolean {
  return key === names[0] || key === names[1];
}

export function readJsonRequest<T>(
  value: unknown,
  limits: OtlpLimits | undefined,
  keys: EnvelopeKeys,
  readItem: JsonItemReader<T>,
): ResourceScopes<T>[] {
  const c = new JsonCursor(limits ?? DEFAULT_OTLP_LIMITS);
  const request = jsonObject(c, value, '(request)');
  const resources: ResourceScopes<T>[] = [];
  for (const key in request) {
    const v = request[key];
    if (v === null || v === undefined || !isKey(key, keys.resources)) continue;
    eachItem(c, v, key, (item, i) => resources.push(readResourceScopes(c, item, i, keys, readItem)));
  }
  return resources;
}

/** Calls `read` for each element of the array at `key`, with the cursor inside the array. */
export function eachItem(
  c: JsonCursor,
  v: unknown,
  key: string,
  read: (item: unknown, i: number) => void,
): void {
  const items = jsonArray(c, v, key);
  c.enter(key);
  for (let i = 0; i < items.length; i++) read(items[i], i);
  c.leave();
}

function readResourceScopes<T>(
  c: JsonCursor,
  v: unknown,
  index: number,
  keys: EnvelopeKeys,
  readItem: JsonItemReader<T>,
): ResourceScopes<T> {
  const o = jsonObject(c, v, index);
  c.enter(index);
  const resource = emptyResource();
  const scopes: ScopeItems<T>[] = [];
  for (const key in o) {
    const f = o[key];
    if (f === null || f === undefined) continue;
    if (key === 'resource') readResource(c, f, key, resource);
    else if (key === 'schemaUrl' || key === 'schema_url') resource.schemaUrl = jsonString(c, f, key);
    else if (isKey(key, keys.scopes)) {
      eachItem(c, f, key, (item, i) => scopes.push(readScopeItems(c, item, i, keys, readItem)));
    }
  }
  c.leave();
  return { resource, scopes };
}

function readScopeItems<T>(
  c: JsonCursor,
  v: unknown,
  index: number,
  keys: EnvelopeKeys,
  readItem: JsonItemReader<T>,
): ScopeItems<T> {
  const o = jsonObject(c, v, index);
  c.enter(index);
  const scope = emptyScope();
  const items: T[] = [];
  for (const key in o) {
    const f = o[key];
    if (f === null || f === undefined) continue;
    if (key === 'scope') readScope(c, f, key, scope);
    else if (key === 'schemaUrl' || key === 'schema_url') scope.schemaUrl = jsonString(c, f, key);
    else if (isKey(key, keys.items)) {
      eachItem(c, f, key, (item, i) => items.push(readItem(c, item, i)));
    }
  }
  c.leave();
  return { scope, items };
}

function readResource(c: JsonCursor, v: unknown, key: string, into: OtlpResource): void {
  const o = jsonObject(c, v, key);
  c.enter(key);
  for (const k in o) {
    const f = o[k];
    if (f === null || f === undefined) continue;
    if (k === 'attributes') readJsonAttributes(c, f, k, into.attributes);
    else if (k === 'droppedAttributesCount' || k === 'dropped_attributes_count') {
      into.droppedAttributesCount = jsonUint32(c, f, k);
    }
  }
  c.leave();
}

function readScope(c: JsonCursor, v: unknown, key: string, into: OtlpScope): void {
  const o = jsonObject(c, v, key);
  c.enter(key);
  for (const k in o) {
    const f = o[k];
    if (f === null || f === undefined) continue;
    switch (k) {
      case 'name':
        into.name = jsonString(c, f, k);
        break;
      case 'version':
        into.version = jsonString(c, f, k);
        break;
      case 'attributes':
        readJsonAttributes(c, f, k, into.attributes);
        break;
      case 'droppedAttributesCount':
      case 'dropped_attributes_count':
        into.droppedAttributesCount = jsonUint32(c, f, k);
        break;
    }
  }
  c.leave();
}

/** A repeated KeyValue field (attributes, metadata) into `into`. */
export function readJsonAttributes(c: JsonCursor, v: unknown, key: string, into: Attributes): void {
  const list = jsonArray(c, v, key);
  c.enter(key);
  for (let i = 0; i < list.length; i++) readKeyValue(c, list[i], i, into, 0);
  c.leave();
}

/** `depth` counts the AnyValue containers around the KeyValue. */
function readKeyValue(c: JsonCursor, v: unknown, index: number, into: Attributes, depth: number): void {
  const o = jsonObject(c, v, index);
  c.enter(index);
  let key = '';
  let value: AnyValue = null;
  for (const k in o) {
    const f = o[k];
    if (f === null || f === undefined) continue;
    if (k === 'key') key = jsonString(c, f, k);
    else if (k === 'value') value = readJsonAnyValue(c, f, k, depth);
  }
  c.leave();
  into.set(key, value);
}

/** An AnyValue; null when none of its fields is set. */
export function readJsonAnyValue(c: JsonCursor, v: unknown, key: string | number, depth: number): AnyValue {
  const o = jsonObject(c, v, key);
  c.enter(key);
  let value: AnyValue = null;
  for (const k in o) {
    const f = o[k];
    if (f === null || f === undefined) continue;
    switch (k) {
      case 'stringValue':
      case 'string_value':
        value = jsonString(c, f, k);
        break;
      case 'boolValue':
      case 'bool_value':
        value = jsonBool(c, f, k);
        break;
      case 'intValue':
      case 'int_value':
        value = jsonInt64(c, f, k);
        break;
      case 'doubleValue':
      case 'double_value':
        value = jsonDouble(c, f, k);
        break;
      case 'bytesValue':
      case 'bytes_value':
        value = jsonBytes(c, f, k);
        break;
      case 'arrayValue':
      case 'array_value':
        value = readArrayValue(c, f, k, depth + 1);
        break;
      case 'kvlistValue':
      case 'kvlist_value':
        value = readKeyValueList(c, f, k, depth + 1);
        break;
    }
  }
  c.leave();
  return value;
}

function readArrayValue(c: JsonCursor, v: unknown, key: string, depth: number): AnyValue[] {
  c.checkDepth(key, depth);
  const o = jsonObject(c, v, key);
  c.enter(key);
  const values: AnyValue[] = [];
  const list = o.values;
  if (list !== null && list !== undefined) {
    const items = jsonArray(c, list, 'values');
    c.enter('values');
    for (let i = 0; i < items.length; i++) values.push(readJsonAnyValue(c, items[i], i, depth));
    c.leave();
  }
  c.leave();
  return values;
}

function readKeyValueList(c: JsonCursor, v: unknown, key: string, depth: number): KeyValueList {
  c.checkDepth(key, depth);
  const o = jsonObject(c, v, key);
  c.enter(key);
  const values: KeyValueList = new Map();
  const list = o.values;
  if (list !== null && list !== undefined) {
    const items = jsonArray(c, list, 'values');
    c.enter('values');
    for (let i = 0; i < items.length; i++) readKeyValue(c, items[i], i, values, depth);
    c.leave();
  }
  c.leave();
  return values;
}
