import { LakerunnerError } from '@lakerunner/core';

const VARINT = 0;
const I64 = 1;
const LEN = 2;
const I32 = 5;

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
      if (field === 0 || (field === 1 && wireType !== LEN)) {
        throw new LakerunnerError(
          'LR_INPUT_CORRUPT',
          `OTLP protobuf: invalid top-level tag ${tag} at byte ${at}`,
        );
      }
      if (wireType === VARINT) {
        if ((await input.varint()) === undefined) throw truncated(`inside field ${field} at byte ${at}`);
      } else if (wireType === I64 || wireType === I32 || wireType === LEN) {
        const length = wireType === LEN ? await input.varint() : wireType === I64 ? 8 : 4;
        if (length === undefined) throw truncated(`inside the length of field ${field} at byte ${at}`);
        if (field !== 1) {
          if (!(await input.skip(length))) throw truncated(`inside field ${field} at byte ${at}`);
          continue;
        }
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
        if (!(await input.read(frame, header))) {
          throw truncated(`inside a resource of ${length} bytes at byte ${at}`);
        }
        frames++;
        yield frame;
      } else {
        throw new LakerunnerError(
          'LR_INPUT_CORRUPT',
          `OTLP protobuf: unsupported wire type ${wireType} for field ${field} at byte ${at}`,
        );
      }
    }
  } finally {
    await input.close();
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
    let value = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos === this.chunk.length && !(await this.fill())) return undefined;
      const b = this.chunk[this.pos++] as number;
      this.offset++;
      value += (b & 0x7f) * 2 ** (7 * i);
      if (b < 0x80) return value;
    }
    throw new LakerunnerError(
      'LR_INPUT_CORRUPT',
      `OTLP protobuf: varint longer than ten bytes at byte ${this.offset}`,
    );
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
