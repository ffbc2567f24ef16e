import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import {
  createPgliteCatalog,
  createPostgresCatalog,
  MIGRATIONS,
} from '../../packages/catalog-postgres/src/index.js';
import { catalogConformance } from '../conformance/catalog.js';
import { freshSchemaUrl } from '../support/database.js';

catalogConformance('PostgreSQL', async () =>
  createPostgresCatalog({ connectionString: await freshSchemaUrl('catalog') }),
);
catalogConformance('PGlite', () => createPgliteCatalog());

describe('catalog specifics', () => {
  it('concurrent migrations from several processes apply each version once (PostgreSQL)', async () => {
    const url = await freshSchemaUrl('catalog');
    const catalogs = Array.from({ length: 4 }, () => createPostgresCatalog({ connectionString: url }));
    await Promise.all(catalogs.map((c) => c.migrate()));
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query('SELECT version FROM lr_schema_migrations');
    await client.end();
    await Promise.all(catalogs.map((c) => c.close()));
    expect(rows.map((r) => r.version).sort()).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('PGlite keeps its data in the data directory across restarts', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'lakerunner-pglite-')), 'db');
    const first = await createPgliteCatalog({ dataDir });
    await first.migrate();
    await first.commitWorkUnit({
      workUnitId: 'persisted',
      org: 'acme',
      signal: 'logs',
      stage: 'ingest',
      outputs: [],
      outbox: [{ topic: 't', key: null, value: '{}' }],
    });
    await first.close();
    const second = await createPgliteCatalog({ dataDir });
    await second.migrate();
    expect(await second.isWorkUnitDone('persisted')).toBe(true);
    expect(await second.pendingOutbox('persisted')).toHaveLength(1);
    await second.close();
  });

  it('refuses to open a PGlite data directory another live process holds, naming it', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'lakerunner-pglite-')), 'db');
    const owner = await createPgliteCatalog({ dataDir });
    try {
      await expect(createPgliteCatalog({ dataDir })).rejects.toThrow(
        new RegExp(`the PGlite catalog .*db is open in process ${process.pid}; PGlite serves one process`),
      );
    } finally {
      await owner.close();
    }
    // Released on close: it opens again.
    await (await createPgliteCatalog({ dataDir })).close();
  });
});
