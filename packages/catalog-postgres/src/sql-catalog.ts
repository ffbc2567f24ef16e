import {
  type Catalog,
  type CommitResult,
  LakerunnerError,
  type OutboxRow,
  type SegmentQuery,
  type SegmentRow,
  type UnitProgress,
  type WorkUnitCommit,
} from '@lakerunner/core';
import { migrate } from './migrations.js';
import type { SqlClient, SqlExecutor } from './sql-client.js';

/** The catalog over any SqlClient: the same SQL on PostgreSQL and PGlite. */
export function createSqlCatalog(client: SqlClient): Catalog {
  return {
    async migrate() {
      await migrate(client);
    },

    async consumedInputs(identities, stage) {
      return (await unitProgress(client, null, identities, stage)).consumed;
    },

    async isWorkUnitDone(workUnitId) {
      const rows = await client.query('SELECT 1 FROM lr_work_units WHERE work_unit_id = $1', [workUnitId]);
      return rows.length > 0;
    },

    unitProgress: (workUnitId, identities, stage) => unitProgress(client, workUnitId, identities, stage),

    commitWorkUnit: (commit) => client.transaction((tx) => commitInTransaction(tx, commit)),

    pendingOutbox: (workUnitId) => pendingOutbox(client, workUnitId),

    async markPublished(ids) {
      if (ids.length === 0) return;
      await client.query('UPDATE lr_outbox SET published_at = now() WHERE id = ANY($1::bigint[])', [
        ids.map(String),
      ]);
    },

    async segments(query: SegmentQuery) {
      const rows = await client.query<SegmentDbRow>(
        `${SELECT_SEGMENTS}
         WHERE s.signal = $1
           AND ($2::text IS NULL OR s.org = $2)
           AND ($3::integer IS NULL OR s.dateint = $3)
           AND ($4::integer IS NULL OR s.frequency_ms = $4)
           AND (s.published OR NOT $5::boolean)
         ORDER BY s.org, s.dateint, s.frequency_ms, s.min_ts, s.segment_id`,
        [
          query.signal,
          query.org ?? null,
          query.dateint ?? null,
          query.frequencyMs ?? null,
          query.publishedOnly ?? true,
        ],
      );
      return rows.map(toSegmentRow);
    },

    async failures(workUnitId) {
      const rows = await client.query<{
        work_unit_id: string;
        input: string;
        code: string;
        reason: string;
        whole: boolean;
      }>(
        `SELECT work_unit_id, input, code, reason, whole FROM lr_failures
         WHERE $1::text IS NULL OR work_unit_id = $1 ORDER BY failed_at, input`,
        [workUnitId ?? null],
      );
      return rows.map((r) => ({
        workUnitId: r.work_unit_id,
        input: r.input,
        code: r.code,
        reason: r.reason,
        whole: r.whole,
      }));
    },

    async sweepable(signal, before) {
      const rows = await client.query<SegmentDbRow>(
        `${SELECT_SEGMENTS}
         WHERE s.signal = $1 AND NOT s.published AND s.unpublished_at <= $2
           AND NOT EXISTS (
             SELECT 1 FROM unnest(s.readers) AS r(stage)
             WHERE NOT EXISTS (SELECT 1 FROM lr_segment_consumption c WHERE c.segment_id = s.segment_id AND c.stage = r.stage))
         ORDER BY s.unpublished_at, s.segment_id`,
        [signal, before],
      );
      return rows.map(toSegmentRow);
    },

    deleteUnpublished: (ids) =>
      client.transaction(async (tx) => {
        if (ids.length === 0) return 0;
        const rows = await tx.query<{ segment_id: string }>(
          'DELETE FROM lr_segments WHERE segment_id = ANY($1::text[]) AND NOT published RETURNING segment_id',
          [ids],
        );
        await tx.query('DELETE FROM lr_segment_consumption WHERE segment_id = ANY($1::text[])', [
          rows.map((r) => r.segment_id),
        ]);
        return rows.length;
      }),

    close: () => client.close(),
  };
}

/**
 * Whether the unit is done and which inputs are consumed, in one statement: objects ingested by
 * any unit (unless it failed them whole), segments this stage consumed or that do not exist.
 */
