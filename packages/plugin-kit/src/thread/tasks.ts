import type { InputLimits } from '@lakerunner/core';
import type { RecordReject } from '../framing/piece.js';
import type { EncodedSegment, WrittenSegment } from '../segments/encode.js';
import type { RecordSource } from '../segments/encoding.js';

/** Messages between a signal's stage handlers and its worker threads. */

export interface PieceTask {
  /** Index of the object in the task's `sources`. */
  source: number;
  codec: string;
  bytes: Uint8Array;
  first: number;
  header?: Uint8Array;
}

export interface IngestTask {
  kind: 'ingest';
  sources: RecordSource[];
  pieces: PieceTask[];
  /** Modules of the deployment's own codecs, which the thread imports. */
  codecModules: string[];
  limits: InputLimits;
  ingestTimeNs: bigint;
  /** Records of an object in earlier tasks of the same unit, for the per-object record limit. */
  recordsBefore: number[];
  maxRows: number;
}

export interface CompactTask {
  kind: 'compact';
  /** Each input segment as a local file (`path`) or in memory (`bytes`). */
  segments: { objectKey: string; path?: string; bytes?: Uint8Array }[];
  maxRows: number;
  /** A rollup: aggregated rows move to windows of this frequency. */
  frequencyMs?: number;
  /** Inputs merged at once; more are merged in passes through sorted runs (default 16). */
  fanIn?: number;
  /**
   * A directory of the caller's: outputs are written there as files and listed in `written`.
   * Without it, outputs come back in memory in `files`.
   */
  outputDir?: string;
}

export type SignalTask = IngestTask | CompactTask;

export interface SourceFailure {
  /** Index of the object (ingest) or segment (compact) in the task. */
  source: number;
  code: string;
  reason: string;
}

export interface TaskResult {
  files: EncodedSegment[];
  /** Outputs written to the task's outputDir. */
  written?: WrittenSegment[];
  failures: SourceFailure[];
  /** Single records that could not be read, the first few per object. */
  rejects: (RecordReject & { source: number })[];
  /** Per source: records decoded, records rejected, records given the ingest time. */
  counts: { records: number; rejected: number; timeReplaced: number }[];
}
