import { LakerunnerError } from '@lakerunner/core';
import type { AnyValue } from './values.js';

/**
 * AnyValue ↔ JSON. Arrays and kvlists are stored as JSON text (Parquet has no type that holds
 * every shape); int64 stays exact as a JSON number literal and bytes become base64 strings.
 */
export function anyValueToJson(value: AnyValue): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'number':
      // JSON has no NaN or Infinity; their names as strings keep them readable.
      return Number.isFinite(value) ? JSON.stringify(value) : JSON.stringify(String(value));
  }
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  if (Array.isArray(value)) return `[${value.map(anyValueToJson).join(',')}]`;
  const parts: string[] = [];
  for (const [k, v] of value) parts.push(`${JSON.stringify(k)}:${anyValueToJson(v)}`);
  return `{${parts.join(',')}}`;
}

/**
 * A parsed JSON value (or a plain JS value read from another format) as an AnyValue: objects become kvlists, whole numbers int64 (JSON cannot
 * say which numbers are integers; this keeps counters and status codes integral). Deeper than
 * `maxDepth` is an LR_INPUT_LIMIT error, so no input can exhaust the stack.
 */
export function jsonToAnyValue(value: unknown, maxDepth: number, depth = 1): AnyValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isSafeInteger(value) ? BigInt(value) : value;
    case 'bigint':
      return value;
  }
  if (value instanceof Uint8Array) return value;
  if (value instanceof Date) return value.toISOString();
  if (depth > maxDepth) {
    throw new LakerunnerError('LR_INPUT_LIMIT', `value nested deeper than limits.maxDepth (${maxDepth})`);
  }
  if (Array.isArray(value)) return value.map((v) => jsonToAnyValue(v, maxDepth, depth + 1));
  const map = new Map<string, AnyValue>();
  if (value instanceof Map) {
    for (const [k, v] of value) map.set(String(k), jsonToAnyValue(v, maxDepth, depth + 1));
    return map;
  }
  for (const key in value as Record<string, unknown>) {
    map.set(key, jsonToAnyValue((value as Record<string, unknown>)[key], maxDepth, depth + 1));
  }
  return map;
}

/** The value as text, for a column whose values differ in type (it widens to string). */
export function anyValueToText(value: AnyValue): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    return String(value);
  }
  return anyValueToJson(value);
}