async function unitProgress(
  client: SqlExecutor,
  workUnitId: string | null,
  identities: readonly string[],
  stage: string,
): Promise<UnitProgress> {
  const segmentIds = identities
    .filter((i) => i.startsWith('segment:'))
    .map((i) => i.slice('segment:'.length));
  const objects = identities.filter((i) => !i.startsWith('segment:'));
  const rows = await client.query<{ kind: string; id: string }>(
    `SELECT 'done' AS kind, work_unit_id AS id FROM lr_work_units WHERE work_unit_id = $1
     UNION ALL
     SELECT 'object', io.identity FROM lr_ingested_objects io
     WHERE io.identity = ANY($2::text[]) AND NOT ${WHOLLY_FAILED}
     UNION ALL
     -- A segment stays open for a stage until that stage recorded it; another stage's
     -- consumption (compaction unpublishing a segment rollup still has to read) does not count.
     SELECT 'open', s.segment_id FROM lr_segments s
     WHERE s.segment_id = ANY($3::text[])
       AND NOT EXISTS (SELECT 1 FROM lr_segment_consumption c WHERE c.segment_id = s.segment_id AND c.stage = $4)`,
    [workUnitId, objects, segmentIds, stage],
  );
  const consumed = new Set(rows.filter((r) => r.kind === 'object').map((r) => r.id));
  const open = new Set(rows.filter((r) => r.kind === 'open').map((r) => r.id));
  for (const id of segmentIds) if (!open.has(id)) consumed.add(`segment:${id}`);
  return { done: rows.some((r) => r.kind === 'done'), consumed };
}

async function commitInTransaction(tx: SqlExecutor, commit: WorkUnitCommit): Promise<CommitResult> {
  const claimed = await tx.query(
    `INSERT INTO lr_work_units (work_unit_id, org, signal, stage, outputs) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (work_unit_id) DO NOTHING RETURNING work_unit_id`,
    [commit.workUnitId, commit.org, commit.signal, commit.stage, commit.outputs.length],
  );
  if (claimed.length === 0)
    return { outcome: 'already-done', outbox: await pendingOutbox(tx, commit.workUnitId) };

  const objects = commit.ingestedObjects ?? [];
  if (objects.length > 0) {
    const inserted = await tx.query(
      `INSERT INTO lr_ingested_objects (identity, bucket, key, version, work_unit_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS o, (SELECT $5::text) AS u
       ON CONFLICT (identity) DO UPDATE SET work_unit_id = EXCLUDED.work_unit_id, ingested_at = now()
         WHERE ${WHOLLY_FAILED.replaceAll('io.', 'lr_ingested_objects.')}
       RETURNING identity`,
      [
        objects.map((o) => o.identity),
        objects.map((o) => o.bucket),
        objects.map((o) => o.key),
        objects.map((o) => o.version),
        commit.workUnitId,
      ],
    );
    if (inserted.length !== objects.length) {
      throw conflict(
        commit,
        `${objects.length - inserted.length} object version(s) were ingested by another unit`,
      );
    }
  }

  const consumed = commit.consumedSegments;
  if (consumed && consumed.ids.length > 0) {
    // The guard: a segment is consumed once per stage; a concurrent unit of the same stage that
    // got there first makes this one conflict (and be retried without it).
    const recorded = await tx.query(
      `INSERT INTO lr_segment_consumption (segment_id, stage, work_unit_id)
       SELECT s.segment_id, $2, $3 FROM lr_segments s WHERE s.segment_id = ANY($1::text[])
       ON CONFLICT (segment_id, stage) DO NOTHING RETURNING segment_id`,
      [consumed.ids, consumed.stage, commit.workUnitId],
    );
    if (recorded.length !== consumed.ids.length) {
      throw conflict(
        commit,
        `${consumed.ids.length - recorded.length} segment(s) were already consumed by ${consumed.stage} (or are gone)`,
      );
    }
    if (consumed.replace) {
      await tx.query(
        `UPDATE lr_segments SET published = false, unpublished_at = now()
         WHERE segment_id = ANY($1::text[]) AND published`,
        [consumed.ids],
      );
    }
  }

  // One statement per table, whatever the unit's size: each statement is a round trip.
  const outputs = commit.outputs;
  if (outputs.length > 0) {
    await tx.query(
      `INSERT INTO lr_segments (segment_id, org, signal, dateint, frequency_ms, object_key, records, bytes,
                                min_ts, max_ts, created_by, work_unit_id, metadata, readers)
       SELECT o.segment_id, o.org, o.signal, o.dateint, o.frequency_ms, o.object_key, o.records, o.bytes,
              o.min_ts, o.max_ts, $11, $12, o.metadata::jsonb,
              ARRAY(SELECT jsonb_array_elements_text(o.readers::jsonb))
       FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[], $5::integer[], $6::text[],
                   $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], $13::text[], $14::text[])
         AS o(segment_id, org, signal, dateint, frequency_ms, object_key, records, bytes, min_ts, max_ts,
              metadata, readers)`,
      [
        outputs.map((s) => s.segmentId),
        outputs.map((s) => s.org),
        outputs.map((s) => s.signal),
        outputs.map((s) => s.dateint),
        outputs.map((s) => s.frequencyMs),
        outputs.map((s) => s.objectKey),
        outputs.map((s) => s.records),
        outputs.map((s) => s.bytes),
        outputs.map((s) => s.minTs),
        outputs.map((s) => s.maxTs),
        commit.stage,
        commit.workUnitId,
        outputs.map((s) => JSON.stringify(s.metadata ?? {})),
        outputs.map((s) => JSON.stringify(s.readers ?? [])),
      ],
    );
  }
  const outbox =
    commit.outbox.length === 0
      ? []
      : await tx.query<OutboxDbRow>(
          `INSERT INTO lr_outbox (work_unit_id, topic, key, value)
           SELECT $1, m.topic, m.key, m.value
           FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS m(topic, key, value, n)
           ORDER BY m.n
           RETURNING id, work_unit_id, topic, key, value`,
          [
            commit.workUnitId,
            commit.outbox.map((m) => m.topic),
            commit.outbox.map((m) => m.key),
            commit.outbox.map((m) => m.value),
          ],
        );
  const failures = commit.failures ?? [];
  if (failures.length > 0) {
    await tx.query(
      `INSERT INTO lr_failures (work_unit_id, input, code, reason, whole)
       SELECT $1, f.input, f.code, f.reason, f.whole
       FROM unnest($2::text[], $3::text[], $4::text[], $5::boolean[]) AS f(input, code, reason, whole)
       ON CONFLICT (work_unit_id, input) DO NOTHING`,
      [
        commit.workUnitId,
        failures.map((f) => f.input),
        failures.map((f) => f.code),
        failures.map((f) => f.reason),
        failures.map((f) => f.whole === true),
      ],
    );
  }
  return {
    outcome: 'committed',
    outbox: outbox.map(toOutboxRow).sort((x, y) => x.id - y.id),
  };
}

