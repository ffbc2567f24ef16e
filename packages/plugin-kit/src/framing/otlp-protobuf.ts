import { otlpProtobufFrames } from '../otlp/frames.js';
import type { Piece } from './piece.js';

/**
 * Pieces of whole OTLP resources. Concatenated protobuf messages merge (repeated fields append),
 * so several single-resource requests in a row are again one valid request.
 */
export async function* otlpProtobufPieces(
  chunks: AsyncIterable<Buffer>,
  targetBytes: number,
  maxFrameBytes: number,
): AsyncGenerator<Piece> {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let framesBefore = 0;
  const take = (): Piece => {
    const piece = { bytes: Buffer.concat(pending, pendingBytes), first: framesBefore };
    framesBefore += pending.length;
    pending = [];
    pendingBytes = 0;
    return piece;
  };
  try {
    for await (const frame of otlpProtobufFrames(chunks, maxFrameBytes)) {
      pending.push(frame);
      pendingBytes += frame.length;
      if (pendingBytes >= targetBytes) yield take();
    }
  } catch (err) {
    // Whole records read before the stream broke are kept: the object's good part is ingested.
    if (pendingBytes > 0) yield take();
    throw err;
  }
  if (pending.length > 0) yield take();
}
