/**
 * Codecs read one input format of one or more signals (OTLP protobuf, JSON lines, CSV, a
 * vendor's export…). Signal plugins ship theirs; a deployment adds its own by module name in the
 * config (`codecs:`), without forking a plugin.
 *
 * The plugin kit streams each object, undoes gzip/zstd, picks the codec (key suffix first, then
 * sniffing the first bytes when the suffix is missing or lies) and cuts the stream into bounded
 * pieces by the codec's `framing`; `decode` turns one piece into records of the signal's record
 * type. Decoding runs on a worker thread, which imports the codec from its `module`.
 */

/** How the kit cuts an object into the pieces `decode` sees. */
export type CodecFraming =
  /** Pieces of whole lines (JSON lines, plain text). */
  | 'lines'
  /** Pieces of whole CSV records (quoted newlines respected); each piece gets the header line. */
  | 'csv'
  /** One OTLP protobuf Export*ServiceRequest per resource, cut from a request of any size. */
  | 'otlp-protobuf'
  /** The whole object at once (OTLP/JSON documents, Parquet), up to maxDocumentBytes. */
  | 'document';

/** `yes`: certainly this format; `maybe`: could be; `no`: certainly not. */
export type SniffResult = 'yes' | 'maybe' | 'no';

/** Bounds on what one input may cost, enforced while streaming (config `limits`). */
export interface InputLimits {
  /** Decompressed bytes of one object. */
  maxObjectBytes: number;
  /** Bytes of one line or CSV record. */
  maxRecordBytes: number;
  /** Bytes of a whole-document input, or of one resource of an OTLP protobuf request. */
  maxDocumentBytes: number;
  /** Nesting depth of JSON values and OTLP attribute values. */
  maxDepth: number;
  /** Records one object may hold. */
  maxRecordsPerObject: number;
  /**
   * Record times further in the future than this (or before 1970) are not trusted: the record
   * gets the ingest time instead, and is counted.
   */
  futureToleranceMs: number;
}

export const DEFAULT_INPUT_LIMITS: Readonly<InputLimits> = Object.freeze({
  maxObjectBytes: 4 * 1024 ** 3,
  maxRecordBytes: 16 * 1024 ** 2,
  maxDocumentBytes: 256 * 1024 ** 2,
  maxDepth: 64,
  maxRecordsPerObject: 50_000_000,
  futureToleranceMs: 24 * 60 * 60 * 1000,
});

export interface CodecPiece {
  /** The object's key, for messages. */
  key: string;
  bytes: Uint8Array;
  /** Lines (lines, csv) or resources (otlp-protobuf) of the object before this piece. */
  first: number;
  /** csv framing: the object's header line. */
  header?: Uint8Array;
  limits: InputLimits;
  /**
   * Reports one record that cannot be read and goes on: the object's good records are kept and
   * the bad ones are dead-lettered with their positions.
   */
  reject(position: string, reason: string): void;
}

export interface CodecDeclaration<R> {
  /** Unique among the codecs of a signal; shown in logs and dead letters. */
  name: string;
  signals: readonly string[];
  /** Key suffixes it claims, without compression suffixes (e.g. '.binpb', '.json'). */
  suffixes: readonly string[];
  framing: CodecFraming;
  /** Judges the first bytes of the decompressed object (up to 64 KiB). */
  sniff(head: Uint8Array): SniffResult;
  /**
   * Records of one piece. Throw a LakerunnerError (LR_INPUT_CORRUPT, LR_INPUT_LIMIT) when the
   * piece as a whole cannot be read; use `reject` for single bad records.
   */
  decode(piece: CodecPiece): Iterable<R> | AsyncIterable<R>;
}

/** A plain string tag, like signal plugins: codecs from another copy of core are still codecs. */
const KIND = 'lakerunner/codec';

export interface Codec<R = unknown> extends CodecDeclaration<R> {
  readonly kind: typeof KIND;
  /** Where a worker thread imports it from; set when a codec is loaded from config. */
  readonly module?: string;
}

export function defineCodec<R>(declaration: CodecDeclaration<R>): Codec<R> {
  return Object.freeze({ ...declaration, kind: KIND });
}

export function isCodec(value: unknown): value is Codec {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === KIND;
}
