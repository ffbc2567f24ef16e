import { Buffer } from 'node:buffer';
import { LakerunnerError } from '@lakerunner/core';
import { depthLimitError, maxDepthOf, type OtlpLimits } from './limits.js';

/** Protobuf wire types (3 and 4, the deprecated groups, appear in no OTLP message). */
export const VARINT = 0;
export const I64 = 1;
export const LEN = 2;
export const I32 = 5;

const TWO_32 = 4294967296;

/**
 * A bounds-checked cursor over one serialized message. Every read takes the `end` of the message
 * being decoded, so a nested length can never reach past its parent, and every typed read takes
 * the field's tag so a known field with the wrong wire type is reported instead of misread.
 * Failures are LR_INPUT_CORRUPT naming the byte offset.
 */
export class ProtoReader {
  pos = 0;
  readonly buf: Uint8Array;
  readonly maxDepth: number;
  private readonly view: DataView;
  // The same bytes as a Buffer, for its native UTF-8 and hex decoding: one allocation per string,
  // where building one in JS allocates at every step and the garbage collector dominates.
  private readonly text: Buffer;
  // Halves of the last 64-bit varint, kept here so that reading one allocates nothing.
  private lo = 0;
  private hi = 0;

  constructor(bytes: Uint8Array, limits: OtlpLimits) {
    // A plain view even when given a Buffer: element access stays monomorphic and slice() copies.
    this.buf = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.maxDepth = maxDepthOf(limits);
  }

  corrupt(problem: string, at = this.pos): LakerunnerError {
    return new LakerunnerError('LR_INPUT_CORRUPT', `OTLP protobuf: ${problem} at byte ${at}`);
  }

  /** Throws when an AnyValue container at `depth` (1 for the outermost) is past the limit. */
  checkDepth(depth: number): void {
    if (depth > this.maxDepth) throw depthLimitError(this.maxDepth, `byte ${this.pos}`);
  }

  tag(end: number): number {
    const at = this.pos;
    const tag = this.varint32(end);
    if (tag >>> 3 === 0) throw this.corrupt('field number 0', at);
    return tag;
  }

  skip(tag: number, end: number): void {
    switch (tag & 7) {
      case VARINT:
        this.varint64(end);
        return;
      case I64:
        this.advance(8, end);
        return;
      case LEN:
        this.pos = this.lengthEnd(end);
        return;
      case I32:
        this.advance(4, end);
        return;
      default:
        throw this.corrupt(`unsupported wire type ${tag & 7} for field ${tag >>> 3}`);
    }
  }

  uint32(tag: number, end: number): number {
    this.want(tag, VARINT);
    return this.varint32(end);
  }

  /** int32 and enums: negative values arrive sign-extended to ten bytes. */
  int32(tag: number, end: number): number {
    this.want(tag, VARINT);
    return this.varint32(end) | 0;
  }

  sint32(tag: number, end: number): number {
    this.want(tag, VARINT);
    const n = this.varint32(end);
    return (n >>> 1) ^ -(n & 1);
  }

  bool(tag: number, end: number): boolean {
    this.want(tag, VARINT);
    this.varint64(end);
    return (this.lo | this.hi) !== 0;
  }

  int64(tag: number, end: number): bigint {
    this.want(tag, VARINT);
    this.varint64(end);
    const { lo, hi } = this;
    // Within ±2^53 the value is exact as a double, which is much cheaper than bigint shifts.
    if (hi < 0x200000) return BigInt(hi * TWO_32 + lo);
    if (hi >= 0xffe00000) return BigInt((hi - TWO_32) * TWO_32 + lo);
    return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
  }

  fixed32(tag: number, end: number): number {
    this.want(tag, I32);
    return this.view.getUint32(this.advance(4, end), true);
  }

  fixed64(tag: number, end: number): bigint {
    this.want(tag, I64);
    return this.view.getBigUint64(this.advance(8, end), true);
  }

  sfixed64(tag: number, end: number): bigint {
    this.want(tag, I64);
    return this.view.getBigInt64(this.advance(8, end), true);
  }

  double(tag: number, end: number): number {
    this.want(tag, I64);
    return this.view.getFloat64(this.advance(8, end), true);
  }

  /** Starts an embedded message and returns where it ends. */
  message(tag: number, end: number): number {
    this.want(tag, LEN);
    return this.lengthEnd(end);
  }

  /** Lossy by choice: malformed UTF-8 becomes U+FFFD rather than failing the whole request. */
  string(tag: number, end: number): string {
    this.want(tag, LEN);
    const stop = this.lengthEnd(end);
    const start = this.pos;
    this.pos = stop;
    // No encoding argument: Node then goes straight to its UTF-8 decoder, skipping the encoding lookup.
    return start === stop ? '' : this.text.toString(undefined, start, stop);
  }

  /** A copy, so that a value does not pin the whole request in memory. */
  bytes(tag: number, end: number): Uint8Array {
    this.want(tag, LEN);
    const stop = this.lengthEnd(end);
    const start = this.pos;
    this.pos = stop;
    return this.buf.slice(start, stop);
  }

