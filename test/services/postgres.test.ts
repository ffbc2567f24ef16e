import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';

describe('PostgreSQL for tests', () => {
  it('is a real server that takes transactions', async () => {
    const client = new pg.Client({ connectionString: inject('databaseUrl') });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: string }>('select version()');
      expect(rows[0]?.version).toMatch(/^PostgreSQL \d+/);
      await client.query('begin');
      await client.query('create temporary table probe (id int primary key)');
      await client.query('insert into probe values (1), (2)');
      await expect(client.query('insert into probe values (1)')).rejects.toThrow(/duplicate key/);
      await client.query('rollback');
    } finally {
      await client.end();
    }
  });
});
