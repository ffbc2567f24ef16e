/**
 * The little SQL surface the catalog needs, implemented over `pg` (PostgreSQL) and PGlite
 * (embedded), so both run exactly the same statements.
 */
export interface SqlExecutor {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

export interface SqlClient extends SqlExecutor {
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
