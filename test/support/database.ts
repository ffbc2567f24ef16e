import pg from 'pg';
import { inject } from 'vitest';

/** A connection string to a schema of its own, so a shared DATABASE_URL never mixes runs. */
export async function freshSchemaUrl(label: string): Promise<string> {
  const url = inject('databaseUrl');
  const schema = `lr_${label}_${Date.now().toString(36)}_${process.pid}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.end();
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}
