/**
 * A bounded slice of one object, cut by its codec's framing: what one `decode` call sees.
 * Pieces of one object are independent, so each can be decoded on its own and the object never
 * has to be in memory at once.
 */
export interface Piece {
  bytes: Buffer;
  /** Lines, CSV records or OTLP resources of the object before this piece. */
  first: number;
  /** csv framing: the header line. */
  header?: Buffer;
  /** Records the framing itself had to drop (over the size limit), with their positions. */
  rejects?: RecordReject[];
}

export interface RecordReject {
  position: string;
  reason: string;
}
