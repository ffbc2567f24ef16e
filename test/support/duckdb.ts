import { DuckDBInstance } from '@duckdb/node-api';

/**
 * Runs SQL in an in-memory DuckDB, the reference reader of our Parquet: what it reads back is
 * what any engine will. `files` become the view `lake` (union of their columns by name).
 */
export async function duckdb(files: readonly string[], sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const list = files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ');
    await connection.run(`CREATE VIEW lake AS SELECT * FROM read_parquet([${list}], union_by_name = true)`);
    return (await connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