  /** A trace or span id as lower-case hex: empty, or exactly `size` bytes. */
  id(tag: number, end: number, size: number): string {
    this.want(tag, LEN);
    const at = this.pos;
    const stop = this.lengthEnd(end);
    const start = this.pos;
    this.pos = stop;
    if (stop - start !== size && stop !== start) {
      throw this.corrupt(`id of ${stop - start} bytes where ${size} are expected`, at);
    }
    return start === stop ? '' : this.text.toString('hex', start, stop);
  }

  /** repeated fixed64, packed or not. */
  fixed64s(tag: number, end: number, out: bigint[]): void {
    if ((tag & 7) !== LEN) {
      out.push(this.fixed64(tag, end));
      return;
    }
    const stop = this.packedEnd(end, 8);
    for (let at = this.pos; at < stop; at += 8) out.push(this.view.getBigUint64(at, true));
    this.pos = stop;
  }

  /** repeated double, packed or not. */
  doubles(tag: number, end: number, out: number[]): void {
    if ((tag & 7) !== LEN) {
      out.push(this.double(tag, end));
      return;
    }
    const stop = this.packedEnd(end, 8);
    for (let at = this.pos; at < stop; at += 8) out.push(this.view.getFloat64(at, true));
    this.pos = stop;
  }

  /** repeated uint64, packed or not. */
  uint64s(tag: number, end: number, out: bigint[]): void {
    if ((tag & 7) !== LEN) {
      this.want(tag, VARINT);
      out.push(this.uint64(end));
      return;
    }
    const stop = this.lengthEnd(end);
    while (this.pos < stop) out.push(this.uint64(stop));
  }

  private uint64(end: number): bigint {
    this.varint64(end);
    const { lo, hi } = this;
    return hi < 0x200000 ? BigInt(hi * TWO_32 + lo) : (BigInt(hi) << 32n) | BigInt(lo);
  }

  private want(tag: number, wireType: number): void {
    if ((tag & 7) !== wireType) {
      throw this.corrupt(`field ${tag >>> 3} has wire type ${tag & 7} where ${wireType} is expected`);
    }
  }

  /** Moves past `n` bytes and returns where they start. */
  private advance(n: number, end: number): number {
    const at = this.pos;
    if (end - at < n) throw this.corrupt(`truncated: ${n} bytes needed, ${end - at} left`);
    this.pos = at + n;
    return at;
  }

  private lengthEnd(end: number): number {
    const at = this.pos;
    const buf = this.buf;
    let length: number;
    if (at < end && (buf[at] as number) < 0x80) {
      length = buf[at] as number;
      this.pos = at + 1;
    } else {
      this.varint64(end);
      // Lengths beyond 2^32 cannot fit any buffer; the check below rejects every other overrun.
      length = this.hi === 0 ? this.lo : Number.POSITIVE_INFINITY;
    }
    if (length > end - this.pos) {
      throw this.corrupt(`length ${length} exceeds the ${end - this.pos} bytes left`, at);
    }
    return this.pos + length;
  }

  private packedEnd(end: number, width: number): number {
    const at = this.pos;
    const stop = this.lengthEnd(end);
    if ((stop - this.pos) % width !== 0) {
      throw this.corrupt(`packed field of ${stop - this.pos} bytes is not a multiple of ${width}`, at);
    }
    return stop;
  }

  /** Low 32 bits of a varint, unsigned; the one-byte case is kept inline. */
  private varint32(end: number): number {
    const at = this.pos;
    if (at < end) {
      const b = this.buf[at] as number;
      if (b < 0x80) {
        this.pos = at + 1;
        return b;
      }
    }
    this.varint64(end);
    return this.lo;
  }

  /** Reads a varint of up to ten bytes into lo/hi without bigint arithmetic. */
  private varint64(end: number): void {
    const buf = this.buf;
    const at = this.pos;
    let pos = at;
    let lo = 0;
    let hi = 0;
    let b = 0x80;
    // Bytes 0-3 fill bits 0-27, byte 4 straddles both halves, bytes 5-9 fill the high half.
    for (let shift = 0; shift < 28 && b >= 0x80; shift += 7) {
      if (pos >= end) throw this.corrupt('truncated varint', at);
      b = buf[pos++] as number;
      lo |= (b & 0x7f) << shift;
    }
    if (b >= 0x80) {
      if (pos >= end) throw this.corrupt('truncated varint', at);
      b = buf[pos++] as number;
      lo |= (b & 0x0f) << 28;
      hi = (b & 0x7f) >> 4;
      for (let shift = 3; shift < 32 && b >= 0x80; shift += 7) {
        if (pos >= end) throw this.corrupt('truncated varint', at);
        b = buf[pos++] as number;
        hi |= (b & 0x7f) << shift;
      }
      if (b >= 0x80) throw this.corrupt('varint longer than ten bytes', at);
    }
    this.pos = pos;
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }
}
