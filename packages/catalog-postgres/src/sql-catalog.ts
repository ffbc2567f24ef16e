import {
  type Catalog,
  type CommitOutcome,
  LakerunnerError,
  type OutboxRow,
  type SegmentQuery,
  type SegmentRow,
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

    async consumedInputs(identities) {
      if (identities.length === 0) return new Set();
      const segmentIds = identities
        .filter((i) => i.startsWith('segment:'))
        .map((i) => i.slice('segment:'.length));
      const objects = identities.filter((i) => !i.startsWith('segment:'));
      const consumed = new Set<string>();
      if (objects.length > 0) {
        const rows = await client.query<{ identity: string }>(
          'SELECT identity FROM lr_ingested_objects WHERE identity = ANY($1::text[])',
          [objects],
        );
        for (const r of rows) consumed.add(r.identity);
      }
      if (segmentIds.length > 0) {
        // A segment is consumed for compaction once unpublished; one that does not exist (yet,
        // or any more) cannot be consumed either.
        const live = await client.query<{ segment_id: string }>(
          'SELECT segment_id FROM lr_segments WHERE segment_id = ANY($1::text[]) AND published',
          [segmentIds],
        );
        const liveIds = new Set(live.map((r) => r.segment_id));
        for (const id of segmentIds) if (!liveIds.has(id)) consumed.add(`segment:${id}`);
      }
      return consumed;
    },

    async isWorkUnitDone(workUnitId) {
      const rows = await client.query('SELECT 1 FROM lr_work_units WHERE work_unit_id = $1', [workUnitId]);
      return rows.length > 0;
    },

    commitWorkUnit: (commit) => client.transaction((tx) => commitInTransaction(tx, commit)),

    async pendingOutbox(workUnitId) {
      const rows = await client.query<OutboxDbRow>(
        `SELECT id, work_unit_id, topic, key, value FROM lr_outbox
         WHERE published_at IS NULL AND ($1::text IS NULL OR work_unit_id = $1)
         ORDER BY id`,
        [workUnitId ?? null],
      );
      return rows.map(toOutboxRow);
    },

    async markPublished(ids) {
      if (ids.length === 0) return;
      await client.query('UPDATE lr_outbox SET published_at = now() WHERE id = ANY($1::bigint[])', [
        ids.map(String),
      ]);
    },

    async segments(query: SegmentQuery) {
      const rows = await client.query<SegmentDbRow>(
        `SELECT * FROM lr_segments
         WHERE signal = $1
           AND ($2::text IS NULL OR org = $2)
           AND ($3::integer IS NULL OR dateint = $3)
           AND ($4::integer IS NULL OR frequency_ms = $4)
           AND (published OR NOT $5::boolean)
         ORDER BY org, dateint, frequency_ms, min_ts, segment_id`,
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
      const rows = await client.query<{ work_unit_id: string; input: string; code: string; reason: string }>(
        `SELECT work_unit_id, input, code, reason FROM lr_failures
         WHERE $1::text IS NULL OR work_unit_id = $1 ORDER BY failed_at, input`,
        [workUnitId ?? null],
      );
      return rows.map((r) => ({
        workUnitId: r.work_unit_id,
        input: r.input,
        code: r.code,
        reason: r.reason,
      }));
    },

    async deleteUnpublished(ids) {
      if (ids.length === 0) return 0;
      const rows = await client.query(
        'DELETE FROM lr_segments WHERE segment_id = ANY($1::text[]) AND NOT published RETURNING segment_id',
        [ids],
      );
      return rows.length;
    },

    close: () => client.close(),
  };
}

async function commitInTransaction(tx: SqlExecutor, commit: WorkUnitCommit): Promise<CommitOutcome> {
  const claimed = await tx.query(
    `INSERT INTO lr_work_units (work_unit_id, org, signal, stage, outputs) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (work_unit_id) DO NOTHING RETURNING work_unit_id`,
    [commit.workUnitId, commit.org, commit.signal, commit.stage, commit.outputs.length],
  );
  if (claimed.length === 0) return 'already-done';

  const objects = commit.ingestedObjects ?? [];
  if (objects.length > 0) {
    const inserted = await tx.query(
      `INSERT INTO lr_ingested_objects (identity, bucket, key, version, work_unit_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS o, (SELECT $5::text) AS u
       ON CONFLICT (identity) DO NOTHING RETURNING identity`,
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
    const updated =
      consumed.as === 'compacted'
        ? await tx.query(
            `UPDATE lr_segments SET published = false, unpublished_at = now(), compacted_by = $2
             WHERE segment_id = ANY($1::text[]) AND published AND compacted_by IS NULL RETURNING segment_id`,
            [consumed.ids, commit.workUnitId],
          )
        : await tx.query(
            `UPDATE lr_segments SET rolled_up_by = $2
             WHERE segment_id = ANY($1::text[]) AND rolled_up_by IS NULL RETURNING segment_id`,
            [consumed.ids, commit.workUnitId],
          );
    if (updated.length !== consumed.ids.length) {
      throw conflict(
        commit,
        `${consumed.ids.length - updated.length} segment(s) were already ${consumed.as}`,
      );
    }
  }

  for (const s of commit.outputs) {
    await tx.query(
      `INSERT INTO lr_segments (segment_id, org, signal, dateint, frequency_ms, object_key, records, bytes,
                                min_ts, max_ts, created_by, work_unit_id, metadata)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb)`,
      [
        s.segmentId,
        s.org,
        s.signal,
        s.dateint,
        s.frequencyMs,
        s.objectKey,
        s.records,
        s.bytes,
        s.minTs,
        s.maxTs,
        commit.stage,
        commit.workUnitId,
        JSON.stringify(s.metadata ?? {}),
      ],
    );
  }
  for (const m of commit.outbox) {
    await tx.query('INSERT INTO lr_outbox (work_unit_id, topic, key, value) VALUES ($1, $2, $3, $4)', [
      commit.workUnitId,
      m.topic,
      m.key,
      m.value,
    ]);
  }
  for (const f of commit.failures ?? []) {
    await tx.query(
      `INSERT INTO lr_failures (work_unit_id, input, code, reason) VALUES ($1, $2, $3, $4)
       ON CONFLICT (work_unit_id, input) DO NOTHING`,
      [commit.workUnitId, f.input, f.code, f.reason],
    );
  }
  return 'committed';
}

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
  compacted_by: string | null;
  rolled_up_by: string | null;
  metadata: Record<string, unknown>;
}

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
    compactedBy: r.compacted_by,
    rolledUpBy: r.rolled_up_by,
    metadata: r.metadata ?? {},
  };
}
