import type { Readable } from 'node:stream';

/**
 * Cuts a byte stream into chunks of whole lines of about `maxBytes` (a single longer line comes
 * alone), so an object of any size is parsed a bounded piece at a time. Each chunk says how many
 * lines came before it, which keeps row ids independent of where the cuts fall.
 */
export interface LineChunk {
  bytes: Buffer;
  firstLine: number;
}

export async function* lineChunks(stream: Readable, maxBytes: number): AsyncGenerator<LineChunk> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let linesBefore = 0;
  let carry: Buffer = Buffer.alloc(0);
  const take = (): LineChunk => {
    const bytes = Buffer.concat(pending, pendingBytes);
    const chunk = { bytes, firstLine: linesBefore };
    for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, i + 1)) linesBefore++;
    pending = [];
    pendingBytes = 0;
    return chunk;
  };
  for await (const data of stream) {
    const buffer = carry.length > 0 ? Buffer.concat([carry, data as Buffer]) : (data as Buffer);
    const lastNewline = buffer.lastIndexOf(0x0a);
    if (lastNewline < 0) {
      carry = buffer;
      continue;
    }
    const whole = buffer.subarray(0, lastNewline + 1);
    carry = Buffer.from(buffer.subarray(lastNewline + 1));
    pending.push(whole);
    pendingBytes += whole.length;
    if (pendingBytes >= maxBytes) yield take();
  }
  if (carry.length > 0) {
    pending.push(carry);
    pendingBytes += carry.length;
  }
  if (pendingBytes > 0) yield take();
}
