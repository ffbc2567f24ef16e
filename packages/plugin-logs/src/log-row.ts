import { createHash } from 'node:crypto';

/** One log record, normalised: what every codec produces and every segment stores. */
export interface LogRow {
  /** Milliseconds since the epoch, UTC. */
  ts: number;
  /** Nanoseconds since the epoch: the original precision where the input had it. */
  tsNs: bigint;
  /** Stable row id: the same record of the same object version always gets the same id. */
  id: string;
  service: string;
  level: string;
  message: string;
  /** Remaining resource, scope and record attributes as a JSON object. */
  attributes: string;
}

/**
 * Row ids: a hash of the object version, then the record's position in it. Unique across
 * objects, identical on every replay of the same object version.
 */
export function rowIdPrefix(objectIdentity: string): string {
  return createHash('sha256').update(objectIdentity).digest('hex').slice(0, 24);
}

export function rowId(prefix: string, position: string): string {
  return `${prefix}-${position}`;
}

/**
 * Interprets a timestamp in seconds, milliseconds, microseconds or nanoseconds (by magnitude),
 * or as an ISO-8601 / RFC 3339 string. Returns nanoseconds, or undefined when it is not one.
 */
export function toNanos(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    if (value < 1e11) return BigInt(Math.round(value * 1000)) * 1_000_000n;
    if (value < 1e14) return BigInt(Math.round(value)) * 1_000_000n;
    if (value < 1e17) return BigInt(Math.round(value)) * 1_000n;
    return BigInt(Math.round(value));
  }
  if (typeof value === 'string' && value.length > 0) {
    if (/^\d+$/.test(value)) {
      const n = BigInt(value);
      return n < 100_000_000_000_000_000n ? toNanos(Number(value)) : n;
    }
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) {
      // Keep sub-millisecond digits of RFC 3339 fractions (only longer strings can have them).
      const fraction = value.length > 24 ? (/\.(\d+)/.exec(value)?.[1] ?? '') : '';
      const extra = fraction.length > 3 ? BigInt(fraction.slice(3, 9).padEnd(6, '0')) : 0n;
      return BigInt(ms) * 1_000_000n + extra;
    }
  }
  return undefined;
}

/** UTC day of a millisecond timestamp as YYYYMMDD. */
export function dateintOf(ms: number): number {
  const d = new Date(ms);
  return d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}
