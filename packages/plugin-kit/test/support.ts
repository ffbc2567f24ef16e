import type { Piece } from '../src/framing/piece.js';

/** The input cut into chunks of the given sizes (cycling through them), as an object store streams it. */
export async function* chunked(
  input: Uint8Array,
  sizes: readonly number[] = [input.length],
): AsyncGenerator<Buffer> {
  let at = 0;
  for (let i = 0; at < input.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length] ?? 1);
    // A copy per chunk, as a real stream hands over fresh buffers.
    yield Buffer.from(input.subarray(at, at + size));
    at += size;
  }
}

export async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

export function concatPieces(pieces: readonly Piece[]): string {
  return Buffer.concat(pieces.map((p) => p.bytes)).toString('latin1');
}

export function allRejects(pieces: readonly Piece[]) {
  return pieces.flatMap((p) => p.rejects ?? []);
}

export function latin1(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}
