/**
 * A few lines of protobuf writing for hand-made inputs the oracle cannot produce: unknown fields,
 * unpacked repeated fields, wrong wire types, truncations. Every helper returns bytes to concat.
 */

export function varint(value: number | bigint): number[] {
  let n = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (n >= 0x80n) {
    out.push(Number(n & 0x7fn) | 0x80);
    n >>= 7n;
  }
  out.push(Number(n));
  return out;
}

export function tag(field: number, wireType: number): number[] {
  return varint(field * 8 + wireType);
}

export function bytes(...parts: (number[] | Uint8Array)[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}

/** A length-delimited field holding the concatenated parts. */
export function len(field: number, ...parts: (number[] | Uint8Array)[]): number[] {
  const body = [...bytes(...parts)];
  return [...tag(field, 2), ...varint(body.length), ...body];
}

export function str(field: number, value: string): number[] {
  return len(field, new TextEncoder().encode(value));
}

export function int(field: number, value: number | bigint): number[] {
  return [...tag(field, 0), ...varint(value)];
}

export function fixed64(field: number, value: bigint): number[] {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
  return [...tag(field, 1), ...b];
}

export function fixed32(field: number, value: number): number[] {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, value, true);
  return [...tag(field, 5), ...b];
}

export function double(field: number, value: number): number[] {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, value, true);
  return [...tag(field, 1), ...b];
}

export function zigzag(n: number): number {
  return n < 0 ? -2 * n - 1 : 2 * n;
}

/** One of each wire type under field numbers no OTLP message uses. */
export const UNKNOWN_FIELDS = [
  ...int(900, 123456789012345n),
  ...fixed64(901, 7n),
  ...str(902, 'ignored'),
  ...fixed32(903, 9),
];
