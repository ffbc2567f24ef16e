import { Buffer } from 'node:buffer';
import type { LakerunnerError } from '@lakerunner/core';
import type { JsonCursor } from './json-cursor.js';

/**
 * Values of OTLP/JSON, the protobuf JSON mapping as the collector and the SDKs write it. Each
 * reader takes the cursor and the key of the value (relative to the cursor) so that an error
 * names the exact path, and accepts what the mapping allows: 64-bit integers as decimal strings
 * or numbers, doubles as numbers or "NaN" / "Infinity" / "-Infinity", enums as numbers or names.
 */

type Key = string | number;
export type JsonObject = Record<string, unknown>;

const UNSIGNED = /^\d{1,20}$/;
const SIGNED = /^-?\d{1,19}$/;
const DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const HEX = /^[0-9a-fA-F]*$/;
const BASE64 = /^[A-Za-z0-9+/_-]*$/;

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** A string value for an error message, cut short so that a hostile one cannot flood the logs. */
function shown(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}

function badType(c: JsonCursor, key: Key, expected: string, v: unknown): LakerunnerError {
  return c.corrupt(key, `expected ${expected}, got ${jsonType(v)}`);
}

export function jsonObject(c: JsonCursor, v: unknown, key: Key): JsonObject {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as JsonObject;
  throw badType(c, key, 'an object', v);
}

export function jsonArray(c: JsonCursor, v: unknown, key: Key): unknown[] {
  if (Array.isArray(v)) return v;
  throw badType(c, key, 'an array', v);
}

export function jsonString(c: JsonCursor, v: unknown, key: Key): string {
  if (typeof v === 'string') return v;
  throw badType(c, key, 'a string', v);
}

export function jsonBool(c: JsonCursor, v: unknown, key: Key): boolean {
  if (typeof v === 'boolean') return v;
  throw badType(c, key, 'a boolean', v);
}

function integer(c: JsonCursor, v: unknown, key: Key, min: number, max: number, what: string): number {
  const n = typeof v === 'string' && SIGNED.test(v) ? Number(v) : v;
  if (typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max) return n;
  if (typeof v === 'number' || typeof v === 'string') {
    throw c.corrupt(key, `expected ${what}, got ${typeof v === 'string' ? shown(v) : v}`);
  }
  throw badType(c, key, what, v);
}

export function jsonUint32(c: JsonCursor, v: unknown, key: Key): number {
  return integer(c, v, key, 0, 0xffffffff, 'an unsigned 32-bit integer');
}

export function jsonInt32(c: JsonCursor, v: unknown, key: Key): number {
  return integer(c, v, key, -0x80000000, 0x7fffffff, 'a 32-bit integer');
}

/** An enum, by number or by its name in the .proto file. */
export function jsonEnum(c: JsonCursor, v: unknown, key: Key, names: ReadonlyMap<string, number>): number {
  if (typeof v === 'string') {
    const n = names.get(v);
    if (n !== undefined) return n;
    if (!SIGNED.test(v)) throw c.corrupt(key, `unknown enum value ${shown(v)}`);
  }
  return jsonInt32(c, v, key);
}

function int64(c: JsonCursor, v: unknown, key: Key, signed: boolean): bigint {
  if (typeof v === 'string' && (signed ? SIGNED : UNSIGNED).test(v)) {
    const n = BigInt(v);
    // Only a string of 19 digits or more can be out of range; shorter ones skip the range check.
    if (v.length < 19 || (signed ? BigInt.asIntN(64, n) : BigInt.asUintN(64, n)) === n) return n;
  } else if (typeof v === 'number' && Number.isInteger(v) && (signed ? v >= -(2 ** 63) : v >= 0)) {
    // Beyond 2^53 a JSON number has already lost precision in JSON.parse; it is taken as it is.
    if (v < (signed ? 2 ** 63 : 2 ** 64)) return BigInt(v);
  }
  const what = signed ? 'a 64-bit integer' : 'an unsigned 64-bit integer';
  if (typeof v === 'number' || typeof v === 'string') {
    throw c.corrupt(key, `expected ${what}, got ${typeof v === 'string' ? shown(v) : v}`);
  }
  throw badType(c, key, what, v);
}

export function jsonInt64(c: JsonCursor, v: unknown, key: Key): bigint {
  return int64(c, v, key, true);
}

/** uint64 and fixed64, timestamps among them. */
export function jsonUint64(c: JsonCursor, v: unknown, key: Key): bigint {
  return int64(c, v, key, false);
}

export function jsonDouble(c: JsonCursor, v: unknown, key: Key): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (v === 'NaN') return Number.NaN;
    if (v === 'Infinity') return Number.POSITIVE_INFINITY;
    if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
    if (DECIMAL.test(v)) return Number(v);
    throw c.corrupt(key, `expected a number, got ${shown(v)}`);
  }
  throw badType(c, key, 'a number', v);
}

/** A trace or span id: `bytes` bytes as hex digits (returned in lower case), or empty. */
export function jsonId(c: JsonCursor, v: unknown, key: Key, bytes: number): string {
  const s = jsonString(c, v, key);
  if (s.length === 0) return s;
  if (s.length === bytes * 2 && HEX.test(s)) return s.toLowerCase();
  throw c.corrupt(key, `expected ${bytes * 2} hex digits, got ${shown(s)}`);
}

/** Base64, standard or URL-safe, padded or not, as the protobuf JSON mapping accepts. */
export function jsonBytes(c: JsonCursor, v: unknown, key: Key): Uint8Array {
  const s = jsonString(c, v, key);
  const padding = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const digits = s.length - padding;
  if (!BASE64.test(s.slice(0, digits)) || digits % 4 === 1 || (padding > 0 && s.length % 4 !== 0)) {
    throw c.corrupt(key, `expected base64, got ${shown(s)}`);
  }
  // A copy into a plain Uint8Array: Buffer.from may return a slice of a shared pool.
  return new Uint8Array(Buffer.from(s, 'base64'));
}
