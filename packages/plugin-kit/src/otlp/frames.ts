import { LakerunnerError } from '@lakerunner/core';
import { I32, I64, LEN, VARINT } from './protobuf-reader.js';

/**
 * Splits a serialized Export{Logs,Trace,Metrics}ServiceRequest read from `stream` into standalone
 * requests of one resource each (every top-level field 1, re-wrapped as `0x0a len bytes`), so a
 * request of any size is decoded one resource at a time in memory bounded by `maxFrameBytes`.
 * Other top-level fields are consumed without being buffered. A frame (header included) larger
 * than `maxFrameBytes` is LR_INPUT_LIMIT before any of it is buffered; a stream ending inside a
 * field is LR_INPUT_CORRUPT.
 */
export async function* otlpProtobufFrames(
  stream: AsyncIterable<Uint8Array>,
  maxFrameBytes: number,
): AsyncGenerator<Uint8Array> {
  if (!(maxFrameBytes >= 1)) {
    throw new LakerunnerError(
      'LR_CONFIG_INVALID',
      `maxFrameBytes must be a positive number, got ${maxFrameBytes}`,
    );
  }
  const input = new StreamCursor(stream);
  let frames = 0;
  const truncated = (where: string) =>
    new LakerunnerError(
      'LR_INPUT_CORRUPT',
      `OTLP protobuf request truncated after ${frames} complete resource(s): the stream ends ${where}`,
    );
  try {
    while (!(await input.atEnd())) {
      const at = input.offset;
      const tag = await input.varint();
      if (tag === undefined) throw truncated(`inside a field tag at byte ${at}`);
      const field = Math.floor(tag / 8);
      const wireType = tag % 8;
      if (field !== 1) {
        if (!(await skipField(input, field, wireType, at)))
          throw truncated(`inside field ${field} at byte ${at}`);
        continue;
      }
      if (wireType !== LEN) throw corrupt(`field 1 has wire type ${wireType} where 2 is expected`, at);
      const length = await input.varint();
      if (length === undefined) throw truncated(`inside the length of a resource at byte ${at}`);
      const header = 1 + varintSize(length);
      if (header + length > maxFrameBytes) {
        throw new LakerunnerError(
          'LR_INPUT_LIMIT',
          `OTLP resource at byte ${at} is ${length} bytes, a frame of ${header + length} bytes over the ` +
            `maxFrameBytes limit of ${maxFrameBytes}`,
        );
      }
      const frame = new Uint8Array(header + length);
      frame[0] = 0x0a;
      writeVarint(frame, 1, length);
      if (!(await input.read(frame, header)))
        throw truncated(`inside a resource of ${length} bytes at byte ${at}`);
      frames++;
      yield frame;
    }
  } finally {
    await input.close();
  }
}

function corrupt(problem: string, at: number): LakerunnerError {
  return new LakerunnerError('LR_INPUT_CORRUPT', `OTLP protobuf: ${problem} at byte ${at}`);
}

/** Consumes a top-level field other than a resource; false if the stream ends inside it. */
async function skipField(input: StreamCursor, field: number, wireType: number, at: number): Promise<boolean> {
  if (field === 0) throw corrupt('field number 0', at);
  switch (wireType) {
    case VARINT:
      return (await input.varint()) !== undefined;
    case I64:
      return input.skip(8);
    case I32:
      return input.skip(4);
    case LEN: {
      const length = await input.varint();
      return length !== undefined && input.skip(length);
    }
    default:
      throw corrupt(`unsupported wire type ${wireType} for field ${field}`, at);
  }
}

function varintSize(n: number): number {
  let size = 1;
  for (let rest = n; rest >= 0x80; rest = Math.floor(rest / 0x80)) size++;
  return size;
}

function writeVarint(into: Uint8Array, at: number, n: number): void {
  let pos = at;
  let rest = n;
  while (rest >= 0x80) {
    into[pos++] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  into[pos] = rest;
}

/** Bytes of an async stream of chunks, read across chunk boundaries; `undefined`/false at its end. */
class StreamCursor {
  /** Bytes consumed so far, for error messages. */
  offset = 0;
  private chunk: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private done = false;
  private readonly chunks: AsyncIterator<Uint8Array>;

  constructor(stream: AsyncIterable<Uint8Array>) {
    this.chunks = stream[Symbol.asyncIterator]();
  }

  async atEnd(): Promise<boolean> {
    return this.pos === this.chunk.length && !(await this.fill());
  }

  /** A varint as a number: exact up to 2^53, which no length or tag that fits in memory reaches. */
  async varint(): Promise<number | undefined> {
    const at = this.offset;
    let value = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos === this.chunk.length && !(await this.fill())) return undefined;
      const b = this.chunk[this.pos++] as number;
      this.offset++;
      value += (b & 0x7f) * 2 ** (7 * i);
      if (b < 0x80) return value;
    }
    throw corrupt('varint longer than ten bytes', at);
  }

  async skip(n: number): Promise<boolean> {
    let rest = n;
    while (rest > 0) {
      if (this.pos === this.chunk.length && !(await this.fill())) return false;
      const take = Math.min(rest, this.chunk.length - this.pos);
      this.pos += take;
      this.offset += take;
      rest -= take;
    }
    return true;
  }

  /** Fills `into` from `at` to its end. */
  async read(into: Uint8Array, at: number): Promise<boolean> {
    let pos = at;
    while (pos < into.length) {
      if (this.pos === this.chunk.length && !(await this.fill())) return false;
      const take = Math.min(into.length - pos, this.chunk.length - this.pos);
      into.set(this.chunk.subarray(this.pos, this.pos + take), pos);
      this.pos += take;
      this.offset += take;
      pos += take;
    }
    return true;
  }

  /** Stops the source early (a destroyed file stream, say) when the caller stops reading. */
  async close(): Promise<void> {
    if (!this.done) {
      this.done = true;
      await this.chunks.return?.();
    }
  }

  private async fill(): Promise<boolean> {
    while (!this.done) {
      const next = await this.chunks.next();
      if (next.done) {
        this.done = true;
        break;
      }
      if (next.value.length > 0) {
        this.chunk = next.value;
        this.pos = 0;
        return true;
      }
    }
    return false;
  }
}
