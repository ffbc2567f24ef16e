import { limitExceeded } from '../limits.js';
import type { Piece, RecordReject } from './piece.js';

const QUOTE = 0x22;
const NEWLINE = 0x0a;

/**
 * Cuts CSV into pieces of whole records: a newline inside a quoted field does not end a record
 * (RFC 4180). The first record is the header and travels with every piece. A record longer
 * than `maxRecordBytes` is skipped while streaming and reported; an empty line takes its place,
 * so record numbers stay the same.
 */
export async function* csvPieces(
  chunks: AsyncIterable<Buffer>,
  targetBytes: number,
  maxRecordBytes: number,
  key = 'input',
): AsyncGenerator<Piece> {
  let header: Buffer | undefined;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let rejects: RecordReject[] = [];
  let recordsBefore = 0;
  let recordsInPending = 0;
  let current: Buffer[] = [];
  let currentBytes = 0;
  let skipping = false;
  let quoted = false;

  const take = (): Piece => {
    const piece: Piece = {
      bytes: Buffer.concat(pending, pendingBytes),
      first: recordsBefore,
      header: header ?? Buffer.alloc(0),
      ...(rejects.length > 0 ? { rejects } : {}),
    };
    recordsBefore += recordsInPending;
    pending = [];
    pendingBytes = 0;
    recordsInPending = 0;
    rejects = [];
    return piece;
  };
  const endRecord = () => {
    const record = Buffer.concat(current, currentBytes);
    current = [];
    currentBytes = 0;
    if (header === undefined) {
      // Without its header no record can be read: the object fails, never a record promoted.
      if (skipping) throw limitExceeded(key, 'maxRecordBytes', maxRecordBytes, 'the header row');
      header = record;
      return;
    }
    if (skipping) {
      rejects.push({
        position: String(recordsBefore + recordsInPending + 1),
        reason: `record longer than limits.maxRecordBytes (${maxRecordBytes})`,
      });
      pending.push(Buffer.from('\n'));
      pendingBytes += 1;
      skipping = false;
    } else {
      pending.push(record);
      pendingBytes += record.length;
    }
    recordsInPending++;
  };
  const keep = (bytes: Buffer) => {
    if (skipping) return;
    current.push(bytes);
    currentBytes += bytes.length;
    if (currentBytes > maxRecordBytes) {
      skipping = true;
      current = [];
      currentBytes = 0;
    }
  };

  try {
    for await (const data of chunks) {
      let start = 0;
      for (let i = 0; i < data.length; i++) {
        const byte = data[i];
        if (byte === QUOTE) quoted = !quoted;
        else if (byte === NEWLINE && !quoted) {
          keep(data.subarray(start, i + 1));
          endRecord();
          start = i + 1;
        }
      }
      if (start < data.length) keep(data.subarray(start));
      if (pendingBytes >= targetBytes) yield take();
    }
  } catch (err) {
    // Whole records read before the stream broke are kept: the object's good part is ingested.
    if (pendingBytes > 0) yield take();
    throw err;
  }
  if (currentBytes > 0 || skipping) endRecord();
  if (pendingBytes > 0 || rejects.length > 0) yield take();
}
