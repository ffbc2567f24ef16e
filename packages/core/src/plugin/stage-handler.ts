import type { NewSegment } from '../catalog/catalog.js';
import type { Logger } from '../logger.js';
import type { WorkInput, WorkUnit } from '../messages/work-unit.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { Codec, InputLimits } from './codec.js';

/**
 * A stage's worker logic. It reads the unit's inputs from the store, writes its outputs under
 * names derived from the unit id (see segmentObjectKey), and reports what it wrote. It does not
 * touch the catalog or Kafka: the worker runtime records everything in one transaction.
 *
 * Throw a retriable error (storage or network trouble) to have the whole unit retried; report an
 * input that can never be processed (corrupt, unsupported) as a failure and go on with the rest.
 */
export interface StageContext {
  unit: WorkUnit;
  /** The unit's inputs that no other unit has consumed yet. */
  inputs: readonly WorkInput[];
  /** The lake's store (and the raw objects' store, unless `storeFor` names another). */
  store: ObjectStore;
  /**
   * The store holding a bucket's objects: `store`, or one of the deployment's `inputStorage`
   * stores. A bucket no store serves is LR_STORAGE_NOT_FOUND (the input is dead-lettered).
   */
  storeFor(bucket: string): ObjectStore;
  /** Key prefix of the lake's own objects inside the store. */
  lakePrefix: string;
  log: Logger;
  /** Codecs the deployment added for this signal (config `codecs`), beside the plugin's own. */
  codecs: readonly Codec[];
  limits: InputLimits;
  /** Worker threads the signal may decode and encode on (config `runtime.threads`). */
  threads: number;
}

export interface StageFailure {
  input: WorkInput;
  code: string;
  reason: string;
  /**
   * Single records that could not be read, with their positions (line, record…), when the rest
   * of the input was ingested; the first few of `rejectedRecords`.
   */
  records?: { position: string; reason: string }[];
  rejectedRecords?: number;
  /**
   * Records of the input that reached the lake despite the failure (those before a limit was
   * hit, say). 0 says none did, so the input may be ingested again after a fix (a replay of its
   * dead letter); left out, the runtime assumes some did and never ingests it again.
   */
  ingestedRecords?: number;
}

export interface StageResult {
  outputs: NewSegment[];
  failures: StageFailure[];
}

export type StageHandler = (context: StageContext) => Promise<StageResult>;

/** Deterministic segment id: a retry of the same unit writes (and overwrites) the same objects. */
export function segmentIdFor(unitId: string, dateint: number, part: number): string {
  return `${dateint}-${unitId}-${String(part).padStart(3, '0')}`;
}

/** Hive-style key, so DuckDB, Spark or Athena can read the lake by partition. */
export function segmentObjectKey(s: {
  lakePrefix: string;
  signal: string;
  org: string;
  dateint: number;
  frequencyMs?: number;
  segmentId: string;
}): string {
  // Every key=value element holds for every row of the file, so engines that read the path as
  // Hive partitions (DuckDB, Spark, Trino) get true columns; a segment spans hours of its day,
  // so the hour is not one of them.
  const frequency = s.frequencyMs ? `frequency=${s.frequencyMs}/` : '';
  return `${s.lakePrefix}/${s.signal}/org=${s.org}/dateint=${s.dateint}/${frequency}${s.segmentId}.parquet`;
}
