import type { Piece, RecordReject } from './piece.js';

const NEWLINE = 0x0a;
const EMPTY_LINE = Buffer.from('\n');

/**
 * Cuts a byte stream into pieces of whole lines of about `targetBytes`. A line longer than
 * `maxLineBytes` is never buffered: it is skipped while streaming and reported as rejected, and
 * an empty line takes its place so the lines after it keep their numbers (row ids depend on them).
 */
export async function* linePieces(
  chunks: AsyncIterable<Buffer>,
  targetBytes: number,
  maxLineBytes: number,
): AsyncGenerator<Piece> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let rejects: RecordReject[] = [];
  let linesBefore = 0;
  /** Lines handed to `pending` so far, to number the rejected ones. */
  let linesSeen = 0;
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let skipping = false;

  const take = (): Piece => {
    const bytes = Buffer.concat(pending, pendingBytes);
    const piece: Piece = { bytes, first: linesBefore, ...(rejects.length > 0 ? { rejects } : {}) };
    for (let i = bytes.indexOf(NEWLINE); i !== -1; i = bytes.indexOf(NEWLINE, i + 1)) linesBefore++;
    pending = [];
    pendingBytes = 0;
    rejects = [];
    return piece;
  };
  const push = (bytes: Buffer) => {
    pending.push(bytes);
    pendingBytes += bytes.length;
  };
  const reject = () => {
    rejects.push({
      position: String(linesSeen + 1),
      reason: `line longer than limits.maxRecordBytes (${maxLineBytes})`,
    });
    push(EMPTY_LINE);
    carry = [];
    carryBytes = 0;
    skipping = false;
  };
  const completeLine = (tail: Buffer) => {
    if (skipping || carryBytes + tail.length > maxLineBytes + 1) reject();
    else {
      for (const part of carry) push(part);
      push(tail);
      carry = [];
      carryBytes = 0;
    }
    linesSeen++;
  };

  try {
    for await (const data of chunks) {
      let pos = 0;
      const lastNewline = data.lastIndexOf(NEWLINE);
      if (lastNewline >= 0 && !skipping && carryBytes === 0 && lastNewline + 1 <= maxLineBytes) {
        // Fast path: no line in this block can be too long, so take it whole.
        const block = data.subarray(0, lastNewline + 1);
        push(block);
        for (let i = block.indexOf(NEWLINE); i !== -1; i = block.indexOf(NEWLINE, i + 1)) linesSeen++;
        pos = lastNewline + 1;
      } else {
        for (let nl = data.indexOf(NEWLINE, pos); nl !== -1; nl = data.indexOf(NEWLINE, pos)) {
          completeLine(data.subarray(pos, nl + 1));
          pos = nl + 1;
        }
      }
      if (pos < data.length && !skipping) {
        carry.push(data.subarray(pos));
        carryBytes += data.length - pos;
        if (carryBytes > maxLineBytes) {
          skipping = true;
          carry = [];
          carryBytes = 0;
        }
      }
      if (pendingBytes >= targetBytes) yield take();
    }
  } catch (err) {
    // Whole records read before the stream broke are kept: the object's good part is ingested.
    if (pendingBytes > 0) yield take();
    throw err;
  }
  if (skipping || carryBytes > 0) completeLine(Buffer.alloc(0));
  if (pendingBytes > 0 || rejects.length > 0) yield take();
}
