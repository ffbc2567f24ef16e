import { limitExceeded } from '../limits.js';
import type { Piece } from './piece.js';

/** The whole object as one piece, for formats that are one document (OTLP/JSON, Parquet). */
export async function* documentPiece(
  chunks: AsyncIterable<Buffer>,
  maxDocumentBytes: number,
  key: string,
): AsyncGenerator<Piece> {
  const parts: Buffer[] = [];
  let total = 0;
  for await (const data of chunks) {
    total += data.length;
    if (total > maxDocumentBytes) {
      throw limitExceeded(key, 'maxDocumentBytes', maxDocumentBytes, 'a whole-document input');
    }
    parts.push(data);
  }
  yield { bytes: Buffer.concat(parts, total), first: 0 };
}
