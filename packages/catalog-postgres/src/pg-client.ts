import pg from 'pg';
import { asCatalogError } from './errors.js';
import type { SqlClient, SqlExecutor } from './sql-client.js';

export interface PostgresClientOptions {
  /** postgres://user:password@host:port/database */
  connectionString: string;
  /** Pool size (default 5). */
  maxConnections?: number;
}

export function createPgClient(options: PostgresClientOptions): SqlClient {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 5 });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const executor = (run: (sql: string, params?: unknown[]) => Promise<pg.QueryResult>): SqlExecutor => ({
    async query<R>(sql: string, params?: readonly unknown[]) {
      try {
        return (await run(sql, params ? [...params] : undefined)).rows as R[];
      } catch (err) {
        throw asCatalogError(err);
      }
    },
  });
  return {
    ...executor((sql, params) => pool.query(sql, params)),
    async transaction(work) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        throw asCatalogError(err);
      }
      try {
        await client.query('BEGIN');
        const result = await work(executor((sql, params) => client.query(sql, params)));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw asCatalogError(err);
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
