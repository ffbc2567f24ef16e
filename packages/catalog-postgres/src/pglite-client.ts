import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { lockDataDir } from './data-dir-lock.js';
import type { SqlClient, SqlExecutor } from './sql-client.js';

export interface PgliteClientOptions {
  /** Data directory on disk; omit for an in-memory database (tests). */
  dataDir?: string;
}

/**
 * Embedded PostgreSQL (WASM). One process owns a data directory: several lakerunner services
 * can share it only by running in the same process (`lakerunner run --all`).
 */
export async function createPgliteClient(options: PgliteClientOptions = {}): Promise<SqlClient> {
  let unlock = async () => {};
  if (options.dataDir) {
    // PGlite creates the data directory itself, but not its parents.
    await mkdir(dirname(resolve(options.dataDir)), { recursive: true });
    unlock = await lockDataDir(resolve(options.dataDir));
  }
  let db: PGlite;
  try {
    db = await PGlite.create(options.dataDir ?? 'memory://');
  } catch (err) {
    await unlock();
    throw err;
  }
  const executor = (q: Pick<PGlite, 'query'>): SqlExecutor => ({
    async query<R>(sql: string, params?: readonly unknown[]) {
      return (await q.query<R>(sql, params ? [...params] : undefined)).rows;
    },
  });
  return {
    ...executor(db),
    transaction: (work) => db.transaction((tx) => work(executor(tx))),
    async close() {
      await db.close();
      await unlock();
    },
  };
}
