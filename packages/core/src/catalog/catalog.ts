/**
 * The catalog port: the source of truth for which segments are live, which raw object versions
 * were ingested, which work units are done, and which follow-up messages still have to be
 * published (the outbox). A worker applies everything a work unit did in one `commitWorkUnit`
 * transaction; that is what makes a replayed unit harmless.
 */
export interface NewSegment {
  segmentId: string;
  org: string;
  signal: string;
  dateint: number;
  /** Aggregation frequency of the rows; 0 for raw rows. */
  frequencyMs: number;
  objectKey: string;
  records: number;
  bytes: number;
  minTs: number;
  maxTs: number;
  metadata?: Record<string, unknown>;
  /**
   * Stages that will read this segment (those it was fed to). Its object is kept until every
   * one of them consumed it; set by the worker runtime from the stage's `feeds`.
   */
  readers?: readonly string[];
}

export interface SegmentRow extends NewSegment {
  createdBy: string;
  workUnitId: string;
  createdAt: Date;
  published: boolean;
  unpublishedAt: Date | null;
  /** Stage → the work unit of that stage that consumed this segment. */
  consumedBy: Record<string, string>;
  readers: string[];
  metadata: Record<string, unknown>;
}

export interface ObjectVersionRef {
  /** objectIdentity(): bucket/key@version */
  identity: string;
  bucket: string;
  key: string;
  version: string;
}

export interface OutboxEntry {
  topic: string;
  key: string | null;
  value: string;
}

export interface OutboxRow extends OutboxEntry {
  id: number;
  workUnitId: string;
}

export interface InputFailure {
  /** inputIdentity() of the input that failed. */
  input: string;
  code: string;
  reason: string;
  /**
   * The whole input failed, so none of it is in the lake: a later unit with the same object (a
   * replay of its dead letter after a fix) may ingest it. False when only some of its records
   * were rejected and the rest was ingested: then it is never ingested again.
   */
  whole?: boolean;
}

export interface WorkUnitCommit {
  workUnitId: string;
  org: string;
  signal: string;
  stage: string;
  outputs: readonly NewSegment[];
  /** Raw object versions this unit ingested. */
  ingestedObjects?: readonly ObjectVersionRef[];
  /**
   * Segments this unit's stage consumed, and how: `replace` unpublishes them (compaction: the
   * outputs take their place), otherwise they stay live and are only marked (rollup). Either way
   * a segment is consumed once per stage.
   */
  consumedSegments?: { ids: readonly string[]; stage: string; replace: boolean };
  outbox: readonly OutboxEntry[];
  failures?: readonly InputFailure[];
}

export type CommitOutcome = 'committed' | 'already-done';

export interface CommitResult {
  outcome: CommitOutcome;
  /**
   * The unit's outbox rows not yet published, oldest first: what this commit queued, or on
   * 'already-done' what the first commit queued and nobody published yet.
   */
  outbox: OutboxRow[];
}

/** Where a work unit stands before a worker runs it. */
export interface UnitProgress {
  /** The unit was committed before (a redelivery). */
  done: boolean;
  /** Which of the asked input identities are consumed, as `consumedInputs` says. */
  consumed: Set<string>;
}

export interface SegmentQuery {
  signal: string;
  org?: string;
  dateint?: number;
  frequencyMs?: number;
  /** Default true: only published (live) segments. */
  publishedOnly?: boolean;
}

export interface Catalog {
  /** Applies pending schema migrations; safe to call from several processes at once. */
  migrate(): Promise<void>;
  /**
   * Which of these input identities are already consumed: objects ingested by any unit,
   * segments (`segment:<id>`) consumed by `stage` (or gone).
   */
  consumedInputs(identities: readonly string[], stage: string): Promise<Set<string>>;
  isWorkUnitDone(workUnitId: string): Promise<boolean>;
  /** `isWorkUnitDone` and `consumedInputs` in one round trip: what a worker asks per unit. */
  unitProgress(workUnitId: string, identities: readonly string[], stage: string): Promise<UnitProgress>;
  /**
   * One transaction: record the unit, register its outputs, consume its inputs with a guarded
   * update, queue its outbox and failures. 'already-done' when the unit was committed before
   * (nothing changes). Throws LR_CATALOG_CONFLICT (retriable) when another unit consumed one of
   * the inputs meanwhile; then nothing changes either. Returns the outbox rows to publish, so the
   * worker need not read back what it just wrote.
   */
  commitWorkUnit(commit: WorkUnitCommit): Promise<CommitResult>;
  /** Outbox rows not yet published, oldest first; of one unit when given. */
  pendingOutbox(workUnitId?: string): Promise<OutboxRow[]>;
  markPublished(ids: readonly number[]): Promise<void>;
  segments(query: SegmentQuery): Promise<SegmentRow[]>;
  failures(workUnitId?: string): Promise<(InputFailure & { workUnitId: string })[]>;
  /**
   * Replaced segments whose objects may go: unpublished before `before`, and consumed by every
   * stage that reads them.
   */
  sweepable(signal: string, before: Date): Promise<SegmentRow[]>;
  /** Forgets unpublished segments (after the sweeper deleted their objects); live ones stay. */
  deleteUnpublished(segmentIds: readonly string[]): Promise<number>;
  close(): Promise<void>;
}