async function pendingOutbox(client: SqlExecutor, workUnitId?: string): Promise<OutboxRow[]> {
  const rows = await client.query<OutboxDbRow>(
    `SELECT id, work_unit_id, topic, key, value FROM lr_outbox
     WHERE published_at IS NULL AND ($1::text IS NULL OR work_unit_id = $1)
     ORDER BY id`,
    [workUnitId ?? null],
  );
  return rows.map(toOutboxRow);
}

/**
 * An ingested-object row (alias io) whose unit failed that object as a whole: it holds the
 * object's identity without any of its rows, so a later unit (a replayed dead letter) may take
 * it over; a unit that ingested it, even with some records rejected, keeps it for good.
 */
const WHOLLY_FAILED = `EXISTS (SELECT 1 FROM lr_failures f
  WHERE f.work_unit_id = io.work_unit_id AND f.input = io.identity AND f.whole)`;

function conflict(commit: WorkUnitCommit, what: string): LakerunnerError {
  return new LakerunnerError(
    'LR_CATALOG_CONFLICT',
    `work unit ${commit.workUnitId} (${commit.signal} ${commit.stage}): ${what}; it is retried without them`,
    { retriable: true },
  );
}

interface OutboxDbRow {
  id: string | number;
  work_unit_id: string;
  topic: string;
  key: string | null;
  value: string;
}

function toOutboxRow(r: OutboxDbRow): OutboxRow {
  return { id: Number(r.id), workUnitId: r.work_unit_id, topic: r.topic, key: r.key, value: r.value };
}

interface SegmentDbRow {
  segment_id: string;
  org: string;
  signal: string;
  dateint: number;
  frequency_ms: number;
  object_key: string;
  records: string | number;
  bytes: string | number;
  min_ts: string | number;
  max_ts: string | number;
  created_by: string;
  work_unit_id: string;
  created_at: Date;
  published: boolean;
  unpublished_at: Date | null;
  consumed_by: Record<string, string> | null;
  readers: string[] | null;
  metadata: Record<string, unknown>;
}

/** Segment rows with the stages that consumed them, as stage → work unit. */
const SELECT_SEGMENTS = `SELECT s.*,
  (SELECT jsonb_object_agg(c.stage, c.work_unit_id) FROM lr_segment_consumption c WHERE c.segment_id = s.segment_id)
    AS consumed_by
  FROM lr_segments s`;

function toSegmentRow(r: SegmentDbRow): SegmentRow {
  return {
    segmentId: r.segment_id,
    org: r.org,
    signal: r.signal,
    dateint: Number(r.dateint),
    frequencyMs: Number(r.frequency_ms),
    objectKey: r.object_key,
    records: Number(r.records),
    bytes: Number(r.bytes),
    minTs: Number(r.min_ts),
    maxTs: Number(r.max_ts),
    createdBy: r.created_by,
    workUnitId: r.work_unit_id,
    createdAt: new Date(r.created_at),
    published: r.published,
    unpublishedAt: r.unpublished_at === null ? null : new Date(r.unpublished_at),
    consumedBy: r.consumed_by ?? {},
    readers: r.readers ?? [],
    metadata: r.metadata ?? {},
  };
}
