import type { SqlClient } from './sql-client.js';

/**
 * Versioned schema migrations, applied in order and recorded in lr_schema_migrations. Never
 * edit a released migration: add the next one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'segments, ingested objects, work units, outbox, failures',
    sql: `
      CREATE TABLE lr_segments (
        segment_id     text PRIMARY KEY,
        org            text NOT NULL,
        signal         text NOT NULL,
        dateint        integer NOT NULL,
        frequency_ms   integer NOT NULL DEFAULT 0,
        object_key     text NOT NULL,
        records        bigint NOT NULL,
        bytes          bigint NOT NULL,
        min_ts         bigint NOT NULL,
        max_ts         bigint NOT NULL,
        created_by     text NOT NULL,
        work_unit_id   text NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now(),
        published      boolean NOT NULL DEFAULT true,
        unpublished_at timestamptz,
        compacted_by   text,
        rolled_up_by   text,
        metadata       jsonb NOT NULL DEFAULT '{}'::jsonb,
        CHECK (published = (unpublished_at IS NULL))
      );
      CREATE INDEX lr_segments_live ON lr_segments (signal, org, dateint, frequency_ms) WHERE published;
      CREATE INDEX lr_segments_unpublished ON lr_segments (unpublished_at) WHERE NOT published;
      CREATE INDEX lr_segments_work_unit ON lr_segments (work_unit_id);

      CREATE TABLE lr_ingested_objects (
        identity     text PRIMARY KEY,
        bucket       text NOT NULL,
        key          text NOT NULL,
        version      text NOT NULL,
        work_unit_id text NOT NULL,
        ingested_at  timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE lr_work_units (
        work_unit_id text PRIMARY KEY,
        org          text NOT NULL,
        signal       text NOT NULL,
        stage        text NOT NULL,
        outputs      integer NOT NULL,
        committed_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE lr_outbox (
        id           bigserial PRIMARY KEY,
        work_unit_id text NOT NULL,
        topic        text NOT NULL,
        key          text,
        value        text NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      );
      CREATE INDEX lr_outbox_pending ON lr_outbox (id) WHERE published_at IS NULL;

      CREATE TABLE lr_failures (
        work_unit_id text NOT NULL,
        input        text NOT NULL,
        code         text NOT NULL,
        reason       text NOT NULL,
        failed_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (work_unit_id, input)
      );
    `,
  },
  {
    version: 2,
    name: 'consumption per stage; the stages that read each segment',
    sql: `
      CREATE TABLE lr_segment_consumption (
        segment_id   text NOT NULL,
        stage        text NOT NULL,
        work_unit_id text NOT NULL,
        consumed_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (segment_id, stage)
      );
      INSERT INTO lr_segment_consumption (segment_id, stage, work_unit_id, consumed_at)
        SELECT segment_id, 'compact', compacted_by, COALESCE(unpublished_at, now())
        FROM lr_segments WHERE compacted_by IS NOT NULL;
      INSERT INTO lr_segment_consumption (segment_id, stage, work_unit_id)
        SELECT segment_id, 'rollup', rolled_up_by FROM lr_segments WHERE rolled_up_by IS NOT NULL;
      ALTER TABLE lr_segments DROP COLUMN compacted_by;
      ALTER TABLE lr_segments DROP COLUMN rolled_up_by;
      ALTER TABLE lr_segments ADD COLUMN readers text[] NOT NULL DEFAULT '{}';
    `,
  },
  {
    version: 3,
    name: 'failures say whether the whole input failed (it may be replayed) or only some records',
    // Rows written before this knew no difference: false keeps them from ever being re-ingested.
    sql: `
      ALTER TABLE lr_failures ADD COLUMN whole boolean NOT NULL DEFAULT false;
    `,
  },
];

/** Arbitrary constant: the advisory lock that serialises concurrent migrators. */
const MIGRATION_LOCK = 7_356_221;

export async function migrate(
  client: SqlClient,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  return client.transaction(async (tx) => {
    // The lock comes first: even CREATE TABLE IF NOT EXISTS races between concurrent sessions.
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(`CREATE TABLE IF NOT EXISTS lr_schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const done = new Set(
      (await tx.query<{ version: number }>('SELECT version FROM lr_schema_migrations')).map((r) =>
        Number(r.version),
      ),
    );
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await tx.query('INSERT INTO lr_schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}

/** Splits on semicolons at the end of a line; the migrations contain no procedural code. */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
